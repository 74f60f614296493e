import { randomUUID } from 'node:crypto';
import { createClient, createControlsClient, type OrgplaneClient } from '@orgplane/client';
import { loadServerConfig } from '../config.js';
import { createLogger } from '../logger.js';
import { generateKeyPair } from '../domain/keys/key-material.js';
import { readFixtureFile } from '../domain/fixtures/fixture-file.js';
import type { Fixture } from '../domain/fixtures/fixture-schema.js';
import { validateFixture } from '../domain/fixtures/fixture-validation.js';
import { startServer } from '../server.js';
import { journalVerifier, type JournalVerifier } from './journal-verifier.js';

export interface StartOrgplaneOptions {
  /**
   * The state to start from and return to on every reset: a fixture (docs/FIXTURES.md) as a value,
   * or the path of a JSON or YAML fixture file. Default: one organization with one admin key,
   * made up for this server.
   */
  fixture?: object | string;
  /** As `serve --clock`: an RFC 3339 instant the clock starts at, running on, or frozen with ",frozen". Default: real time. */
  clock?: string;
  /** As `serve --controls-token`: the controls then need `Authorization: Bearer <token>` (`controls` sends it). */
  controlsToken?: string;
  /** As `serve --database`. Default `sqlite::memory:`: nothing on disk, gone with the server. */
  database?: string;
  /** As `serve --rate-limit`. Default `off`: a test suite makes more calls than 10 per 10 s. */
  rateLimit?: string;
}

export interface Orgplane extends JournalVerifier {
  /** The server's root, e.g. http://127.0.0.1:41234 (no /v1). */
  url: string;
  /** The fixture's first organization. */
  organizationId: string;
  /** The first key of that organization in the fixture that has keyId and keySecret (an admin key when none is given). */
  keyId: string;
  keySecret: string;
  /** The typed client (@orgplane/client) with that key. */
  client: OrgplaneClient;
  /** The typed controls client: reset, seed, snapshot, clock, faults, requests. */
  controls: OrgplaneClient;
  /** Stops the server and closes its database; in-flight requests finish first. */
  stop(): Promise<void>;
}

/**
 * A real orgplane server, in this process, on a free loopback port, with the
 * emulator controls on. Every reset returns it to the fixture, so the
 * credentials it returns stay valid. The server's own settings come only
 * from the options, never from ORGPLANE_* variables of the environment.
 */
export async function startOrgplane(options: StartOrgplaneOptions = {}): Promise<Orgplane> {
  const fixture = loadFixture(options.fixture);
  const { keyId, keySecret } = credentialsOf(fixture);
  const config = loadServerConfig(
    {
      port: '0',
      database: options.database ?? 'sqlite::memory:',
      rateLimit: options.rateLimit ?? 'off',
      controls: true,
      ...(options.controlsToken !== undefined ? { controlsToken: options.controlsToken } : {}),
      ...(options.clock !== undefined ? { clock: options.clock } : {}),
    },
    {},
  );
  // Warnings and errors only, on stderr: the test's output is not the place for one line per request.
  const server = await startServer(config, createLogger(process.stderr, 'warn'), { seed: fixture });
  // A test file that forgets stop() still ends: the listening socket alone does not keep the process alive.
  server.app.server.unref();
  const client = createClient({ baseUrl: server.url, keyId, keySecret });
  const organizationId = fixture.organizations[0]!.id!;
  const controls = createControlsClient({ baseUrl: server.url, ...(options.controlsToken !== undefined ? { token: options.controlsToken } : {}) });
  return {
    url: server.url,
    organizationId,
    keyId,
    keySecret,
    client,
    controls,
    ...journalVerifier(controls),
    stop: () => server.close(),
  };
}

/**
 * The fixture, validated as POST /_orgplane/seed validates it (a refusal rejects with the API's
 * message), with an ID for every organization that has none: each reset then recreates the same
 * organizations, and organizationId stays valid.
 */
function loadFixture(fixture: object | string | undefined): Fixture {
  if (fixture === undefined) {
    return { organizations: [{ id: randomUUID(), name: 'Test organization', keys: [{ name: 'test admin key', ...generateKeyPair(), roles: ['admin'] }] }] };
  }
  const valid = typeof fixture === 'string' ? readFixtureFile(fixture) : validateFixture(fixture);
  return { ...valid, organizations: valid.organizations.map((organization) => ({ ...organization, id: organization.id ?? randomUUID() })) };
}

/** The first organization's first key with known credentials: the kit returns them, and its client uses them. */
function credentialsOf(fixture: Fixture): { keyId: string; keySecret: string } {
  const key = fixture.organizations[0]?.keys?.find((k) => k.keyId !== undefined && k.keySecret !== undefined);
  if (!key?.keyId || !key.keySecret) {
    throw new Error('startOrgplane: the fixture\'s first organization needs a key with "keyId" and "keySecret": the kit returns them and its client uses them');
  }
  return { keyId: key.keyId, keySecret: key.keySecret };
}
