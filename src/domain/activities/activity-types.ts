/**
 * The activity types orgplane writes. Each one is a member of the vendor's
 * Activity.type enum: the official clients reject anything else.
 */
export type ActivityType =
  | 'create_organization'
  | 'organization_update_name'
  | 'key_create'
  | 'key_delete'
  | 'openapi_key_update';

export type KeyUpdateType = 'name-changed' | 'role-changed' | 'state-changed' | 'date-changed' | 'ip-access-list-changed' | 'roles-v2-changed';
