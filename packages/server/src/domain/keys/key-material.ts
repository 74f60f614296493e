import { hash, randomBytes, timingSafeEqual } from 'node:crypto';
import { KEY_ID_LENGTH, KEY_SECRET_LENGTH } from '../../vocabulary/text.js';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Uniform random characters from the alphanumeric alphabet (rejection sampling, no modulo bias). */
function randomToken(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248 && out.length < length) out += ALPHABET[byte % ALPHABET.length];
    }
  }
  return out;
}

export interface KeyPair {
  keyId: string;
  keySecret: string;
}

export function generateKeyPair(): KeyPair {
  return { keyId: randomToken(KEY_ID_LENGTH), keySecret: randomToken(KEY_SECRET_LENGTH) };
}

/**
 * The vendor's ApiKeyHashData algorithm: base64(sha256(value)). Every request
 * hashes its key ID and secret; the one-shot crypto.hash (Node.js 20.12+) is
 * about 4× cheaper than a createHash object.
 */
export function hashCredential(value: string): string {
  return hash('sha256', value, 'base64');
}

/**
 * A digest of `value` under a secret `key`, for looking a value up without
 * holding it: SHA-256 of the key and the value together, one-shot (a keyed
 * prefix is sound here, as the digests never leave the process, and costs a
 * fraction of an HMAC object per request).
 */
export function keyedDigest(key: string, value: string): string {
  return hash('sha256', key + value, 'base64');
}

export function keySuffix(keyId: string): string {
  return keyId.slice(-4);
}

/** Constant-time comparison of two base64 SHA-256 digests. */
export function digestsEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'base64');
  const right = Buffer.from(b, 'base64');
  return left.length === right.length && timingSafeEqual(left, right);
}

export interface HashedKeyPair {
  keyIdHash: string;
  keyIdSuffix: string;
  keySecretHash: string;
}

export function hashKeyPair(pair: KeyPair): HashedKeyPair {
  return {
    keyIdHash: hashCredential(pair.keyId),
    keyIdSuffix: keySuffix(pair.keyId),
    keySecretHash: hashCredential(pair.keySecret),
  };
}
