import type { ActivityTable } from '../domain/activities/activity.table.js';
import type { ApiKeyTable } from '../domain/keys/key.table.js';
import type { ByocInfrastructureTable, OrganizationTable, PrivateEndpointTable } from '../domain/organizations/organization.table.js';

export interface Database {
  organizations: OrganizationTable;
  private_endpoints: PrivateEndpointTable;
  byoc_infrastructures: ByocInfrastructureTable;
  api_keys: ApiKeyTable;
  activities: ActivityTable;
}
