/**
 * The vendor's Activity.type enum, all of it, in the vendor's order (its
 * OpenAPI document's components.schemas.Activity.properties.type.enum). The
 * schema of Activity.type (schemas/activity.ts) is this enum, so orgplane's
 * OpenAPI document shows the vendor's.
 */
export const ACTIVITY_TYPES = [
  'create_organization',
  'organization_update_name',
  'transfer_service_in',
  'transfer_service_out',
  'save_payment_method',
  'marketplace_subscription',
  'migrate_marketplace_billing_details_in',
  'migrate_marketplace_billing_details_out',
  'organization_update_tier',
  'organization_invite_create',
  'organization_invite_delete',
  'organization_member_join',
  'organization_member_add',
  'organization_member_leave',
  'organization_member_delete',
  'organization_member_update_role',
  'organization_member_update_roles',
  'organization_member_update_mfa_method',
  'organization_saml_connection_create',
  'organization_saml_connection_update',
  'user_login',
  'user_login_failed',
  'user_logout',
  'key_create',
  'key_delete',
  'openapi_key_update',
  'service_create',
  'service_start',
  'service_stop',
  'service_awaken',
  'service_idle',
  'service_running',
  'service_partially_running',
  'service_delete',
  'service_update_name',
  'service_update_ip_access_list',
  'service_update_autoscaling_memory',
  'service_update_autoscaling_idling',
  'service_update_password',
  'service_update_autoscaling_replicas',
  'service_update_max_allowable_replicas',
  'service_update_backup_configuration',
  'service_update_snapshot_configuration',
  'service_restore_backup',
  'service_update_release_channel',
  'service_update_gpt_usage_consent',
  'service_update_private_endpoints',
  'service_import_to_organization',
  'service_export_from_organization',
  'service_maintenance_start',
  'service_maintenance_end',
  'service_update_core_dump',
  'backup_delete',
] as const;

/** The vendor's Activity.keyUpdateType enum, all of it, in the vendor's order. */
export const KEY_UPDATE_TYPES = [
  'created',
  'deleted',
  'name-changed',
  'role-changed',
  'state-changed',
  'date-changed',
  'ip-access-list-changed',
  'org-role-changed',
  'default-service-role-changed',
  'service-role-changed',
  'roles-v2-changed',
] as const;

/** Compiles only when every member of T is one of U. */
type SubsetOf<U, T extends U> = T;

/**
 * The activity types orgplane records: a subset of the vendor's enum (checked
 * at compile time), since the official clients reject anything else. The
 * invitation and member types are for the member and invitation operations.
 */
export type ActivityType = SubsetOf<
  (typeof ACTIVITY_TYPES)[number],
  | 'create_organization'
  | 'organization_update_name'
  | 'organization_invite_create'
  | 'organization_invite_delete'
  | 'organization_member_join'
  | 'organization_member_add'
  | 'organization_member_delete'
  | 'organization_member_update_role'
  | 'organization_member_update_roles'
  | 'key_create'
  | 'key_delete'
  | 'openapi_key_update'
>;

/** The keyUpdateType values orgplane records on openapi_key_update activities; a subset of the vendor's enum. */
export type KeyUpdateType = SubsetOf<
  (typeof KEY_UPDATE_TYPES)[number],
  'name-changed' | 'role-changed' | 'state-changed' | 'date-changed' | 'ip-access-list-changed' | 'roles-v2-changed'
>;
