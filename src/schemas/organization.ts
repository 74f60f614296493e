import { Type, type Static } from '@sinclair/typebox';
import { CLOUD_PROVIDERS, CLOUD_REGIONS } from '../domain/cloud-regions.js';
import { OPTIONAL_TEXT_PATTERN, TEXT_PATTERN } from '../domain/text.js';
import { DateTime, StringEnum, Uuid } from './common.js';

export const CloudProvider = StringEnum(CLOUD_PROVIDERS);
export const CloudRegion = StringEnum(CLOUD_REGIONS);

export const OrganizationIdParams = Type.Object({ organizationId: Uuid }, { additionalProperties: false });

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

const PrivateEndpointPatch = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 255, pattern: TEXT_PATTERN }),
    description: Type.Optional(Type.String({ maxLength: 255, pattern: OPTIONAL_TEXT_PATTERN })),
    cloudProvider: Type.Optional(CloudProvider),
    region: Type.Optional(CloudRegion),
  },
  { additionalProperties: false },
);

export const OrganizationPatchRequest = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 255, pattern: TEXT_PATTERN })),
    privateEndpoints: Type.Optional(
      Type.Object(
        {
          add: Type.Optional(Type.Array(PrivateEndpointPatch, { maxItems: 100 })),
          remove: Type.Optional(Type.Array(PrivateEndpointPatch, { maxItems: 100 })),
        },
        { additionalProperties: false },
      ),
    ),
    enableCoreDumps: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export type Organization = Static<typeof OrganizationSchema>;
export type PrivateEndpoint = Static<typeof PrivateEndpointSchema>;
export type ByocConfig = Static<typeof ByocConfigSchema>;
export type OrganizationPatch = Static<typeof OrganizationPatchRequest>;
export type PrivateEndpointInput = Static<typeof PrivateEndpointPatch>;
