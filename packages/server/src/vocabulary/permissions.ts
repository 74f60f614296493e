/**
 * The vendor's permission strings (its console roles and permissions
 * reference, and what its clients send). Roles may name only these; an
 * unknown one is refused. The organization API itself checks only the
 * organization-level ones; the service-level and SQL console ones are
 * accepted, stored and returned so that roles written for the vendor carry
 * over unchanged.
 */
export const ORGANIZATION_PERMISSIONS = [
  'control-plane:organization:view',
  'control-plane:organization:manage',
  'control-plane:organization:view-billing',
  'control-plane:organization:manage-billing',
  'control-plane:organization:view-api-keys',
  'control-plane:organization:create-api-keys',
  'control-plane:organization:update-api-keys',
  'control-plane:organization:delete-api-keys',
  'control-plane:support:manage',
] as const;

export const SERVICE_PERMISSIONS = [
  'control-plane:service:view',
  'control-plane:service:manage',
  'control-plane:service:view-backups',
  'control-plane:service:manage-backups',
  'control-plane:service:manage-ip-access-list',
  'control-plane:service:manage-generative-ai',
  'control-plane:service:view-query-api-endpoints',
  'control-plane:service:manage-query-api-endpoints',
  'control-plane:service:view-private-endpoints',
  'control-plane:service:manage-private-endpoints',
  // The vendor's API grants it along with control-plane:service:manage, and its Terraform provider expects it back.
  'control-plane:service:delete',
  'control-plane:service:manage-clickpipes',
  'control-plane:service:view-scaling-config',
  'control-plane:service:manage-scaling-config',
  'control-plane:service:manage-clickstack-api',
  // The vendor's Postgres services have their own pair, which its clients require on the Postgres operations.
  'control-plane:postgres-service:view',
  'control-plane:postgres-service:manage',
] as const;

/** Passwordless database access through the vendor's SQL console: its clients put it on instance/... resources, with tags.roleV2 or tags.grants. */
export const SQL_CONSOLE_PERMISSIONS = ['sql-console:database:access'] as const;

export const PERMISSIONS = [...ORGANIZATION_PERMISSIONS, ...SERVICE_PERMISSIONS, ...SQL_CONSOLE_PERMISSIONS] as const;

export type OrganizationPermission = (typeof ORGANIZATION_PERMISSIONS)[number];
export type Permission = (typeof PERMISSIONS)[number];

const KNOWN = new Set<string>(PERMISSIONS);

export function isPermission(value: string): value is Permission {
  return KNOWN.has(value);
}
