import { Type, type TSchema, type TUnsafe } from '@sinclair/typebox';
import { CLOUD_PROVIDERS, CLOUD_REGIONS } from '../domain/cloud-regions.js';

// Shared building blocks for route schemas. Field names and enums follow the
// vendor's published OpenAPI document. Response schemas are allow-lists: the
// serializer drops anything not named here, so a hash can never leak by accident.

/** Non-blank text without control characters. */
export const TEXT_PATTERN = '^[^\\u0000-\\u001F\\u007F]*[^\\s\\u0000-\\u001F\\u007F][^\\u0000-\\u001F\\u007F]*$';
/** Any text (also empty) without control characters: descriptions. */
export const OPTIONAL_TEXT_PATTERN = '^[^\\u0000-\\u001F\\u007F]*$';
/** Identifiers such as activity IDs: letters, digits and dashes. */
export const ID_PATTERN = '^[A-Za-z0-9-]+$';
/** A SHA-256 digest in base64: 32 bytes → 44 characters. */
export const SHA256_BASE64_PATTERN = '^[A-Za-z0-9+/]{43}=$';

/** What each pattern means, for validation errors that say what was expected. */
export const PATTERN_MESSAGES: Record<string, string> = {
  [TEXT_PATTERN]: 'must be non-blank text without control characters',
  [OPTIONAL_TEXT_PATTERN]: 'must not contain control characters',
  [ID_PATTERN]: 'must contain only letters, digits and dashes',
  [SHA256_BASE64_PATTERN]: 'must be a base64-encoded SHA-256 digest (44 characters)',
};

/** A string enum as JSON Schema's `enum` (clear errors listing the allowed values; an enum in OpenAPI, as the vendor's). */
export function StringEnum<const T extends readonly string[]>(values: T): TUnsafe<T[number]> {
  return Type.Unsafe<T[number]>({ type: 'string', enum: [...values] });
}

export const Uuid = Type.String({ format: 'uuid' });
export const DateTime = Type.String({ format: 'date-time' });

export const OrganizationIdParams = Type.Object({ organizationId: Uuid }, { additionalProperties: false });

export const CloudProvider = StringEnum(CLOUD_PROVIDERS);
export const CloudRegion = StringEnum(CLOUD_REGIONS);

export const PrivateEndpointSchema = Type.Object({
  id: Type.String(),
  description: Type.String(),
  cloudProvider: Type.String(),
  region: Type.String(),
});

export const ByocConfigSchema = Type.Object({
  id: Type.String(),
  state: Type.String(),
  accountName: Type.String(),
  regionId: Type.String(),
  cloudProvider: Type.String(),
  displayName: Type.String(),
});

export const OrganizationSchema = Type.Object({
  id: Uuid,
  createdAt: DateTime,
  name: Type.String(),
  privateEndpoints: Type.Array(PrivateEndpointSchema),
  byocConfig: Type.Array(ByocConfigSchema),
  enableCoreDumps: Type.Boolean(),
});

export const ActivitySchema = Type.Object({
  id: Type.String(),
  createdAt: DateTime,
  type: Type.String(),
  actorType: Type.String(),
  actorId: Type.Optional(Type.String()),
  actorDetails: Type.Optional(Type.String()),
  actorIpAddress: Type.Optional(Type.String()),
  userAgent: Type.Optional(Type.String()),
  organizationId: Type.String(),
  serviceId: Type.Optional(Type.String()),
  targetKeyId: Type.Optional(Type.String()),
  keyUpdateType: Type.Optional(Type.String()),
});

/** The success envelope around a route's result. */
export function envelope<T extends TSchema>(result: T) {
  return Type.Object({ status: Type.Number(), requestId: Type.String({ format: 'uuid' }), result });
}

/** The success envelope of a route that returns no result (e.g. DELETE). */
export const EmptyEnvelope = Type.Object({ status: Type.Number(), requestId: Type.String({ format: 'uuid' }) });

export const ErrorEnvelope = Type.Object({ status: Type.Number(), error: Type.String(), requestId: Type.String({ format: 'uuid' }) });
