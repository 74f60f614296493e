/**
 * Rules for the text orgplane stores, as regular expressions that the route
 * schemas validate with and the domain checks input from other entry points
 * (the operator CLI) against.
 */

import { fullFormats } from 'ajv-formats/dist/formats.js';

/** Non-blank text without control characters. */
export const TEXT_PATTERN = '^[^\\u0000-\\u001F\\u007F]*[^\\s\\u0000-\\u001F\\u007F][^\\u0000-\\u001F\\u007F]*$';
/** Any text (also empty) without control characters: descriptions. */
export const OPTIONAL_TEXT_PATTERN = '^[^\\u0000-\\u001F\\u007F]*$';
export const KEY_ID_LENGTH = 20;
export const KEY_SECRET_LENGTH = 42;
/** What generated key IDs and secrets look like: a fixture's known ones must look the same. */
export const KEY_ID_PATTERN = `^[A-Za-z0-9]{${KEY_ID_LENGTH}}$`;
export const KEY_SECRET_PATTERN = `^[A-Za-z0-9]{${KEY_SECRET_LENGTH}}$`;
/** A SHA-256 digest in base64: 32 bytes → 44 characters. */
export const SHA256_BASE64_PATTERN = '^[A-Za-z0-9+/]{43}=$';

/** What each pattern means, for validation errors that say what was expected. */
export const PATTERN_MESSAGES: Record<string, string> = {
  [TEXT_PATTERN]: 'must be non-blank text without control characters',
  [OPTIONAL_TEXT_PATTERN]: 'must not contain control characters',
  [SHA256_BASE64_PATTERN]: 'must be a base64-encoded SHA-256 digest (44 characters)',
  [KEY_ID_PATTERN]: `must be ${KEY_ID_LENGTH} letters and digits, as generated key IDs are`,
  [KEY_SECRET_PATTERN]: `must be ${KEY_SECRET_LENGTH} letters and digits, as generated key secrets are`,
};

/**
 * How long a text is in characters (code points), as every length bound of
 * orgplane counts it: the schemas' maxLength (ajv counts code points) and the
 * domain's checks alike. An emoji is one character, not two UTF-16 units.
 */
export function characterCount(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++, count++) if (text.codePointAt(i)! > 0xffff) i++;
  return count;
}

const NAME = new RegExp(TEXT_PATTERN, 'u');
export const MAX_NAME_LENGTH = 255;

/** The rule for names (organizations, keys, members): 1 to 255 characters of non-blank text without control characters. */
export function isValidName(name: string): boolean {
  return characterCount(name) <= MAX_NAME_LENGTH && NAME.test(name);
}

/** ajv-formats' (full) email format, the one the API's schemas check `email` with, plus the length the schemas allow. */
const EMAIL = fullFormats.email as RegExp;
export const MAX_EMAIL_LENGTH = 254;

export function isValidEmail(email: string): boolean {
  return characterCount(email) <= MAX_EMAIL_LENGTH && EMAIL.test(email);
}

/**
 * What is kept of a request's User-Agent on the activities it causes: the
 * header is the caller's to make as long as the server's header limit allows,
 * and every activity listed carries it, so only this much is stored (the
 * request is not refused for it).
 */
export const MAX_USER_AGENT_LENGTH = 512;

/**
 * What is kept of the client address on an activity. A valid address is at
 * most 45 characters plus an IPv6 zone ID (%eth0), which X-Forwarded-For
 * through a trusted proxy can make as long as the header.
 */
export const MAX_ADDRESS_LENGTH = 64;

/** The first `max` code points of `text` (never half of a surrogate pair), or all of it when it is no longer. */
export function codePointPrefix(text: string, max: number): string {
  // A code point is one or two code units, so a string this short has at most `max`.
  if (text.length <= max) return text;
  let end = 0;
  for (let points = 0; points < max && end < text.length; points++) end += text.codePointAt(end)! > 0xffff ? 2 : 1;
  return text.slice(0, end);
}
