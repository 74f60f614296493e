import { characterCount } from './text.js';

/** Bounds of the tags of a service record or a usage record, as cloud providers bound resource tags. */
export const MAX_TAGS = 50;
export const MAX_TAG_KEY_LENGTH = 128;
export const MAX_TAG_VALUE_LENGTH = 256;

const CONTROL = /[\u0000-\u001F\u007F]/;

/** Why a tag key is not one, or undefined: the filter `tag:Key=Value` splits at the first '=', so a key cannot hold one. */
export function tagKeyProblem(key: string): string | undefined {
  if (key.length === 0) return 'a tag key must not be empty';
  if (key.trim().length === 0) return 'a tag key must not be blank';
  if (characterCount(key) > MAX_TAG_KEY_LENGTH) return `a tag key must be at most ${MAX_TAG_KEY_LENGTH} characters`;
  if (key.includes('=')) return "a tag key must not contain '='";
  if (CONTROL.test(key)) return 'a tag key must not contain control characters';
  return undefined;
}

/** Why a tag value is not one, or undefined (an empty value is one). */
export function tagValueProblem(value: string): string | undefined {
  if (characterCount(value) > MAX_TAG_VALUE_LENGTH) return `a tag value must be at most ${MAX_TAG_VALUE_LENGTH} characters`;
  if (CONTROL.test(value)) return 'a tag value must not contain control characters';
  return undefined;
}
