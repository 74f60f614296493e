/** Cloud providers and their regions, from the vendor's published enums. */
export const REGIONS_BY_PROVIDER = {
  aws: [
    'ap-northeast-1', 'ap-northeast-2', 'ap-south-1', 'ap-southeast-1', 'ap-southeast-2', 'ca-central-1',
    'eu-central-1', 'eu-west-1', 'eu-west-2', 'il-central-1', 'us-east-1', 'us-east-2', 'us-west-2',
  ],
  gcp: ['us-east1', 'us-central1', 'europe-west2', 'europe-west4', 'asia-southeast1', 'asia-northeast1'],
  azure: ['eastus', 'eastus2', 'westus3', 'germanywestcentral', 'centralus'],
} as const;

export type CloudProvider = keyof typeof REGIONS_BY_PROVIDER;
export type CloudRegion = (typeof REGIONS_BY_PROVIDER)[CloudProvider][number];

export const CLOUD_PROVIDERS = Object.keys(REGIONS_BY_PROVIDER) as CloudProvider[];
export const CLOUD_REGIONS = CLOUD_PROVIDERS.flatMap((p) => [...REGIONS_BY_PROVIDER[p]]) as CloudRegion[];

export function regionBelongsTo(provider: CloudProvider, region: string): boolean {
  return (REGIONS_BY_PROVIDER[provider] as readonly string[]).includes(region);
}

/** The provider a region belongs to (every region is one provider's). */
export function providerOfRegion(region: CloudRegion): CloudProvider {
  return CLOUD_PROVIDERS.find((p) => regionBelongsTo(p, region))!;
}
