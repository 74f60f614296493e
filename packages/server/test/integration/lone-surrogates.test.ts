import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testBackends } from '../helpers/backends.js';
import { request, startTestServer, type TestServer } from '../helpers/server.js';

// JSON can carry a lone surrogate ("\ud800"); neither database stores it as sent.
const LONE = '\\ud800X';

for (const backend of testBackends()) {
  describe(`lone surrogates in request bodies [${backend}]`, () => {
    let server: TestServer;
    let org: string;
    before(async () => {
      server = await startTestServer({ backend });
      org = `/v1/organizations/${server.organizationId}`;
    });
    after(() => server.close());

    const send = (method: string, path: string, json: string) =>
      fetch(`${server.url}${path}`, {
        method,
        headers: { authorization: `Basic ${Buffer.from(`${server.admin.keyId}:${server.admin.keySecret}`).toString('base64')}`, 'content-type': 'application/json' },
        body: json,
      }).then(async (r) => ({ status: r.status, body: await r.json() }));

    const cases: [string, string, string, string][] = [
      ['PATCH', '', `{"name":"${LONE}"}`, 'name'],
      ['PATCH', '', `{"privateEndpoints":{"add":[{"id":"vpce-1","description":"${LONE}","cloudProvider":"aws","region":"us-east-1"}]}}`, 'privateEndpoints.add[0].description'],
      ['POST', '/keys', `{"name":"k${LONE}","roles":["developer"]}`, 'name'],
      ['POST', '/roles', `{"name":"r","actors":[],"policies":[{"allowDeny":"ALLOW","permissions":["control-plane:organization:view"],"resources":["*"],"tags":{"grants":["${LONE}"]}}]}`, 'policies[0].tags.grants[0]'],
      ['PATCH', '', `{"\\udc00":"x"}`, '\udc00'],
    ];
    for (const [method, suffix, json, field] of cases) {
      it(`${method} …${suffix} with a lone surrogate in ${JSON.stringify(field)}: 400 naming it, nothing changed`, async () => {
        const before = (await request(server, 'GET', org, { auth: server.admin })).body.result;
        const keys = (await request(server, 'GET', `${org}/keys`, { auth: server.admin })).body.result.length;
        const res = await send(method, `${org}${suffix}`, json);
        assert.equal(res.status, 400, JSON.stringify(res.body));
        assert.ok(res.body.error.includes(`Invalid field '${field}': must be valid Unicode text`), res.body.error);
        assert.deepEqual((await request(server, 'GET', org, { auth: server.admin })).body.result, before);
        assert.equal((await request(server, 'GET', `${org}/keys`, { auth: server.admin })).body.result.length, keys);
      });
    }

    it('a well-formed surrogate pair (an emoji, escaped or not) is stored and read back exactly', async () => {
      for (const json of ['{"name":"rocket \\ud83d\\ude80"}', '{"name":"rocket 🚀 2"}']) {
        const res = await send('PATCH', org, json);
        assert.equal(res.status, 200, JSON.stringify(res.body));
        const read = await request(server, 'GET', org, { auth: server.admin });
        assert.equal(read.body.result.name, JSON.parse(json).name);
      }
    });
  });
}
