import { Type, type Static } from '@sinclair/typebox';
import { TEXT_PATTERN } from '../vocabulary/text.js';
import { DateTime, StringEnum } from './common.js';

// The emulator controls' wire format (/_orgplane/*): orgplane's own, not the vendor's.

export const ClockStateSchema = Type.Object({
  now: DateTime,
  frozen: Type.Boolean({ description: 'True while the clock stands still until it is moved.' }),
  real: Type.Boolean({ description: 'True while the clock is real time (never set, or set back with DELETE).' }),
});

export const ClockSetBody = Type.Object(
  {
    now: DateTime,
    frozen: Type.Optional(Type.Boolean({ description: 'Stand still at `now` (true) or run on from it in real time (false, the default).' })),
  },
  { additionalProperties: false },
);
export type ClockSet = Static<typeof ClockSetBody>;

/** A century either way is more than any test needs and keeps every instant storable. */
export const MAX_CLOCK_ADVANCE_SECONDS = 100 * 366 * 86_400;

export const ClockAdvanceBody = Type.Object(
  {
    seconds: Type.Number({
      minimum: -MAX_CLOCK_ADVANCE_SECONDS,
      maximum: MAX_CLOCK_ADVANCE_SECONDS,
      description: 'How far to move the clock; negative moves it back (never before the newest stored timestamp).',
    }),
  },
  { additionalProperties: false },
);

export const SeedSummarySchema = Type.Object({
  organizationIds: Type.Array(Type.String({ format: 'uuid' }), { description: 'The organizations created, in the order of the fixture.' }),
  organizations: Type.Integer(),
  privateEndpoints: Type.Integer(),
  byocInfrastructures: Type.Integer(),
  roles: Type.Integer(),
  keys: Type.Integer(),
  members: Type.Integer(),
  invitations: Type.Integer(),
  usageRecords: Type.Integer(),
  services: Type.Integer({ description: 'Service records.' }),
  quotas: Type.Integer({ description: 'Quota settings of the organizations (quotas left at their defaults have none).' }),
  activities: Type.Integer({ description: 'Activities written: the creations recorded, or the ones the fixture carried.' }),
});

export const ResetResultSchema = Type.Object({
  seeded: Type.Union([SeedSummarySchema, Type.Null()], { description: 'What the `--seed` fixture created again; null without one.' }),
});
/**
 * What a fault rule does when it fires: answer with an error status, delay the
 * request and let it go on, or drop the connection without an answer.
 */
export const FAULT_KINDS = ['status', 'latency', 'reset-connection'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export const MAX_FAULT_RULES = 100;
/** Below the server's default idle cut-off of a connection with a request in progress (32 s). */
export const MAX_FAULT_LATENCY_MS = 30_000;
export const MAX_RETRY_AFTER_SECONDS = 86_400;

const RouteTemplate = Type.String({
  minLength: 1,
  maxLength: 1024,
  description: 'A route as the OpenAPI document writes it, e.g. /v1/organizations/{organizationId}; any route when absent (never the controls).',
});
const FaultStatus = Type.Integer({ minimum: 400, maximum: 599, description: 'The status a `status` rule answers with (required for it).' });
const LatencyMs = Type.Integer({
  minimum: 0,
  maximum: MAX_FAULT_LATENCY_MS,
  description: 'Milliseconds to wait before the fault acts: before the answer (`status`), the reset (`reset-connection`), or before the request goes on (`latency`, required for it).',
});
const Probability = Type.Number({ minimum: 0, maximum: 1, description: 'Chance that a matching request fires the rule (default 1).' });
const Times = Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, description: 'Fire at most this many times, then the rule is spent; unlimited when absent.' });
const RetryAfterSeconds = Type.Integer({
  minimum: 1,
  maximum: MAX_RETRY_AFTER_SECONDS,
  description: 'Retry-After (and, on a 429, X-RateLimit-Reset) of a 429 or 503 answer; default 1.',
});
const FaultMessage = Type.String({ minLength: 1, maxLength: 1000, pattern: TEXT_PATTERN, description: "The error envelope's message (default: the server's own message for that status)." });
const FaultMethod = Type.String({ minLength: 1, maxLength: 32, description: 'The HTTP method, upper case; any method when absent.' });

