import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testBackends } from '../helpers/backends.js';
import { request, startTestServer, type TestServer } from '../helpers/server.js';

// Every name is bounded in characters (code points), not UTF-16 units: an
// emoji is one character. The schemas count so, and so does the domain.

const EMOJI = '\u{1F600}';

for (const backend of testBackends()) {
  describe(`name lengths in characters [${backend}]`, () => {
    let server: TestServer;
    const orgPath = () => `/v1/organizations/${server.organizationId}`;

    before(async () => {
      server = await startTestServer({ backend });
    });
    after(() => server.close());

    const names: [string, (name: string) => [string, string, unknown]][] = [
      ['a new key', (name) => ['POST', `${orgPath()}/keys`, { name, roles: ['developer'] }]],
      ['an organization', (name) => ['PATCH', orgPath(), { name }]],
      ['a new role', (name) => ['POST', `${orgPath()}/roles`, { name, policies: [], actors: [] }]],
    ];
    for (const [what, requestOf] of names) {
      it(`${what}: 255 emoji are accepted and stored whole, 256 refused naming the field`, async () => {
        const [method, path, body] = requestOf(EMOJI.repeat(255));
        const accepted = await request(server, method, path, { auth: server.admin, body });
        assert.equal(accepted.status, 200, accepted.text);
        assert.ok(accepted.text.includes(EMOJI.repeat(255)), 'the whole name is stored');
        const [method2, path2, body2] = requestOf(`x${EMOJI.repeat(255)}`);
        const refused = await request(server, method2, path2, { auth: server.admin, body: body2 });
        assert.equal(refused.status, 400, refused.text);
        assert.match(refused.body.error, /'name'/);
      });
    }

    it('a key renamed to 255 emoji (PATCH) is accepted', async () => {
      const created = await request(server, 'POST', `${orgPath()}/keys`, { auth: server.admin, body: { name: 'short', roles: ['developer'] } });
      assert.equal(created.status, 200, created.text);
      const renamed = await request(server, 'PATCH', `${orgPath()}/keys/${created.body.result.key.id}`, { auth: server.admin, body: { name: EMOJI.repeat(255) } });
      assert.equal(renamed.status, 200, renamed.text);
      assert.equal(renamed.body.result.name, EMOJI.repeat(255));
    });
  });
}
