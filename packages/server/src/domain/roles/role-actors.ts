import { badRequest } from '../errors.js';
import type { OrganizationChange } from '../organizations/organization-change.js';
import { keyActor, userActor } from './actor-ids.js';

const ACTOR = /^(apiKey|user)\/([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$/;


/**
 * Checks a role's actor list: each must be `apiKey/<UUID>` of a key or
 * `user/<userId>` of a member of this organization (400 naming the entry).
 * Returns them normalised (lower-case IDs), without duplicates.
 */
export async function validActors(change: OrganizationChange, actors: string[]): Promise<string[]> {
  const parsed = actors.map((actor, i) => {
    const match = ACTOR.exec(actor);
    if (!match) throw badRequest(`Invalid field 'actors[${i}]': '${actor}' must be apiKey/<API key ID> or user/<user ID>`);
    return { i, actor, kind: match[1] as 'apiKey' | 'user', id: match[2]!.toLowerCase() };
  });
  const keyIds = parsed.filter((p) => p.kind === 'apiKey').map((p) => p.id);
  const userIds = parsed.filter((p) => p.kind === 'user').map((p) => p.id);
  const keys = keyIds.length === 0 ? [] : await change.trx.selectFrom('api_keys').select('id').where('organization_id', '=', change.organizationId).where('id', 'in', keyIds).execute();
  const users = userIds.length === 0 ? [] : await change.trx.selectFrom('members').select('user_id as id').where('organization_id', '=', change.organizationId).where('user_id', 'in', userIds).execute();
  const known = new Set([...keys.map((k) => keyActor(k.id)), ...users.map((u) => userActor(u.id))]);
  const result = new Set<string>();
  for (const p of parsed) {
    const normalised = `${p.kind}/${p.id}`;
    if (!known.has(normalised)) {
      throw badRequest(`Invalid field 'actors[${p.i}]': '${p.actor}' is not ${p.kind === 'apiKey' ? 'an API key' : 'a member'} of this organization`);
    }
    result.add(normalised);
  }
  return [...result];
}
