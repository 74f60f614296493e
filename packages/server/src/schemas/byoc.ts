import { Type, type Static } from '@sinclair/typebox';
import { AVAILABILITY_ZONE_SUFFIXES, BYOC_TERMINATED_VISIBLE_MS, DEFAULT_AVAILABILITY_ZONE_SUFFIXES, DEFAULT_VPC_CIDR_RANGE, MAX_ACCOUNT_ID_LENGTH, MAX_BYOC_INFRASTRUCTURES_PER_ORGANIZATION, MAX_CIDR_LENGTH, MAX_VPC_PREFIX_LENGTH, MIN_VPC_PREFIX_LENGTH } from '../vocabulary/byoc.js';
import { MAX_NAME_LENGTH, TEXT_PATTERN } from '../vocabulary/text.js';
import { StringEnum, Uuid } from './common.js';
import { CloudRegion } from './organization.js';

// Field names follow the vendor's ByocInfrastructurePostRequest and
// ByocInfrastructurePatchRequest; the answer is its ByocConfig.

const displayName = (description: string) => Type.String({ minLength: 1, maxLength: MAX_NAME_LENGTH, pattern: TEXT_PATTERN, description });

export const ByocInfrastructurePostRequest = Type.Object(
  {
    regionId: CloudRegion,
    accountId: Type.String({
      maxLength: MAX_ACCOUNT_ID_LENGTH,
      description: "The cloud account of the region's provider: an AWS account ID (12 digits), a GCP project ID or an Azure subscription UUID",
    }),
    availabilityZoneSuffixes: Type.Optional(
      Type.Array(StringEnum(AVAILABILITY_ZONE_SUFFIXES), {
        minItems: 1,
        maxItems: AVAILABILITY_ZONE_SUFFIXES.length,
        description: `1 to ${AVAILABILITY_ZONE_SUFFIXES.length} distinct zone suffixes (default ${DEFAULT_AVAILABILITY_ZONE_SUFFIXES.join(', ')})`,
      }),
    ),
    vpcCidrRange: Type.Optional(
      Type.String({
        maxLength: MAX_CIDR_LENGTH,
        description: `A private (RFC 1918) IPv4 CIDR from /${MIN_VPC_PREFIX_LENGTH} to /${MAX_VPC_PREFIX_LENGTH}, without host bits (default ${DEFAULT_VPC_CIDR_RANGE})`,
      }),
    ),
    displayName: Type.Optional(displayName("Human readable name for infrastructure (default 'BYOC <regionId> <accountId>')")),
  },
  {
    additionalProperties: false,
    description: `One (regionId, accountId) per organization and at most ${MAX_BYOC_INFRASTRUCTURES_PER_ORGANIZATION} infrastructures that are not terminated; a terminated one stays listed for ${BYOC_TERMINATED_VISIBLE_MS / 1000} s`,
  },
);

export const ByocInfrastructurePatchRequest = Type.Object({ displayName: Type.Optional(displayName('Human readable name for infrastructure; the only field a PATCH changes')) }, { additionalProperties: false });

export const ByocInfrastructureParams = Type.Object({ organizationId: Uuid, byocInfrastructureId: Uuid }, { additionalProperties: false });

export type ByocInfrastructureCreate = Static<typeof ByocInfrastructurePostRequest>;
export type ByocInfrastructureUpdate = Static<typeof ByocInfrastructurePatchRequest>;
