/**
 * The rules and defaults of BYOC infrastructures (documented in the README),
 * shared by the schemas, the service and the fixtures.
 */

/** Infrastructures an organization may hold that are not terminated. */
export const MAX_BYOC_INFRASTRUCTURES_PER_ORGANIZATION = 20;
/** How long a new infrastructure provisions when the server is not told otherwise (`--byoc-provisioning-seconds`). */
export const DEFAULT_BYOC_PROVISIONING_SECONDS = 30;
/** How long a deleted infrastructure stays listed as infra-terminated before it disappears. */
export const BYOC_TERMINATED_VISIBLE_MS = 300_000;

export const AVAILABILITY_ZONE_SUFFIXES = ['a', 'b', 'c', 'd', 'e', 'f'] as const;
export const DEFAULT_AVAILABILITY_ZONE_SUFFIXES = ['a', 'b', 'c'];
export const DEFAULT_VPC_CIDR_RANGE = '10.0.0.0/16';
export const MIN_VPC_PREFIX_LENGTH = 16;
export const MAX_VPC_PREFIX_LENGTH = 24;
/** Long enough for any valid account ID of the three providers (an Azure subscription UUID is the longest). */
export const MAX_ACCOUNT_ID_LENGTH = 64;
/** Long enough for any canonical IPv4 CIDR ("255.255.255.255/32"). */
export const MAX_CIDR_LENGTH = 18;

export const BYOC_STATES = ['infra-ready', 'infra-provisioning', 'infra-terminated'] as const;
export type ByocState = (typeof BYOC_STATES)[number];
