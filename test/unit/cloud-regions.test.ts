import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CLOUD_REGIONS, REGIONS_BY_PROVIDER, regionBelongsTo } from '../../src/domain/cloud-regions.js';

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
  it('assigns each of the 23 reference regions to exactly one provider', () => {
    assert.equal(CLOUD_REGIONS.length, 23);
    assert.equal(new Set(CLOUD_REGIONS).size, 23);
    const counted = Object.values(REGIONS_BY_PROVIDER).reduce((n, regions) => n + regions.length, 0);
    assert.equal(counted, 23);
  });
});
