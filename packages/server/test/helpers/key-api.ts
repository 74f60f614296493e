import assert from 'node:assert/strict';
import { activitiesAfter, listActivities } from './activities.js';
import { request, type ApiResponse, type Credentials, type RequestOptions, type TestServer } from './server.js';

// A client over one organization's /keys endpoints, for the key-management suites (test/integration/keys-*.test.ts).

export const UNKNOWN_UUID = '6a0e1e0c-5b6f-4c7e-9d1f-1f2e3d4c5b6a';

export interface IssuedKey extends Credentials {
  /** The key's UUID (ApiKey.id). */
  id: string;
  /** The ApiKey object of the create response. */
  key: any;
}

/**
 * A thin client over one organization's /keys API that remembers every
 * credential it ever saw issued, for the final "no secret anywhere" scans.
 */
export class KeyApi {
  readonly issued: Credentials[] = [];

  constructor(
    readonly server: TestServer,
    /** Where requests go (defaults to the server itself; an extra listener of the same server also works). */
    readonly target: { url: string } = server,
    readonly organizationId: string = server.organizationId,
    readonly admin: Credentials = server.admin,
  ) {
    this.issued.push(admin);
  }

  get keysPath(): string {
    return `/v1/organizations/${this.organizationId}/keys`;
  }
  keyPath(id: string): string {
    return `${this.keysPath}/${id}`;
  }

  call(method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse> {
    return request(this.target, method, path, { auth: this.admin, ...options });
  }

  /** Remembers a credential issued elsewhere (bootstrap, hashData). */
  remember(credentials: Credentials): void {
    this.issued.push(credentials);
  }

  async createRaw(body: unknown, auth: Credentials | null = this.admin): Promise<ApiResponse> {
    const res = await this.call('POST', this.keysPath, { auth, body });
    if (res.status === 200 && res.body.result.keyId) this.issued.push({ keyId: res.body.result.keyId, keySecret: res.body.result.keySecret });
    return res;
  }

  /** Creates a key (200 asserted) and returns its pair and UUID. */
  async create(body: Record<string, unknown> = {}): Promise<IssuedKey> {
    const res = await this.createRaw({ name: 'test key', roles: ['admin'], ...body });
    assert.equal(res.status, 200, res.text);
    const { key, keyId, keySecret } = res.body.result;
    return { id: key.id, key, keyId, keySecret };
  }

  async list(): Promise<any[]> {
    const res = await this.call('GET', this.keysPath);
    assert.equal(res.status, 200, res.text);
    return res.body.result;
  }

  async get(id: string): Promise<any> {
    const res = await this.call('GET', this.keyPath(id));
    assert.equal(res.status, 200, res.text);
    return res.body.result;
  }

  patch(id: string, body: unknown, auth: Credentials = this.admin): Promise<ApiResponse> {
    return this.call('PATCH', this.keyPath(id), { auth, body });
  }

  async patchOk(id: string, body: unknown): Promise<any> {
    const res = await this.patch(id, body);
    assert.equal(res.status, 200, res.text);
    return res.body.result;
  }

  delete(id: string, auth: Credentials = this.admin): Promise<ApiResponse> {
    return this.call('DELETE', this.keyPath(id), { auth });
  }

  /** The organization's activities, newest first. */
  activities(): Promise<any[]> {
    return listActivities(this.target, this.organizationId, this.admin);
  }

  /** The activities written since a snapshot taken with activities() (newest first). */
  async activitiesSince(before: any[]): Promise<any[]> {
    return activitiesAfter(before, await this.activities());
  }

  /** The admin key's own UUID (the actorId of its activities). */
  async adminKeyId(): Promise<string> {
    const keys = await this.list();
    const mine = keys.filter((k) => k.keySuffix === this.admin.keyId.slice(-4));
    assert.equal(mine.length, 1, 'the admin key is found by its suffix');
    return mine[0].id;
  }

  /** Status of a plain authenticated read with the given credentials. */
  async probe(credentials: Credentials, path = '/v1/organizations'): Promise<number> {
    return (await request(this.target, 'GET', path, { auth: credentials })).status;
  }
}

/** The key list and activity list, for "nothing changed" checks (usedAt is dropped: reads may touch it). */
export async function snapshot(api: KeyApi): Promise<{ keys: unknown[]; activities: unknown[] }> {
  const keys = (await api.list()).map(({ usedAt: _usedAt, ...rest }) => rest);
  return { keys, activities: await api.activities() };
}
