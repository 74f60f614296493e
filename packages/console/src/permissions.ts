/**
 * The permissions a role's policy may name, grouped as the role editor shows them. A copy of
 * packages/server/src/vocabulary/permissions.ts (ORGANIZATION_PERMISSIONS, SERVICE_PERMISSIONS,
 * SQL_CONSOLE_PERMISSIONS), in its order: the API's OpenAPI document lists them only in prose
 * (the role bodies take any string, so an unknown one gets the vendor's own message), and the
 * console must not import server code. test/roles.test.ts fails when the two lists differ.
 */
export const PERMISSION_GROUPS = [
  {
    name: 'Organization',
    permissions: [
      'control-plane:organization:view',
      'control-plane:organization:manage',
      'control-plane:organization:view-billing',
      'control-plane:organization:manage-billing',
      'control-plane:organization:view-api-keys',
      'control-plane:organization:create-api-keys',
      'control-plane:organization:update-api-keys',
      'control-plane:organization:delete-api-keys',
      'control-plane:support:manage',
    ],
  },
  {
    name: 'Services',
    permissions: [
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
      'control-plane:service:delete',
      'control-plane:service:manage-clickpipes',
      'control-plane:service:view-scaling-config',
      'control-plane:service:manage-scaling-config',
      'control-plane:service:manage-clickstack-api',
      'control-plane:postgres-service:view',
      'control-plane:postgres-service:manage',
    ],
  },
  { name: 'SQL console', permissions: ['sql-console:database:access'] },
] as const;

export const PERMISSIONS: readonly string[] = PERMISSION_GROUPS.flatMap((group) => group.permissions);
