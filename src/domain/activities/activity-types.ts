/**
 * The activity types orgplane writes. Each one is a member of the vendor's
 * Activity.type enum: the official clients reject anything else.
 */
export type ActivityType =
  | 'create_organization'
  | 'organization_update_name'
  | 'key_create'
  | 'key_delete'
  | 'openapi_key_update'
  | 'organization_invite_create'
  | 'organization_invite_delete'
  | 'organization_member_join'
  | 'organization_member_add'
  | 'organization_member_delete'
  | 'organization_member_update_role'
  | 'organization_member_update_roles';

export type KeyUpdateType = 'name-changed' | 'role-changed' | 'state-changed' | 'date-changed' | 'ip-access-list-changed' | 'roles-v2-changed';
