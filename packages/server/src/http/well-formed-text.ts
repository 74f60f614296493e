import { badRequest } from '../domain/errors.js';

declare global {
  // Node.js 20 has it (ES2024); the TypeScript lib this project targets does not name it yet.
  interface String {
    isWellFormed(): boolean;
  }
}

// A \uD800–\uDFFF escape: the only way a JSON text that is itself well-formed can decode to a lone surrogate.
const SURROGATE_ESCAPE = /\\u[dD][89a-fA-F]/;

function illFormedPath(value: unknown, path: string): string | undefined {
  if (typeof value === 'string') return value.isWellFormed() ? undefined : path || '(body)';
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = illFormedPath(value[i], `${path}[${i}]`);
      if (found) return found;
    }
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const at = path ? `${path}.${key}` : key;
      if (!key.isWellFormed()) return at;
      const found = illFormedPath(item, at);
      if (found) return found;
    }
  }
  return undefined;
}

/**
 * Refuses a JSON body holding a string that is not valid Unicode (a lone
 * surrogate such as "\ud800"): neither backend can store it as sent (SQLite
 * and PostgreSQL each replace it differently), so it would be acknowledged and
 * read back changed. A 400 naming the field, before anything is validated or
 * written; bodies without a surrogate escape are not walked.
 */
export function assertWellFormedBody(text: string, parsed: unknown): void {
  if (text.isWellFormed() && !SURROGATE_ESCAPE.test(text)) return;
  const path = illFormedPath(parsed, '');
  if (path) throw badRequest(`Invalid field '${path}': must be valid Unicode text (it holds a lone surrogate)`);
}
