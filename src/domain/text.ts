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
/** A SHA-256 digest in base64: 32 bytes → 44 characters. */
export const SHA256_BASE64_PATTERN = '^[A-Za-z0-9+/]{43}=$';

/** What each pattern means, for validation errors that say what was expected. */
export const PATTERN_MESSAGES: Record<string, string> = {
  [TEXT_PATTERN]: 'must be non-blank text without control characters',
  [OPTIONAL_TEXT_PATTERN]: 'must not contain control characters',
  [SHA256_BASE64_PATTERN]: 'must be a base64-encoded SHA-256 digest (44 characters)',
};

const NAME = new RegExp(TEXT_PATTERN, 'u');
export const MAX_NAME_LENGTH = 255;

/** The rule for names (organizations, keys): 1 to 255 characters of non-blank text without control characters. */
export function isValidName(name: string): boolean {
  return name.length <= MAX_NAME_LENGTH && NAME.test(name);
}

/** ajv-formats' (full) email format, the one the API's schemas check `email` with, plus the length the schemas allow. */
const EMAIL = fullFormats.email as RegExp;
export const MAX_EMAIL_LENGTH = 254;

export function isValidEmail(email: string): boolean {
  return email.length <= MAX_EMAIL_LENGTH && EMAIL.test(email);
}
