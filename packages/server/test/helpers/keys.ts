import assert from 'node:assert/strict';
import { request, type Credentials, type TestServer } from './server.js';

export interface CreatedTestKey extends Credentials {
  id: string;
}

/** Creates a key through the API with the server's admin key and returns its pair and UUID. */
export async function createApiKey(server: TestServer, body: Record<string, unknown> = {}): Promise<CreatedTestKey> {
  const res = await request(server, 'POST', `/v1/organizations/${server.organizationId}/keys`, {
    auth: server.admin,
    body: { name: 'test key', roles: ['admin'], ...body },
  });
  assert.equal(res.status, 200, res.text);
  return { id: res.body.result.key.id, keyId: res.body.result.keyId, keySecret: res.body.result.keySecret };
}

/** Sets a key's expiry directly in the database (the API refuses past expiries). */
export async function expireKeyInDatabase(server: TestServer, id: string): Promise<void> {
  await server.database.db.updateTable('api_keys').set({ expire_at: '2001-01-01T00:00:00.000Z' }).where('id', '=', id).execute();
}
