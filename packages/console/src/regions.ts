import type { operations } from '@orgplane/client';

type Query = operations['organizationPrivateEndpointConfigGetList']['parameters']['query'];
export type CloudProvider = Query['cloud_provider'];
export type Region = Query['region_id'];

/** The vendor's regions per cloud provider, for the pickers (the type check below keeps it whole). */
export const REGIONS = {
  aws: ['ap-northeast-1', 'ap-northeast-2', 'ap-south-1', 'ap-southeast-1', 'ap-southeast-2', 'ca-central-1', 'eu-central-1', 'eu-west-1', 'eu-west-2', 'il-central-1', 'us-east-1', 'us-east-2', 'us-west-2'],
  gcp: ['us-east1', 'us-central1', 'europe-west2', 'europe-west4', 'asia-southeast1', 'asia-northeast1'],
  azure: ['eastus', 'eastus2', 'westus3', 'germanywestcentral', 'centralus'],
} as const satisfies Record<CloudProvider, readonly Region[]>;

// Fails to compile when the API gains a region or provider the pickers do not offer.
type Offered = (typeof REGIONS)[CloudProvider][number];
const everyRegionOffered: [Exclude<Region, Offered>] extends [never] ? true : never = true;
void everyRegionOffered;

export const PROVIDERS = Object.keys(REGIONS) as CloudProvider[];
