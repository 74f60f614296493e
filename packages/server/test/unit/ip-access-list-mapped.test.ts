import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ipAllowed, isValidIpSource, parseIpSource } from '../../src/domain/keys/ip-access-list.js';

// Allow-list entries written in IPv4-mapped IPv6 form. The server accepts them
// as valid sources, so they must admit the IPv4 client they name, whether the
// socket reports it as 127.0.0.1 or as ::ffff:127.0.0.1.
describe('IP access lists: IPv4-mapped entries', () => {
  const list = (...sources: string[]) => sources.map(parseIpSource);

  it('a ::ffff:a.b.c.d entry is a valid source', () => {
    assert.equal(isValidIpSource('::ffff:127.0.0.1'), true);
    assert.equal(isValidIpSource('::ffff:127.0.0.0/104'), true);
  });
  it('a ::ffff:127.0.0.1 entry admits 127.0.0.1 and ::ffff:127.0.0.1, and nothing else', () => {
    assert.equal(ipAllowed('127.0.0.1', list('::ffff:127.0.0.1')), true);
    assert.equal(ipAllowed('::ffff:127.0.0.1', list('::ffff:127.0.0.1')), true);
    assert.equal(ipAllowed('127.0.0.2', list('::ffff:127.0.0.1')), false);
    assert.equal(ipAllowed('::1', list('::ffff:127.0.0.1')), false);
  });
  it('a ::ffff:127.0.0.0/104 entry admits the whole 127.0.0.0/8', () => {
    assert.equal(ipAllowed('127.9.9.9', list('::ffff:127.0.0.0/104')), true);
    assert.equal(ipAllowed('::ffff:127.9.9.9', list('::ffff:127.0.0.0/104')), true);
    assert.equal(ipAllowed('10.0.0.1', list('::ffff:127.0.0.0/104')), false);
  });
  it('plain IPv4 and IPv6 entries keep working for mapped clients', () => {
    assert.equal(ipAllowed('::ffff:10.1.2.3', list('10.0.0.0/8')), true);
    assert.equal(ipAllowed('::ffff:10.1.2.3', list('0.0.0.0/0')), true);
  });
});
