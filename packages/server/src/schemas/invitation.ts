import { Type, type Static } from '@sinclair/typebox';
import { DateTime, Uuid } from './common.js';
import { MAX_ASSIGNED_ROLES } from '../vocabulary/limits.js';
import { DeprecatedMemberRole, MemberRoleSchema } from './member.js';
import { AssignedRoleSchema } from './role.js';

// Field names and enums follow the vendor's Invitation and InvitationPostRequest.

export const InvitationSchema = Type.Object({
  id: Uuid,
  email: Type.String({ format: 'email' }),
  role: Type.Optional(MemberRoleSchema),
  createdAt: DateTime,
  expireAt: DateTime,
  assignedRoles: Type.Array(AssignedRoleSchema),
});

export const InvitationPostRequest = Type.Object(
  {
    email: Type.String({ format: 'email', maxLength: 254, description: 'Stored in lower case; only this email can join with the invitation.' }),
    role: Type.Optional(DeprecatedMemberRole),
    assignedRoleIds: Type.Optional(
      Type.Array(Uuid, {
        maxItems: MAX_ASSIGNED_ROLES,
        description: 'Role IDs of this organization (system or custom) the invited user gets on joining; without it and without role, the Member system role',
      }),
    ),
  },
  { additionalProperties: false },
);

export const InvitationParams = Type.Object({ organizationId: Uuid, invitationId: Uuid }, { additionalProperties: false });

export type Invitation = Static<typeof InvitationSchema>;
export type InvitationPost = Static<typeof InvitationPostRequest>;
