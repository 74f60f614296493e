import { v5 as uuidv5 } from 'uuid';
import type { KeyRole } from '../../vocabulary/key-roles.js';
import { PERMISSIONS, type Permission } from '../../vocabulary/permissions.js';
import type { PolicyRule } from './policy.js';

/**
 * The system roles every organization has. They are not rows: they are this
 * table, the same for every organization, with IDs derived from the
 * organization's ID (so every organization has them from the moment it
 * exists, existing ones included, and a change here reaches all of them).
 * The policies are documented in the README; keep the two in step.
 */
export const SYSTEM_ROLES = [
  { code: 'admin', name: 'Admin', policies: [allow(PERMISSIONS, ['*'])] },
  {
    code: 'developer',
    name: 'Developer',
    policies: [
      allow(
        ['control-plane:organization:view', 'control-plane:organization:view-billing', 'control-plane:service:view', 'control-plane:service:view-backups', 'control-plane:service:view-query-api-endpoints', 'control-plane:service:view-private-endpoints'],
        ['*'],
      ),
    ],
  },
  { code: 'billing', name: 'Billing', policies: [allow(['control-plane:organization:view', 'control-plane:organization:view-billing', 'control-plane:organization:manage-billing'], ['*'])] },
  {
    code: 'org_api_reader',
    name: 'Org API reader',
    policies: [allow(['control-plane:organization:view', 'control-plane:organization:view-billing', 'control-plane:organization:view-api-keys'], ['*'])],
  },
  { code: 'member', name: 'Member', policies: [] },
  { code: 'query_endpoints', name: 'Query endpoints', policies: [allow(['control-plane:service:view-query-api-endpoints'], ['instance/*'])] },
] as const satisfies readonly { code: string; name: string; policies: readonly PolicyRule[] }[];

export type SystemRoleCode = (typeof SYSTEM_ROLES)[number]['code'];
export type SystemRole = (typeof SYSTEM_ROLES)[number];

function allow(permissions: readonly Permission[], resources: string[]): PolicyRule {
  return { allowDeny: 'ALLOW', permissions: [...permissions], resources };
}

// Any fixed UUID: the namespace of system role and policy IDs.
const NAMESPACE = '6f0c1b0e-7a55-4d3c-9a57-3f4e0f7b9d21';

/** The ID a system role has in one organization: the same on every instance and after every restart. */
export function systemRoleId(organizationId: string, code: SystemRoleCode): string {
  return uuidv5(`${organizationId}/${code}`, NAMESPACE);
}

export function systemPolicyId(roleId: string, index: number): string {
  return uuidv5(`${roleId}/policy/${index}`, NAMESPACE);
}

/** The system role behind an ID of this organization, if it is one. */
export function systemRoleById(organizationId: string, roleId: string): SystemRole | undefined {
  return SYSTEM_ROLES.find((role) => systemRoleId(organizationId, role.code) === roleId);
}

export function systemRoleByCode(code: SystemRoleCode): SystemRole {
  return SYSTEM_ROLES.find((role) => role.code === code)!;
}

/** The policies a stored role row carries (null: a system role's, from this table), for key verification and the checks of keys. */
export function policiesOfRow(organizationId: string, roleId: string, stored: string | null): PolicyRule[] {
  if (stored !== null) return JSON.parse(stored) as PolicyRule[];
  return (systemRoleById(organizationId, roleId)?.policies ?? []) as PolicyRule[];
}

/** The deprecated key roles, each carried by the system role of the same code. */
export const LEGACY_KEY_ROLE_CODES: Record<KeyRole, SystemRoleCode> = { admin: 'admin', developer: 'developer', query_endpoints: 'query_endpoints' };
