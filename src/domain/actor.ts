/**
 * Who performed a change, built once per request (or per CLI command) and
 * recorded on every activity it causes. actorId is the API key's UUID, never
 * the key ID credential.
 */
export interface Actor {
  type: 'api' | 'system';
  id: string;
  details: string;
  ipAddress?: string;
  userAgent?: string;
}

export function systemActor(command: string): Actor {
  return { type: 'system', id: 'orgplane-cli', details: `orgplane ${command}` };
}
