import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CLOUD_REGIONS, providerOfRegion, REGIONS_BY_PROVIDER, regionBelongsTo } from '../../src/vocabulary/cloud-regions.js';

describe('cloud regions', () => {
  it('accepts a region of its own provider', () => {
    assert.equal(regionBelongsTo('aws', 'us-east-1'), true);
    assert.equal(regionBelongsTo('gcp', 'europe-west4'), true);
    assert.equal(regionBelongsTo('azure', 'germanywestcentral'), true);
  });
  it('rejects a region of another provider', () => {
    assert.equal(regionBelongsTo('aws', 'us-east1'), false);
    assert.equal(regionBelongsTo('gcp', 'eastus'), false);
    assert.equal(regionBelongsTo('azure', 'us-east-1'), false);
  });
  it('assigns each of the 24 reference regions to exactly one provider', () => {
    assert.equal(CLOUD_REGIONS.length, 24);
    assert.equal(new Set(CLOUD_REGIONS).size, 24);
    const counted = Object.values(REGIONS_BY_PROVIDER).reduce((n, regions) => n + regions.length, 0);
    assert.equal(counted, 24);
  });
  it("lists exactly the vendor's OrganizationPrivateEndpoint.region enum, in its order", () => {
    // Copied from the vendor's OpenAPI document (components.schemas.OrganizationPrivateEndpoint.properties.region.enum).
    const vendor = [
      'ap-northeast-1', 'ap-northeast-2', 'ap-south-1', 'ap-southeast-1', 'ap-southeast-2', 'ca-central-1', 'eu-central-1',
      'eu-west-1', 'eu-west-2', 'il-central-1', 'us-east-1', 'us-east-2', 'us-west-2',
      'us-east1', 'us-central1', 'europe-west2', 'europe-west4', 'asia-southeast1', 'asia-northeast1',
      'eastus', 'eastus2', 'westus3', 'germanywestcentral', 'centralus',
    ];
    assert.deepEqual(CLOUD_REGIONS, vendor);
    assert.equal(regionBelongsTo('aws', 'ca-central-1'), true);
  });
});

describe('providerOfRegion', () => {
  it("gives each region's one provider", () => {
    for (const [provider, regions] of Object.entries(REGIONS_BY_PROVIDER)) {
      for (const region of regions) assert.equal(providerOfRegion(region), provider, region);
    }
  });
});
