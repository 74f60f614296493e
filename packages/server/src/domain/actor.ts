/**
 * Who performed a change, built once per request (or per CLI command) and
 * recorded on every activity it causes. actorId is the API key's UUID, never
 * the key ID credential.
 */
export interface Actor {
  /** 'user': a member acting for themselves (accepting an invitation through the operator). */
  type: 'api' | 'system' | 'user';
  id: string;
  details: string;
  ipAddress?: string;
  userAgent?: string;
}

export function systemActor(command: string): Actor {
  return { type: 'system', id: 'orgplane-cli', details: `orgplane ${command}` };
}
