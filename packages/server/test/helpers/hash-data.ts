import { createHash } from 'node:crypto';

/** The vendor's ApiKeyHashData algorithm, computed independently of the server: base64(sha256(value)). */
export const sha256Base64 = (value: string): string => createHash('sha256').update(value, 'utf8').digest('base64');
