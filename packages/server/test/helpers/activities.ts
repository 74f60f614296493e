import assert from 'node:assert/strict';
import { request, type Credentials } from './server.js';

/** An organization's activities over GET …/activities (200 asserted), newest first. */
export async function listActivities(target: { url: string }, organizationId: string, auth: Credentials): Promise<any[]> {
  const res = await request(target, 'GET', `/v1/organizations/${organizationId}/activities`, { auth });
  assert.equal(res.status, 200, res.text);
  return res.body.result;
}

/** The activities in `now` that are not in the earlier snapshot `before` (both as listActivities returns them). */
export function activitiesAfter(before: any[], now: any[]): any[] {
  const seen = new Set(before.map((a) => a.id));
  return now.filter((a) => !seen.has(a.id));
}
