import { Type, type Static } from '@sinclair/typebox';
import { DateTime } from './common.js';

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
  activities: Type.Integer({ description: 'Activities written: the creations recorded, or the ones the fixture carried.' }),
});

export const ResetResultSchema = Type.Object({
  seeded: Type.Union([SeedSummarySchema, Type.Null()], { description: 'What the `--seed` fixture created again; null without one.' }),
});
