import { Type, type Static } from '@sinclair/typebox';
import { MAX_ACTORS_PER_ROLE, MAX_ASSIGNED_ROLES, MAX_GRANT_TAG_LENGTH, MAX_GRANT_TAGS_PER_POLICY, MAX_PERMISSIONS_PER_POLICY, MAX_POLICIES_PER_ROLE, MAX_RESOURCES_PER_POLICY } from '../vocabulary/limits.js';
import { PERMISSIONS } from '../vocabulary/permissions.js';
import { MAX_NAME_LENGTH, TEXT_PATTERN } from '../vocabulary/text.js';
import { DateTime, StringEnum, Uuid } from './common.js';

// Field names and enums follow the vendor's RBACRole, RBACPolicy,
// RoleCreateRequest, RoleUpdateRequest and AssignedRole schemas.

const RoleType = StringEnum(['system', 'custom'] as const);
const AllowDeny = StringEnum(['ALLOW', 'DENY'] as const);
const RoleV2 = StringEnum(['sql-console-readonly', 'sql-console-admin'] as const);

export const AssignedRoleSchema = Type.Object({ roleId: Uuid, roleName: Type.String(), roleType: RoleType });

const PolicyTagsSchema = Type.Object({ grants: Type.Optional(Type.Array(Type.String())), roleV2: Type.Optional(RoleV2) });

export const RbacPolicySchema = Type.Object({
  id: Uuid,
  roleId: Uuid,
  tenantId: Type.String(),
  allowDeny: AllowDeny,
  permissions: Type.Array(Type.String()),
  resources: Type.Array(Type.String()),
  tags: Type.Optional(PolicyTagsSchema),
});

export const RbacRoleSchema = Type.Object({
  id: Uuid,
  tenantId: Type.String(),
  ownerId: Type.String(),
  name: Type.String(),
  type: RoleType,
  actors: Type.Array(Type.String()),
  policies: Type.Array(RbacPolicySchema),
  createdAt: DateTime,
  updatedAt: DateTime,
});

const Name = Type.String({ minLength: 1, maxLength: MAX_NAME_LENGTH, pattern: TEXT_PATTERN });
const Actors = Type.Array(Type.String({ maxLength: 64 }), {
  maxItems: MAX_ACTORS_PER_ROLE,
  description: 'Resource IDs of this organization: apiKey/<key UUID> or user/<userId>. Replaces the whole list.',
});

const PolicyInput = Type.Object(
  {
    allowDeny: AllowDeny,
    permissions: Type.Array(Type.String({ maxLength: 128 }), {
      minItems: 1,
      maxItems: MAX_PERMISSIONS_PER_POLICY,
      description: `One or more of: ${PERMISSIONS.join(', ')}`,
    }),
    resources: Type.Array(Type.String({ maxLength: 128 }), {
      minItems: 1,
      maxItems: MAX_RESOURCES_PER_POLICY,
      description: '*, organization/* or organization/<this organization ID>, instance/* or instance/<service ID>',
    }),
    tags: Type.Optional(
      Type.Object(
        {
          grants: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: MAX_GRANT_TAG_LENGTH, pattern: TEXT_PATTERN }), { maxItems: MAX_GRANT_TAGS_PER_POLICY })),
          roleV2: Type.Optional(RoleV2),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
const Policies = Type.Array(PolicyInput, { maxItems: MAX_POLICIES_PER_ROLE });

export const RoleCreateRequest = Type.Object({ name: Name, actors: Actors, policies: Policies }, { additionalProperties: false });

export const RoleUpdateRequest = Type.Object(
  { name: Type.Optional(Name), actors: Type.Optional(Actors), policies: Type.Optional(Policies) },
  { additionalProperties: false },
);

export const RoleParams = Type.Object({ organizationId: Uuid, roleId: Uuid }, { additionalProperties: false });

/** assignedRoleIds on key, member and invitation writes. */
export const AssignedRoleIds = Type.Array(Uuid, { maxItems: MAX_ASSIGNED_ROLES, description: 'Role IDs of this organization (system or custom); [] for none' });

export type AssignedRole = Static<typeof AssignedRoleSchema>;
export type RbacPolicy = Static<typeof RbacPolicySchema>;
export type RbacRole = Static<typeof RbacRoleSchema>;
export type RoleCreate = Static<typeof RoleCreateRequest>;
export type RoleUpdate = Static<typeof RoleUpdateRequest>;
export type PolicyInput = Static<typeof PolicyInput>;
