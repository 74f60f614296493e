import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { digestsEqual, generateKeyPair, hashCredential, hashKeyPair, keySuffix } from '../../src/domain/keys/key-material.js';

describe('key material', () => {
  it('hashes as base64(sha256(value)), the vendor algorithm', () => {
    // echo -n "yourpassword" | sha256sum | xxd -r -p | base64
    assert.equal(hashCredential('yourpassword'), '48ZS8LoLSAEgWBT4trxJZyxMdOJbSXdwu4myLN606VE=');
    const viaShell = execFileSync('sh', ['-c', 'printf %s "abc" | sha256sum | cut -d" " -f1 | xxd -r -p | base64']).toString().trim();
    assert.equal(hashCredential('abc'), viaShell);
  });
  it('generates distinct alphanumeric pairs of the documented lengths', () => {
    const a = generateKeyPair();
    const b = generateKeyPair();
    assert.match(a.keyId, /^[A-Za-z0-9]{20}$/);
    assert.match(a.keySecret, /^[A-Za-z0-9]{42}$/);
    assert.notEqual(a.keyId, b.keyId);
    assert.notEqual(a.keySecret, b.keySecret);
  });
  it('keeps the last four characters of the key ID as the suffix', () => {
    assert.equal(keySuffix('ABCDEFGHIJKLMNOPWXYZ'), 'WXYZ');
    const hashed = hashKeyPair({ keyId: 'ABCDEFGHIJKLMNOPWXYZ', keySecret: 's' });
    assert.deepEqual(hashed, { keyIdHash: hashCredential('ABCDEFGHIJKLMNOPWXYZ'), keyIdSuffix: 'WXYZ', keySecretHash: hashCredential('s') });
  });
  it('compares digests exactly', () => {
    assert.equal(digestsEqual(hashCredential('a'), hashCredential('a')), true);
    assert.equal(digestsEqual(hashCredential('a'), hashCredential('b')), false);
    assert.equal(digestsEqual(hashCredential('a'), 'short'), false);
  });
});
