import assert from 'node:assert/strict';
import { systemRoleId, type SystemRoleCode } from '../../src/domain/roles/system-roles.js';
import { request, type ApiResponse, type Credentials } from './server.js';
import { assertVendorShape } from './vendor-schemas.js';

// A client over one organization's /roles and /keys endpoints for the roles
// suites (test/integration/roles*.test.ts, role-authorization, keys-assigned-roles).

export const VIEW = 'control-plane:organization:view';
export const MANAGE = 'control-plane:organization:manage';
export const VIEW_KEYS = 'control-plane:organization:view-api-keys';
export const CREATE_KEYS = 'control-plane:organization:create-api-keys';
export const UPDATE_KEYS = 'control-plane:organization:update-api-keys';
export const DELETE_KEYS = 'control-plane:organization:delete-api-keys';

export interface Policy {
  allowDeny: 'ALLOW' | 'DENY';
  permissions: string[];
  resources: string[];
  tags?: Record<string, unknown>;
}

export const allow = (permissions: string[], resources: string[] = ['*']): Policy => ({ allowDeny: 'ALLOW', permissions, resources });
export const deny = (permissions: string[], resources: string[] = ['*']): Policy => ({ allowDeny: 'DENY', permissions, resources });

export interface IssuedRoleKey extends Credentials {
  id: string;
  key: any;
}

export class RoleApi {
  constructor(
    readonly target: { url: string },
    readonly organizationId: string,
    readonly admin: Credentials,
  ) {}

  get rolesPath(): string {
    return `/v1/organizations/${this.organizationId}/roles`;
  }
  rolePath(id: string): string {
    return `${this.rolesPath}/${id}`;
  }
  get keysPath(): string {
    return `/v1/organizations/${this.organizationId}/keys`;
  }
  keyPath(id: string): string {
    return `${this.keysPath}/${id}`;
  }
  get orgPath(): string {
    return `/v1/organizations/${this.organizationId}`;
  }

  systemRoleId(code: SystemRoleCode): string {
    return systemRoleId(this.organizationId, code);
  }

  call(method: string, path: string, body?: unknown, auth: Credentials | null = this.admin): Promise<ApiResponse> {
    return request(this.target, method, path, body === undefined ? { auth } : { auth, body });
  }

  /** GET …/roles (200 asserted and its shape checked against the vendor's). */
  async list(auth: Credentials = this.admin): Promise<any[]> {
    const res = await this.call('GET', this.rolesPath, undefined, auth);
    assert.equal(res.status, 200, res.text);
    assertVendorShape('RBACRole', res.body.result, { array: true });
    return res.body.result;
  }

  async get(id: string): Promise<any> {
    const res = await this.call('GET', this.rolePath(id));
    assert.equal(res.status, 200, res.text);
    assertVendorShape('RBACRole', res.body.result);
    return res.body.result;
  }

  createRaw(body: unknown, auth: Credentials = this.admin): Promise<ApiResponse> {
    return this.call('POST', this.rolesPath, body, auth);
  }

  /** Creates a custom role (200 asserted, vendor shape checked). */
  async create(name: string, policies: Policy[], actors: string[] = []): Promise<any> {
    const res = await this.createRaw({ name, actors, policies });
    assert.equal(res.status, 200, res.text);
    assertVendorShape('RBACRole', res.body.result);
    return res.body.result;
  }

  patchRaw(id: string, body: unknown, auth: Credentials = this.admin): Promise<ApiResponse> {
    return this.call('PATCH', this.rolePath(id), body, auth);
  }

  async patch(id: string, body: unknown): Promise<any> {
    const res = await this.patchRaw(id, body);
    assert.equal(res.status, 200, res.text);
    assertVendorShape('RBACRole', res.body.result);
    return res.body.result;
  }

  deleteRaw(id: string, auth: Credentials = this.admin): Promise<ApiResponse> {
    return this.call('DELETE', this.rolePath(id), undefined, auth);
  }

  createKeyRaw(body: unknown, auth: Credentials = this.admin): Promise<ApiResponse> {
    return this.call('POST', this.keysPath, body, auth);
  }

  /** Creates a key with the given body (assignedRoleIds: [] unless given), 200 asserted. */
  async createKey(body: Record<string, unknown> = {}): Promise<IssuedRoleKey> {
    const res = await this.createKeyRaw({ name: 'role test key', ...(body.roles === undefined && body.assignedRoleIds === undefined ? { assignedRoleIds: [] } : {}), ...body });
    assert.equal(res.status, 200, res.text);
    assertVendorShape('ApiKeyPostResponse', res.body.result);
    const { key, keyId, keySecret } = res.body.result;
    return { id: key.id, key, keyId, keySecret };
  }

  /** A key holding exactly the given roles (by ID). */
  keyWithRoles(roleIds: string[], name = 'role test key'): Promise<IssuedRoleKey> {
    return this.createKey({ name, assignedRoleIds: roleIds });
  }

  async getKey(id: string): Promise<any> {
    const res = await this.call('GET', this.keyPath(id));
    assert.equal(res.status, 200, res.text);
    assertVendorShape('ApiKey', res.body.result);
    return res.body.result;
  }

  /** Status of one request made with the given credentials. */
  async status(credentials: Credentials, method: string, path: string, body?: unknown): Promise<number> {
    return (await this.call(method, path, body, credentials)).status;
  }
}

/** Asserts the error envelope with that status and a message matching `message`. */
export function assertError(res: ApiResponse, status: number, message?: RegExp | string): void {
  assert.equal(res.status, status, res.text);
  assert.deepEqual(Object.keys(res.body).sort(), ['error', 'requestId', 'status']);
  assert.equal(res.body.status, status);
  if (message instanceof RegExp) assert.match(res.body.error, message);
  else if (message !== undefined) assert.ok(res.body.error.includes(message), `${JSON.stringify(res.body.error)} does not include ${JSON.stringify(message)}`);
}
