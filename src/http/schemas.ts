import { Type, type TSchema } from '@sinclair/typebox';
import { CLOUD_PROVIDERS, CLOUD_REGIONS } from '../domain/cloud-regions.js';

// Shared building blocks for route schemas. Field names and enums follow the
// vendor's published OpenAPI document. Response schemas are allow-lists: the
// serializer drops anything not named here, so a hash can never leak by accident.

/** Non-blank text without control characters. */
export const TEXT_PATTERN = '^[^\\u0000-\\u001F\\u007F]*[^\\s\\u0000-\\u001F\\u007F][^\\u0000-\\u001F\\u007F]*$';

export const Uuid = Type.String({ format: 'uuid' });
export const DateTime = Type.String({ format: 'date-time' });

export const OrganizationIdParams = Type.Object({ organizationId: Uuid }, { additionalProperties: false });

export const CloudProvider = Type.Union(CLOUD_PROVIDERS.map((p) => Type.Literal(p)));
export const CloudRegion = Type.Union(CLOUD_REGIONS.map((r) => Type.Literal(r)));

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
