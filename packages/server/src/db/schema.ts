import type { ActivityTable } from '../domain/activities/activity.table.js';
import type { ByocInfrastructureTable } from '../domain/byoc/byoc.table.js';
import type { InvitationTable } from '../domain/invitations/invitation.table.js';
import type { ApiKeyTable } from '../domain/keys/key.table.js';
import type { MemberTable } from '../domain/members/member.table.js';
import type { OrganizationTable, PrivateEndpointTable } from '../domain/organizations/organization.table.js';
import type { OrganizationQuotaTable } from '../domain/quotas/quota.table.js';
import type { RoleAssignmentTable, RoleTable } from '../domain/roles/role.table.js';
import type { ServiceRecordTable } from '../domain/services/service.table.js';
import type { UsageRecordTable } from '../domain/usage/usage.table.js';

export interface Database {
  organizations: OrganizationTable;
  private_endpoints: PrivateEndpointTable;
  byoc_infrastructures: ByocInfrastructureTable;
  api_keys: ApiKeyTable;
  activities: ActivityTable;
  roles: RoleTable;
  role_assignments: RoleAssignmentTable;
  members: MemberTable;
  invitations: InvitationTable;
  service_records: ServiceRecordTable;
  organization_quotas: OrganizationQuotaTable;
  usage_records: UsageRecordTable;
}
