import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { acceptInvitation } from '../../src/domain/invitations/invitation.service.js';
import { MAX_ACTORS_PER_ROLE, MAX_ASSIGNED_ROLES, MAX_CUSTOM_ROLES_PER_ORGANIZATION, MAX_MEMBERS_PER_ORGANIZATION, MAX_PRIVATE_ENDPOINTS_PER_ORGANIZATION } from '../../src/vocabulary/limits.js';
import { codePointPrefix, MAX_ADDRESS_LENGTH, MAX_USER_AGENT_LENGTH } from '../../src/vocabulary/text.js';
import { listActivities } from '../helpers/activities.js';
import { testBackends } from '../helpers/backends.js';
import { request, type ApiResponse, type Credentials, type TestServer, startTestServer } from '../helpers/server.js';

// Issue 16: every collection an API caller can grow has a bound checked in the
// change's transaction (concurrent requests cannot overshoot it together), and
// every text a caller can make the server store is bounded: over-long fields
// are 400s naming the field that change nothing; an over-long User-Agent is
// stored cut, so that a page of activities takes bounded memory.

const MAX = MAX_PRIVATE_ENDPOINTS_PER_ORGANIZATION;

interface Org extends Credentials {
  organizationId: string;
}

const call = (server: TestServer, auth: Credentials, method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<ApiResponse> =>
  request(server, method, path, { auth, ...(body === undefined ? {} : { body }), ...(headers ? { headers } : {}) });

function assertRefused(res: ApiResponse, status: number, message: RegExp): void {
  assert.equal(res.status, status, res.text);
  assert.deepEqual(Object.keys(res.body).sort(), ['error', 'requestId', 'status']);
  assert.equal(res.body.status, status);
  assert.match(res.body.error, message);
}

/** `count` endpoints, ids `${prefix}-<n>` padded with `fill` to `idLength` code points, descriptions of `descriptionLength`. */
function endpoints(prefix: string, from: number, count: number, fill = 'x', idLength = 0, descriptionLength = 0): unknown[] {
  return Array.from({ length: count }, (_, i) => {
    const id = `${prefix}-${from + i}-`;
    return {
      id: id + fill.repeat(Math.max(0, idLength - [...id].length)),
      description: fill.repeat(descriptionLength),
      cloudProvider: 'azure',
      region: 'westus3',
    };
  });
}

/** Adds `total` endpoints 100 per PATCH (the per-PATCH maximum). */
async function fillEndpoints(server: TestServer, org: Org, prefix: string, total: number, fill?: string, idLength?: number, descriptionLength?: number): Promise<void> {
  for (let from = 0; from < total; from += 100) {
    const res = await call(server, org, 'PATCH', `/v1/organizations/${org.organizationId}`, {
      privateEndpoints: { add: endpoints(prefix, from, Math.min(100, total - from), fill, idLength, descriptionLength) },
    });
    assert.equal(res.status, 200, res.text);
  }
}

describe('codePointPrefix', () => {
  it('keeps short text whole and cuts long text to whole code points', () => {
    assert.equal(codePointPrefix('abc', 3), 'abc');
    assert.equal(codePointPrefix('abcd', 3), 'abc');
    // 😀 is two UTF-16 code units: never cut in half.
    assert.equal(codePointPrefix('a😀😀😀', 2), 'a😀');
    assert.equal(codePointPrefix('😀😀😀', 3), '😀😀😀');
    assert.equal(codePointPrefix('😀😀😀😀', 3), '😀😀😀');
  });
});

for (const backend of testBackends()) {
  describe(`collection and text bounds [${backend}]`, () => {
    let server: TestServer;
    let admin: Org;
    const orgPath = (org: Org = admin) => `/v1/organizations/${org.organizationId}`;
    const activityCount = async (org: Org = admin) => (await listActivities(server, org.organizationId, org)).length;
    const getOrg = async (org: Org = admin) => {
      const res = await call(server, org, 'GET', orgPath(org));
      assert.equal(res.status, 200, res.text);
      return res;
    };

    before(async () => {
      server = await startTestServer({ backend, trustProxy: ['127.0.0.1', '::1'] });
      admin = { ...server.admin, organizationId: server.organizationId };
    });
    after(() => server.close());

    describe('private endpoints per organization', () => {
      let full: Org;
      before(async () => {
        full = await server.bootstrap(`full ${randomUUID()}`);
        // Every endpoint at its longest id and description.
        await fillEndpoints(server, full, 'pe', MAX, 'x', 64, 128);
      });

      it(`holds ${MAX.toLocaleString('en-US')}; one more is 400 naming the field and the maximum, changing nothing (the name in the same PATCH neither)`, async () => {
        const before = await getOrg(full);
        assert.equal(before.body.result.privateEndpoints.length, MAX);
        const activities = await activityCount(full);
        const res = await call(server, full, 'PATCH', orgPath(full), { name: 'must not stick', privateEndpoints: { add: endpoints('over', 0, 1) } });
        assertRefused(res, 400, /^Invalid field 'privateEndpoints\.add': .*maximum of 1,000 private endpoints/);
        assert.match(res.body.error, /1,001/);
        assert.deepEqual((await getOrg(full)).body.result, before.body.result);
        assert.equal(await activityCount(full), activities);
      });

      it('a full organization still updates an endpoint it has, swaps one for another, and renames', async () => {
        const [first] = (await getOrg(full)).body.result.privateEndpoints;
        let res = await call(server, full, 'PATCH', orgPath(full), { privateEndpoints: { add: [{ ...first, description: 'updated' }] } });
        assert.equal(res.status, 200, res.text);
        assert.equal(res.body.result.privateEndpoints.length, MAX);
        res = await call(server, full, 'PATCH', orgPath(full), { name: 'still full', privateEndpoints: { remove: [{ id: first.id }], add: endpoints('swap', 0, 1) } });
        assert.equal(res.status, 200, res.text);
        assert.equal(res.body.result.privateEndpoints.length, MAX);
        assert.equal(res.body.result.name, 'still full');
      });

      it('a full organization document of the longest ASCII text, and of 4-byte characters, is well under 1 MB', async (t) => {
        const ascii = Buffer.byteLength((await getOrg(full)).text);
        const wide = await server.bootstrap(`wide ${randomUUID()}`);
        // U+1F600 is 4 bytes in UTF-8: the most bytes a code point can take.
        await fillEndpoints(server, wide, '😀', MAX, '😀', 64, 128);
        const widest = await getOrg(wide);
        assert.equal(widest.body.result.privateEndpoints.length, MAX);
        assert.equal([...widest.body.result.privateEndpoints[0].id].length, 64);
        const bytes = Buffer.byteLength(widest.text);
        t.diagnostic(`full organization document: ${ascii} bytes (ASCII), ${bytes} bytes (4-byte characters)`);
        assert.ok(ascii < 400_000, `${ascii} bytes`);
        assert.ok(bytes < 900_000, `${bytes} bytes`);
      });

      it('concurrent PATCHes that together would overshoot cannot: exactly the ones that fit succeed, the others change nothing', async () => {
        const org = await server.bootstrap(`burst ${randomUUID()}`);
        await fillEndpoints(server, org, 'base', MAX - 50);
        const activities = await activityCount(org);
        // 20 PATCHes of 10 new endpoints each (and a rename) for 50 free places, plus renames alone.
        const [adds, renames] = await Promise.all([
          Promise.all(Array.from({ length: 20 }, (_, i) => call(server, org, 'PATCH', orgPath(org), { name: `burst ${i}`, privateEndpoints: { add: endpoints(`burst${i}`, 0, 10) } }))),
          Promise.all(Array.from({ length: 3 }, (_, i) => call(server, org, 'PATCH', orgPath(org), { name: `rename ${i}` }))),
        ]);
        assert.deepEqual(renames.map((r) => r.status), [200, 200, 200]);
        const ok = adds.filter((r) => r.status === 200);
        assert.equal(ok.length, 5, `statuses: ${adds.map((r) => r.status).join(',')}`);
        for (const r of adds.filter((r) => r.status !== 200)) assertRefused(r, 400, /maximum of 1,000 private endpoints/);
        const after = (await getOrg(org)).body.result;
        assert.equal(after.privateEndpoints.length, MAX);
        const added = new Set(after.privateEndpoints.map((e: { id: string }) => e.id.split('-')[0]).filter((p: string) => p.startsWith('burst')));
        assert.deepEqual([...added].sort(), ok.map((r) => `burst${r.body.result.name.split(' ')[1]}`).sort());
        // One organization_update_name per successful PATCH: the refused ones recorded nothing.
        assert.equal((await activityCount(org)) - activities, ok.length + renames.length);
      });

      it('another organization is unaffected', async () => {
        const res = await call(server, admin, 'PATCH', orgPath(), { privateEndpoints: { add: endpoints('mine', 0, 3) } });
        assert.equal(res.status, 200, res.text);
      });
    });

    describe('per-organization totals under concurrent requests', () => {
      it(`custom roles: 20 creates at once when ${MAX_CUSTOM_ROLES_PER_ORGANIZATION - 10} exist, exactly 10 succeed`, async () => {
        const org = await server.bootstrap(`roles ${randomUUID()}`);
        const path = `${orgPath(org)}/roles`;
        for (let i = 0; i < MAX_CUSTOM_ROLES_PER_ORGANIZATION - 10; i++) assert.equal((await call(server, org, 'POST', path, { name: `r${i}`, actors: [], policies: [] })).status, 200);
        const burst = await Promise.all(Array.from({ length: 20 }, (_, i) => call(server, org, 'POST', path, { name: `burst ${i}`, actors: [], policies: [] })));
        assert.equal(burst.filter((r) => r.status === 200).length, 10, `statuses: ${burst.map((r) => r.status).join(',')}`);
        for (const r of burst.filter((r) => r.status !== 200)) assertRefused(r, 400, /maximum of 100 custom roles/);
        const roles = (await call(server, org, 'GET', path)).body.result.filter((r: { type: string }) => r.type === 'custom');
        assert.equal(roles.length, MAX_CUSTOM_ROLES_PER_ORGANIZATION);
      });

      it('open invitations: 20 at once when 90 are open, exactly 10 succeed', async () => {
        const org = await server.bootstrap(`invitations ${randomUUID()}`);
        const path = `${orgPath(org)}/invitations`;
        for (let i = 0; i < 90; i++) assert.equal((await call(server, org, 'POST', path, { email: `open-${i}@example.com` })).status, 200);
        const activities = await activityCount(org);
        const burst = await Promise.all(Array.from({ length: 20 }, (_, i) => call(server, org, 'POST', path, { email: `burst-${i}@example.com` })));
        assert.equal(burst.filter((r) => r.status === 200).length, 10, `statuses: ${burst.map((r) => r.status).join(',')}`);
        for (const r of burst.filter((r) => r.status !== 200)) assertRefused(r, 400, /maximum of 100 open invitations/);
        assert.equal((await call(server, org, 'GET', path)).body.result.length, 100);
        assert.equal((await activityCount(org)) - activities, 10);
      });

      it(`members: 5 invitations accepted at once when ${MAX_MEMBERS_PER_ORGANIZATION - 3} members exist, exactly 3 join`, async () => {
        const org = await server.bootstrap(`members ${randomUUID()}`);
        const invited: string[] = [];
        for (let i = 0; i < 5; i++) {
          const res = await call(server, org, 'POST', `${orgPath(org)}/invitations`, { email: `joiner-${i}@example.com` });
          assert.equal(res.status, 200, res.text);
          invited.push(res.body.result.id);
        }
        const rows = Array.from({ length: MAX_MEMBERS_PER_ORGANIZATION - 3 }, (_, i) => ({
          organization_id: org.organizationId,
          user_id: randomUUID(),
          name: `m${i}`,
          email: `bulk-${i}-${randomUUID()}@example.com`,
          joined_at: new Date(Date.UTC(2026, 0, 1, 0, 0, 0, i)).toISOString(),
        }));
        for (let i = 0; i < rows.length; i += 200) await server.domain.db.insertInto('members').values(rows.slice(i, i + 200)).execute();
        const results = await Promise.allSettled(invited.map((id) => acceptInvitation(server.domain, id, {})));
        assert.equal(results.filter((r) => r.status === 'fulfilled').length, 3, JSON.stringify(results.map((r) => r.status)));
        for (const r of results) if (r.status === 'rejected') assert.match((r.reason as Error).message, /maximum of 1,000 members/);
        assert.equal((await call(server, org, 'GET', `${orgPath(org)}/members`)).body.result.length, MAX_MEMBERS_PER_ORGANIZATION);
      });
    });

    describe(`roles per actor (at most ${MAX_ASSIGNED_ROLES}, however given)`, () => {
      it("a role's actors cannot give a key a role past the maximum: 400 naming the entry, nothing created or changed", async () => {
        const org = await server.bootstrap(`per actor ${randomUUID()}`);
        const key = await call(server, org, 'POST', `${orgPath(org)}/keys`, { name: 'holder', roles: ['developer'] });
        assert.equal(key.status, 200, key.text);
        const actor = `apiKey/${key.body.result.key.id}`;
        // The key holds Developer; 19 custom roles bring it to 20.
        for (let i = 0; i < MAX_ASSIGNED_ROLES - 1; i++) {
          const res = await call(server, org, 'POST', `${orgPath(org)}/roles`, { name: `held ${i}`, actors: [actor], policies: [] });
          assert.equal(res.status, 200, res.text);
        }
        const rolesBefore = (await call(server, org, 'GET', `${orgPath(org)}/roles`)).body.result;
        const refused = await call(server, org, 'POST', `${orgPath(org)}/roles`, { name: 'one too many', actors: [actor.toUpperCase().replace('APIKEY', 'apiKey')], policies: [] });
        assertRefused(refused, 400, /^Invalid field 'actors\[0\]': .*maximum of 20 roles/);
        const empty = await call(server, org, 'POST', `${orgPath(org)}/roles`, { name: 'empty', actors: [], policies: [] });
        assert.equal(empty.status, 200, empty.text);
        const patched = await call(server, org, 'PATCH', `${orgPath(org)}/roles/${empty.body.result.id}`, { actors: [actor] });
        assertRefused(patched, 400, /^Invalid field 'actors\[0\]': .*maximum of 20 roles/);
        const rolesAfter = (await call(server, org, 'GET', `${orgPath(org)}/roles`)).body.result;
        assert.deepEqual(rolesAfter.filter((r: { name: string }) => r.name !== 'empty'), rolesBefore);
        assert.deepEqual(rolesAfter.find((r: { name: string }) => r.name === 'empty').actors, []);
        const held = (await call(server, org, 'GET', `${orgPath(org)}/keys/${key.body.result.key.id}`)).body.result.assignedRoles;
        assert.equal(held.length, MAX_ASSIGNED_ROLES);
      });
    });

    describe('over-long fields and over-full arrays: 400 naming the field, nothing changed', () => {
      let keyId: string;
      let roleId: string;
      const long = (n: number) => 'a'.repeat(n);
      const ipEntries = (n: number) => Array.from({ length: n }, (_, i) => ({ source: `10.0.${Math.floor(i / 256)}.${i % 256}` }));
      const policy = (extra: Record<string, unknown> = {}) => ({ allowDeny: 'ALLOW', permissions: ['control-plane:organization:view'], resources: ['*'], ...extra });
      const uuids = (n: number) => Array.from({ length: n }, () => randomUUID());
      before(async () => {
        const key = await call(server, admin, 'POST', `${orgPath()}/keys`, { name: 'target', roles: ['developer'] });
        keyId = key.body.result.key.id;
        const role = await call(server, admin, 'POST', `${orgPath()}/roles`, { name: 'target role', actors: [], policies: [] });
        roleId = role.body.result.id;
      });

      // [label, method, path (under the organization), body, field in the message]
      const cases: [string, string, () => string, () => unknown, RegExp][] = [
        ['organization name of 256', 'PATCH', () => '', () => ({ name: long(256) }), /'name'/],
        ['private endpoint id of 65', 'PATCH', () => '', () => ({ name: 'x', privateEndpoints: { add: [{ id: long(65), cloudProvider: 'aws', region: 'us-east-1' }] } }), /'privateEndpoints\.add\[0\]\.id'/],
        ['private endpoint description of 129', 'PATCH', () => '', () => ({ name: 'x', privateEndpoints: { add: [{ id: 'e', description: long(129), cloudProvider: 'aws', region: 'us-east-1' }] } }), /'privateEndpoints\.add\[0\]\.description'/],
        ['101 private endpoints in one PATCH', 'PATCH', () => '', () => ({ name: 'x', privateEndpoints: { add: endpoints('e', 0, 101) } }), /'privateEndpoints\.add'/],
        ['removed private endpoint id of 256', 'PATCH', () => '', () => ({ name: 'x', privateEndpoints: { remove: [{ id: long(256) }] } }), /'privateEndpoints\.remove\[0\]\.id'/],
        ['key name of 256', 'POST', () => '/keys', () => ({ name: long(256), roles: ['developer'] }), /'name'/],
        ['key IP allow-list description of 256', 'POST', () => '/keys', () => ({ name: 'k', roles: ['developer'], ipAccessList: [{ source: '10.0.0.1', description: long(256) }] }), /'ipAccessList\[0\]\.description'/],
        ['key IP allow-list source of 65', 'POST', () => '/keys', () => ({ name: 'k', roles: ['developer'], ipAccessList: [{ source: long(65) }] }), /'ipAccessList\[0\]\.source'/],
        ['101 IP allow-list entries on create', 'POST', () => '/keys', () => ({ name: 'k', roles: ['developer'], ipAccessList: ipEntries(101) }), /'ipAccessList'.*100 items/],
        ['101 IP allow-list entries on update', 'PATCH', () => `/keys/${keyId}`, () => ({ name: 'k', ipAccessList: ipEntries(101) }), /'ipAccessList'.*100 items/],
        [`${MAX_ASSIGNED_ROLES + 1} assignedRoleIds on a key`, 'PATCH', () => `/keys/${keyId}`, () => ({ name: 'k', assignedRoleIds: uuids(MAX_ASSIGNED_ROLES + 1) }), /'assignedRoleIds'.*20 items/],
        ['role name of 256', 'POST', () => '/roles', () => ({ name: long(256), actors: [], policies: [] }), /'name'/],
        ['policy grant tag of 129', 'POST', () => '/roles', () => ({ name: 'r', actors: [], policies: [policy({ tags: { grants: [long(129)] } })] }), /'policies\[0\]\.tags\.grants\[0\]'/],
        ['21 policy grant tags', 'POST', () => '/roles', () => ({ name: 'r', actors: [], policies: [policy({ tags: { grants: Array.from({ length: 21 }, (_, i) => `g${i}`) } })] }), /'policies\[0\]\.tags\.grants'.*20 items/],
        ['21 policies', 'POST', () => '/roles', () => ({ name: 'r', actors: [], policies: Array.from({ length: 21 }, () => policy()) }), /'policies'.*20 items/],
        ['51 permissions in a policy', 'PATCH', () => `/roles/${roleId}`, () => ({ name: 'r', policies: [policy({ permissions: Array(51).fill('control-plane:organization:view') })] }), /'policies\[0\]\.permissions'.*50 items/],
        ['21 resources in a policy', 'PATCH', () => `/roles/${roleId}`, () => ({ name: 'r', policies: [policy({ resources: Array(21).fill('*') })] }), /'policies\[0\]\.resources'.*20 items/],
        [`${MAX_ACTORS_PER_ROLE + 1} actors`, 'PATCH', () => `/roles/${roleId}`, () => ({ name: 'r', actors: uuids(MAX_ACTORS_PER_ROLE + 1).map((id) => `user/${id}`) }), /'actors'.*1100 items/],
        ['invitation email of 255', 'POST', () => '/invitations', () => ({ email: `${long(243)}@example.com` }), /'email'/],
        [`${MAX_ASSIGNED_ROLES + 1} assignedRoleIds on an invitation`, 'POST', () => '/invitations', () => ({ email: 'many@example.com', assignedRoleIds: uuids(MAX_ASSIGNED_ROLES + 1) }), /'assignedRoleIds'.*20 items/],
      ];

      /** Everything these requests could change, as the API reads it. */
      const snapshot = async () => {
        const read = async (suffix: string) => (await call(server, admin, 'GET', `${orgPath()}${suffix}`)).body.result;
        return { organization: await read(''), keys: await read('/keys'), roles: await read('/roles'), invitations: await read('/invitations'), activities: await activityCount() };
      };

      for (const [label, method, suffix, body, field] of cases) {
        it(label, async () => {
          const before = await snapshot();
          assertRefused(await call(server, admin, method, `${orgPath()}${suffix()}`, body()), 400, field);
          assert.deepEqual(await snapshot(), before);
        });
      }
    });

    describe('text from request headers, stored bounded', () => {
      it(`a 15 KB User-Agent does not refuse the request; its activity stores the first ${MAX_USER_AGENT_LENGTH} characters`, async () => {
        const userAgent = `hostile/1.0 ${'u'.repeat(15 * 1024)}`;
        const res = await call(server, admin, 'PATCH', orgPath(), { name: `renamed ${randomUUID()}` }, { 'user-agent': userAgent });
        assert.equal(res.status, 200, res.text);
        const [newest] = await listActivities(server, admin.organizationId, admin);
        assert.equal(newest.type, 'organization_update_name');
        assert.equal(newest.userAgent, userAgent.slice(0, MAX_USER_AGENT_LENGTH));
        const stored = await server.domain.db.selectFrom('activities').select('user_agent').where('id', '=', newest.id).executeTakeFirstOrThrow();
        assert.equal(stored.user_agent, userAgent.slice(0, MAX_USER_AGENT_LENGTH));
        // So a listed activity, and with it a page of them, stays small whatever the headers were.
        assert.ok(Buffer.byteLength(JSON.stringify(newest)) < 1024, JSON.stringify(newest).length.toString());
        // A User-Agent within the bound is stored whole.
        const short = 'orgplane-test/1.0 (bounded)';
        await call(server, admin, 'PATCH', orgPath(), { name: `renamed ${randomUUID()}` }, { 'user-agent': short });
        assert.equal((await listActivities(server, admin.organizationId, admin))[0].userAgent, short);
      });

      it(`an address with a long IPv6 zone ID (X-Forwarded-For through a trusted proxy) is stored without it, at most ${MAX_ADDRESS_LENGTH} characters`, async () => {
        const res = await call(server, admin, 'PATCH', orgPath(), { name: `renamed ${randomUUID()}` }, { 'x-forwarded-for': `fe80::1%${'z'.repeat(10_000)}` });
        assert.equal(res.status, 200, res.text);
        const [newest] = await listActivities(server, admin.organizationId, admin);
        assert.equal(newest.actorIpAddress, 'fe80::1');
        const zoned = await call(server, admin, 'PATCH', orgPath(), { name: `renamed ${randomUUID()}` }, { 'x-forwarded-for': 'fe80::1%eth0' });
        assert.equal(zoned.status, 200, zoned.text);
        assert.equal((await listActivities(server, admin.organizationId, admin))[0].actorIpAddress, 'fe80::1%eth0');
      });
    });
  });
}
