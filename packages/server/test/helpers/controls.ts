import assert from 'node:assert/strict';
import { after, before, beforeEach } from 'node:test';
import { request, startTestServer, type ApiResponse, type TestServer, type TestServerOptions } from './server.js';

export interface ControlsSuite {
  readonly server: TestServer;
  /** The path of the server's first organization. */
  readonly orgPath: string;
}

/**
 * One server with the emulator controls for the enclosing suite, started
 * before its tests and closed after them, with its fault rules and request
 * journal emptied before each test. Read `server` inside the tests.
 */
export function controlsSuite(options: TestServerOptions = {}): ControlsSuite {
  let server: TestServer | undefined;
  before(async () => {
    server = await startTestServer({ controls: {}, ...options });
  });
  after(() => server?.close());
  beforeEach(async () => {
    for (const path of ['/_orgplane/faults', '/_orgplane/requests']) assert.equal((await request(server!, 'DELETE', path)).status, 200);
  });
  return {
    get server() {
      return server!;
    },
    get orgPath() {
      return `/v1/organizations/${server!.organizationId}`;
    },
  };
}

/** POST /_orgplane/faults, with the controls token when given. */
export function setFaults(server: TestServer, body: unknown, token?: string): Promise<ApiResponse> {
  return request(server, 'POST', '/_orgplane/faults', { body, ...(token ? { headers: { authorization: `Bearer ${token}` } } : {}) });
}
