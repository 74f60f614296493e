import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ipAllowed, isValidIpSource, parseIpSource } from '../../src/domain/keys/ip-access-list.js';

describe('IP access lists', () => {
  const list = (...sources: string[]) => sources.map(parseIpSource);

  it('allows everything when the list is empty', () => {
    assert.equal(ipAllowed('203.0.113.9', []), true);
  });
  it('matches addresses and CIDRs of either family', () => {
    assert.equal(ipAllowed('127.0.0.1', list('127.0.0.0/8')), true);
    assert.equal(ipAllowed('10.1.2.3', list('127.0.0.0/8')), false);
    assert.equal(ipAllowed('::1', list('::1')), true);
    assert.equal(ipAllowed('2001:db8::5', list('2001:db8::/32')), true);
    assert.equal(ipAllowed('127.0.0.1', list('::1')), false);
  });
  it('matches IPv4-mapped IPv6 client addresses against IPv4 entries', () => {
    assert.equal(ipAllowed('::ffff:127.0.0.1', list('127.0.0.1')), true);
    assert.equal(ipAllowed('::ffff:127.0.0.1', list('127.0.0.0/8')), true);
    assert.equal(ipAllowed('::ffff:10.0.0.1', list('127.0.0.0/8')), false);
  });
  it('refuses an unparsable client address when a list is set', () => {
    assert.equal(ipAllowed('not-an-ip', list('0.0.0.0/0')), false);
  });
  it('accepts only dotted-quad IPv4, IPv6 and valid CIDRs as sources', () => {
    for (const ok of ['127.0.0.1', '10.0.0.0/8', '::1', '2001:db8::/32', '0.0.0.0/0']) assert.equal(isValidIpSource(ok), true, ok);
    for (const bad of ['127.1', '0x7f.0.0.1', '300.1.1.1', '10.0.0.0/33', '::1/129', 'abc', '', '10.0.0.0/']) assert.equal(isValidIpSource(bad), false, bad);
  });
});
