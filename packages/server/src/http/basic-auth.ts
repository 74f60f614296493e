import type { Credentials } from '../domain/keys/key-verification.js';

/** The credentials of an HTTP Basic Authorization header, or undefined when it is absent or malformed. */
export function parseBasic(header: string | undefined): Credentials | undefined {
  if (!header) return undefined;
  const match = /^Basic +([A-Za-z0-9+/=]+) *$/i.exec(header);
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0 || colon === decoded.length - 1) return undefined;
  return { keyId: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}
