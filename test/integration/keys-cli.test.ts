import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli, startServe, type ServeProcess, stopAllServers } from '../helpers/cli.js';
import { request } from '../helpers/server.js';

describe('operator key commands (orgplane keys …)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'orgplane-keys-cli-'));
  const db = `sqlite:${join(dir, 'keys.db')}`;
  let org: string;
  let admin: { keyId: string; keySecret: string };
  let server: ServeProcess;

  before(async () => {
    assert.equal(runCli(['migrate', '--database', db]).status, 0);
    const boot = JSON.parse(runCli(['bootstrap', '--org-name', 'Ops', '--json', '--database', db]).stdout);
    org = boot.organizationId;
    admin = boot;
    server = await startServe(['--database', db, '--rate-limit', 'off']);
  });
  after(async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates a key whose pair authenticates, lists, disables, enables and deletes it, audited as system', async () => {
    const created = runCli(['keys', 'create', '--org', org, '--name', 'ops key', '--role', 'developer', '--json', '--database', db]);
    assert.equal(created.status, 0, created.stderr);
    const { key, keyId, keySecret } = JSON.parse(created.stdout);
    assert.equal((await request(server, 'GET', '/v1/organizations', { auth: { keyId, keySecret } })).status, 200);

    const table = runCli(['keys', 'list', '--org', org, '--database', db]);
    assert.equal(table.status, 0);
    assert.match(table.stdout, /ops key/);
    assert.match(table.stdout, new RegExp(key.id));
    const json = JSON.parse(runCli(['keys', 'list', '--org', org, '--json', '--database', db]).stdout);
    assert.equal(json.length, 2);

    assert.equal(runCli(['keys', 'disable', '--org', org, '--key', key.id, '--database', db]).status, 0);
    await new Promise((resolve) => setTimeout(resolve, 1100)); // the server's key cache (1 s)
    assert.equal((await request(server, 'GET', '/v1/organizations', { auth: { keyId, keySecret } })).status, 401);
    assert.equal(runCli(['keys', 'enable', '--org', org, '--key', key.id, '--database', db]).status, 0);
    assert.equal(runCli(['keys', 'delete', '--org', org, '--key', key.id, '--database', db]).status, 0);

    const activities = (await request(server, 'GET', `/v1/organizations/${org}/activities`, { auth: admin })).body.result;
    const mine = activities.filter((a: { targetKeyId?: string }) => a.targetKeyId === key.id);
    assert.deepEqual(mine.map((a: { type: string; keyUpdateType?: string }) => a.keyUpdateType ?? a.type), ['key_delete', 'state-changed', 'state-changed', 'key_create']);
    assert.ok(mine.every((a: { actorType: string }) => a.actorType === 'system'));
  });

  it('exits 1 with a message for an unknown key and 2 for a usage error', () => {
    const unknown = runCli(['keys', 'delete', '--org', org, '--key', '00000000-0000-4000-8000-000000000000', '--database', db]);
    assert.equal(unknown.status, 1);
    assert.match(unknown.stderr, /not found/);
    assert.equal(runCli(['keys', 'create', '--org', org, '--name', 'x', '--database', db]).status, 2);
  });
});

// Whatever a failed test left running.
after(() => stopAllServers());
