import { randomUUID } from 'node:crypto';
import { linkHash } from '../../../server/src/domain/activities/activity-chain.js';

/** The fields of an activity in a fixture (docs/FIXTURES.md, "Activity"): the API's, plus its link of the hash chain. */
export interface FixtureActivity {
  id: string;
  createdAt: string;
  type: string;
  actorType: string;
  actorId?: string;
  actorDetails?: string;
  actorIpAddress?: string;
  userAgent?: string;
  serviceId?: string;
  targetKeyId?: string;
  keyUpdateType?: string;
  seq: number;
  hash: string;
}

export const ACTORS = [
  { actorType: 'api', actorId: '9ca0f176-68f0-492c-bb03-c3f26f18c189', actorDetails: 'API key "terraform"', actorIpAddress: '198.51.100.23', userAgent: 'terraform-provider-clickhouse/3.3.0' },
  { actorType: 'api', actorId: '2f6d0b8e-5a41-4c3e-9f7a-0d1e2c3b4a59', actorDetails: 'API key "ci"', actorIpAddress: '203.0.113.9', userAgent: 'orgplane-cli/0.1.0' },
  { actorType: 'system', actorId: 'orgplane-cli', actorDetails: 'orgplane seed' },
] as const;

const KINDS = [
  { type: 'key_create', target: true },
  { type: 'openapi_key_update', target: true, keyUpdateType: 'state-changed' },
  { type: 'organization_update_name' },
  { type: 'organization_member_add' },
  { type: 'openapi_key_update', target: true, keyUpdateType: 'name-changed' },
  { type: 'organization_invite_create' },
  { type: 'key_delete', target: true },
] as const;

/**
 * `count` activities of one organization, a minute apart from `start`, oldest first, linked into
 * its hash chain as the fixture needs them: the organization's creation, then a mix of types,
 * actors and targets that repeats (types every 7, actors every 3), so filters have known counts.
 */
export function activityLog(organizationId: string, count: number, start: string): FixtureActivity[] {
  let previous = '';
  const log: FixtureActivity[] = [];
  for (let i = 0; i < count; i++) {
    const kind = i === 0 ? { type: 'create_organization' } : KINDS[i % KINDS.length]!;
    const actor = i === 0 ? ACTORS[2] : ACTORS[i % ACTORS.length]!;
    const activity = {
      id: randomUUID(),
      createdAt: new Date(Date.parse(start) + i * 60_000).toISOString(),
      type: kind.type,
      ...actor,
      ...('target' in kind ? { targetKeyId: `${i.toString(16).padStart(8, '0')}-1c2d-4e3f-8a9b-0c1d2e3f4a5b` } : {}),
      ...('keyUpdateType' in kind ? { keyUpdateType: kind.keyUpdateType } : {}),
    };
    const row = {
      id: activity.id,
      organization_id: organizationId,
      created_at: activity.createdAt,
      type: activity.type,
      actor_type: activity.actorType,
      actor_id: activity.actorId ?? null,
      actor_details: activity.actorDetails ?? null,
      actor_ip_address: ('actorIpAddress' in activity && activity.actorIpAddress) || null,
      user_agent: ('userAgent' in activity && activity.userAgent) || null,
      service_id: null,
      target_key_id: activity.targetKeyId ?? null,
      key_update_type: activity.keyUpdateType ?? null,
      seq: i + 1,
    };
    previous = linkHash(previous, row);
    log.push({ ...activity, seq: i + 1, hash: previous });
  }
  return log;
}
