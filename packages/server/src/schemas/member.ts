import { Type, type Static } from '@sinclair/typebox';
import { DateTime, StringEnum, Uuid } from './common.js';
import { AssignedRoleIds, AssignedRoleSchema } from './role.js';

// Field names and enums follow the vendor's Member, MemberPatchRequest,
// Invitation and InvitationPostRequest schemas. A member's (or invitation's)
// access is its assignedRoles; the deprecated `role` is derived from them:
// admin when they include the Admin system role, else developer when they
// include Developer, else absent.

export const MEMBER_ROLES = ['admin', 'developer'] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];
export const MemberRoleSchema = StringEnum(MEMBER_ROLES);
/** The deprecated `role` of member and invitation writes. */
export const DeprecatedMemberRole = Type.Unsafe<MemberRole>({
  type: 'string',
  enum: [...MEMBER_ROLES],
  deprecated: true,
  description: 'Deprecated: use assignedRoleIds. admin or developer: the system role Admin or Developer, alone.',
});

export const MemberSchema = Type.Object({
  userId: Uuid,
  name: Type.String(),
  email: Type.String({ format: 'email' }),
  role: Type.Optional(MemberRoleSchema),
  joinedAt: DateTime,
  assignedRoles: Type.Array(AssignedRoleSchema),
});

export const MemberPatchRequest = Type.Object(
  {
    role: Type.Optional(DeprecatedMemberRole),
    assignedRoleIds: Type.Optional(AssignedRoleIds),
  },
  { additionalProperties: false },
);

export const MemberParams = Type.Object({ organizationId: Uuid, userId: Uuid }, { additionalProperties: false });

export type Member = Static<typeof MemberSchema>;
export type MemberPatch = Static<typeof MemberPatchRequest>;
