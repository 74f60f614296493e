import { Type, type Static } from '@sinclair/typebox';
import { BYOC_STATES } from '../vocabulary/byoc.js';
import { CLOUD_PROVIDERS, CLOUD_REGIONS } from '../vocabulary/cloud-regions.js';
import { MAX_PRIVATE_ENDPOINT_DESCRIPTION_LENGTH, MAX_PRIVATE_ENDPOINT_ID_LENGTH, MAX_PRIVATE_ENDPOINTS_PER_ORGANIZATION, MAX_PRIVATE_ENDPOINTS_PER_PATCH, MAX_REMOVED_PRIVATE_ENDPOINT_ID_LENGTH } from '../vocabulary/limits.js';
import { MAX_NAME_LENGTH, OPTIONAL_TEXT_PATTERN, TEXT_PATTERN } from '../vocabulary/text.js';
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
  state: StringEnum(BYOC_STATES),
  accountName: Type.String({ description: 'The cloud account ID' }),
  regionId: CloudRegion,
  cloudProvider: CloudProvider,
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

const privateEndpointPatch = (maxIdLength: number) =>
  Type.Object(
    {
      id: Type.String({ minLength: 1, maxLength: maxIdLength, pattern: TEXT_PATTERN }),
      description: Type.Optional(Type.String({ maxLength: MAX_PRIVATE_ENDPOINT_DESCRIPTION_LENGTH, pattern: OPTIONAL_TEXT_PATTERN })),
      cloudProvider: Type.Optional(CloudProvider),
      region: Type.Optional(CloudRegion),
    },
    { additionalProperties: false },
  );
export const PrivateEndpointPatch = privateEndpointPatch(MAX_PRIVATE_ENDPOINT_ID_LENGTH);

export const OrganizationPatchRequest = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: MAX_NAME_LENGTH, pattern: TEXT_PATTERN })),
    privateEndpoints: Type.Optional(
      Type.Object(
        {
          add: Type.Optional(
            Type.Array(PrivateEndpointPatch, {
              maxItems: MAX_PRIVATE_ENDPOINTS_PER_PATCH,
              description: `Added after remove; an organization holds at most ${MAX_PRIVATE_ENDPOINTS_PER_ORGANIZATION.toLocaleString('en-US')} private endpoints`,
            }),
          ),
          remove: Type.Optional(Type.Array(privateEndpointPatch(MAX_REMOVED_PRIVATE_ENDPOINT_ID_LENGTH), { maxItems: MAX_PRIVATE_ENDPOINTS_PER_PATCH })),
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
