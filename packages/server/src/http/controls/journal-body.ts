import { codePointPrefix } from '../../vocabulary/text.js';
import { MAX_JOURNAL_BODY_CHARS } from '../../schemas/controls.js';

/**
 * Properties whose values the journal never keeps, at any depth, compared
 * without regard to case: the credentials and their hashes of the key API
 * (`keyId`/`keySecret`, `hashData` with its `keyIdHash`/`keySecretHash`),
 * and the usual names of secrets, for bodies the schemas refuse but the
 * journal still records.
 */
const SECRET_FIELDS = new Set(['keyid', 'keysecret', 'hashdata', 'keyidhash', 'keysecrethash', 'password', 'secret', 'token', 'authorization']);
const REDACTED = '[redacted]';

/** A request body as the journal keeps it: its JSON text, redacted, and cut to the bound. */
export interface JournalBody {
  /** Absent only for a body too deeply nested to write out again. */
  text?: string;
  truncated: boolean;
}

export function journalBody(body: unknown): JournalBody {
  let text: string;
  try {
    text = JSON.stringify(body, (key, value: unknown) => (SECRET_FIELDS.has(key.toLowerCase()) ? REDACTED : value));
  } catch {
    return { truncated: true };
  }
  const kept = codePointPrefix(text, MAX_JOURNAL_BODY_CHARS);
  if (kept.length === text.length) return { text, truncated: false };
  return { text: detached(kept), truncated: true };
}

/**
 * A copy of `text` that shares no memory with the string it was cut from. In
 * V8 a slice refers to its parent, so a kept prefix would hold the whole body
 * alive for as long as the journal keeps the entry. Through UTF-8 the copy is
 * exact: JSON.stringify escapes lone surrogates, and the prefix never ends
 * inside a surrogate pair.
 */
function detached(text: string): string {
  return Buffer.from(text, 'utf8').toString('utf8');
}

/** The body fields of a journal entry: the value itself when whole, else the start of its JSON text. */
export function journalBodyFields({ text, truncated }: JournalBody): { body?: unknown; bodyTruncated?: true } {
  if (!truncated) return { body: JSON.parse(text!) };
  return { ...(text !== undefined ? { body: text } : {}), bodyTruncated: true };
}