export const FaultRuleInput = Type.Object(
  {
    method: Type.Optional(FaultMethod),
    route: Type.Optional(RouteTemplate),
    kind: Type.Optional(StringEnum(FAULT_KINDS, { description: 'What the rule does (default `status`).' })),
    status: Type.Optional(FaultStatus),
    latencyMs: Type.Optional(LatencyMs),
    probability: Type.Optional(Probability),
    times: Type.Optional(Times),
    retryAfterSeconds: Type.Optional(RetryAfterSeconds),
    message: Type.Optional(FaultMessage),
  },
  { additionalProperties: false },
);
export type FaultRuleSpec = Static<typeof FaultRuleInput>;

export const FaultRulesBody = Type.Object(
  {
    rules: Type.Array(FaultRuleInput, { maxItems: MAX_FAULT_RULES, description: 'Tried in order; the first matching rule that fires acts. Replaces the rules in place.' }),
    seed: Type.Optional(Type.Integer({ minimum: 0, maximum: 0xffff_ffff, description: 'Seeds the probability draws, so that a run can be repeated; random when absent.' })),
  },
  { additionalProperties: false },
);

/** A rule as stored: its defaults filled in, with how often it has fired and how often it still may. */
export const FaultRuleSchema = Type.Object({
  method: Type.Optional(Type.String()),
  route: Type.Optional(Type.String()),
  kind: StringEnum(FAULT_KINDS),
  status: Type.Optional(Type.Integer()),
  latencyMs: Type.Integer(),
  probability: Type.Number(),
  times: Type.Optional(Type.Integer()),
  retryAfterSeconds: Type.Optional(Type.Integer()),
  message: Type.Optional(Type.String()),
  fired: Type.Integer({ description: 'How many requests the rule has acted on.' }),
  remaining: Type.Optional(Type.Integer({ description: 'How many more times it may fire (absent: unlimited).' })),
});
export type FaultRuleState = Static<typeof FaultRuleSchema>;

export const FaultRulesSchema = Type.Object({
  rules: Type.Array(FaultRuleSchema),
  seed: Type.Integer({ description: 'The seed of the probability draws (the one given, or the one chosen), to repeat a run with.' }),
});

/** How many requests the journal keeps by default; the oldest go first. */
export const DEFAULT_JOURNAL_SIZE = 1000;
/** The most of one request body's JSON text the journal keeps, in characters (code points). */
export const MAX_JOURNAL_BODY_CHARS = 64 * 1024;

export const JournalEntrySchema = Type.Object({
  time: Type.String({ format: 'date-time', description: 'When the request arrived, on the server clock (the emulator clock).' }),
  method: Type.String(),
  path: Type.String({ description: 'The path with its query string, as the client sent it.' }),
  route: Type.Union([Type.String(), Type.Null()], { description: 'The route as the OpenAPI document writes it; null when no route matched (a 404).' }),
  status: Type.Union([Type.Integer(), Type.Null()], { description: 'The answer status; null when the connection closed without one.' }),
  durationMs: Type.Number(),
  requestId: Type.String({ format: 'uuid' }),
  keySuffix: Type.Optional(Type.String({ description: 'The last characters of the key ID that authenticated the request (never the key ID).' })),
  fault: Type.Optional(StringEnum(FAULT_KINDS, { description: 'The kind of fault rule that acted on the request, if one did.' })),
  body: Type.Optional(Type.Unknown({ description: 'The JSON body as parsed, secrets replaced by "[redacted]"; absent when none was read. Over the bound, the start of its JSON text.' })),
  bodyTruncated: Type.Optional(Type.Literal(true, { description: "The body's JSON text was over 64 Ki characters: `body` holds its start (absent when it could not be written out)." })),
});
export type JournalEntry = Static<typeof JournalEntrySchema>;

export const JournalQuery = Type.Object(
  { limit: Type.Optional(Type.String({ maxLength: 16, description: 'How many of the most recent requests to return (default 100, at most the journal size).' })) },
  { additionalProperties: false },
);
