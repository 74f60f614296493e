import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { byocStateAt } from '../../src/domain/byoc/byoc-state.js';
import { validAccountId, validVpcCidr, validZoneSuffixes } from '../../src/domain/byoc/byoc-validation.js';
import { BYOC_TERMINATED_VISIBLE_MS } from '../../src/vocabulary/byoc.js';
import { ApiError } from '../../src/domain/errors.js';

const refused = (fn: () => unknown, field: string) =>
  assert.throws(fn, (err: unknown) => err instanceof ApiError && err.status === 400 && err.message.includes(`'${field}'`));

describe('BYOC account IDs', () => {
  it('AWS: exactly 12 digits', () => {
    assert.equal(validAccountId('aws', '000000000000', 'accountId'), '000000000000');
    for (const bad of ['', '12345678901', '1234567890123', '12345678901a', ' 123456789012', '１２３４５６７８９０１２']) refused(() => validAccountId('aws', bad, 'accountId'), 'accountId');
  });
  it('GCP: 6 to 30 of a-z, 0-9 and -, starting with a letter, not ending with -', () => {
    for (const good of ['abcdef', 'a-1-b-2', `a${'0'.repeat(29)}`]) assert.equal(validAccountId('gcp', good, 'f'), good);
    for (const bad of ['abcde', `a${'0'.repeat(30)}`, '1abcdef', '-abcdef', 'abcdef-', 'abc_def', 'Abcdef', 'abc def']) refused(() => validAccountId('gcp', bad, 'f'), 'f');
  });
  it('Azure: a UUID, kept in lower case', () => {
    assert.equal(validAccountId('azure', 'ABCDEF01-2345-6789-ABCD-EF0123456789', 'f'), 'abcdef01-2345-6789-abcd-ef0123456789');
    for (const bad of ['abcdef01-2345-6789-abcd-ef012345678', '{abcdef01-2345-6789-abcd-ef0123456789}', 'abcdef0123456789abcdef0123456789', '123456789012']) refused(() => validAccountId('azure', bad, 'f'), 'f');
  });
});

describe('BYOC VPC ranges', () => {
  it('takes canonical private IPv4 CIDRs from /16 to /24 in each RFC 1918 block', () => {
    for (const good of ['10.0.0.0/16', '10.255.255.0/24', '172.16.0.0/16', '172.31.0.0/20', '192.168.0.0/16', '192.168.255.0/24']) assert.equal(validVpcCidr(good, 'v'), good);
  });
  it('refuses the rest, naming the field', () => {
    for (const bad of ['10.0.0.0/8', '10.0.0.0/15', '10.0.0.0/25', '10.0.0.0/32', '10.0.1.0/16', '172.15.0.0/16', '172.32.0.0/16', '192.169.0.0/16', '8.8.8.0/24', '100.64.0.0/16', '127.0.0.0/16', '10.0.0.0', '10.0.0/16', '10.0.0.0/16 ', '010.0.0.0/16', '10.0.0.0/016', '0x0a.0.0.0/16', 'fd00::/16', '::ffff:10.0.0.0/120', '']) {
      refused(() => validVpcCidr(bad, 'v'), 'v');
    }
  });
});

describe('BYOC zone suffixes', () => {
  it('refuses a repeated suffix, naming its index', () => {
    assert.deepEqual(validZoneSuffixes(['c', 'a'], 'z'), ['c', 'a']);
    refused(() => validZoneSuffixes(['a', 'b', 'b'], 'z'), 'z[2]');
  });
});

describe('BYOC state on the clock', () => {
  const t = Date.parse('2026-01-01T00:00:00.000Z');
  const at = (ms: number) => new Date(t + ms);
  const row = { state: 'infra-provisioning', ready_at: at(30_000).toISOString(), terminated_at: null };
  it('is provisioning before readyAt and ready from it', () => {
    assert.equal(byocStateAt(row, at(29_999)), 'infra-provisioning');
    assert.equal(byocStateAt(row, at(30_000)), 'infra-ready');
  });
  it('is terminated from terminatedAt for the visibility window, then gone', () => {
    const deleted = { ...row, terminated_at: at(0).toISOString() };
    assert.equal(byocStateAt(deleted, at(BYOC_TERMINATED_VISIBLE_MS - 1)), 'infra-terminated');
    assert.equal(byocStateAt(deleted, at(BYOC_TERMINATED_VISIBLE_MS)), undefined);
  });
  it('keeps the stored state of a row without instants', () => {
    assert.equal(byocStateAt({ state: 'infra-provisioning', ready_at: null, terminated_at: null }, at(1e12)), 'infra-provisioning');
  });
});
