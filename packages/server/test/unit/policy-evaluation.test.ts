import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ORGANIZATION_PERMISSIONS, PERMISSIONS, SERVICE_PERMISSIONS, type Permission } from '../../src/vocabulary/permissions.js';
import { covers, firstUngranted, permissionsOn, type PolicyRule } from '../../src/domain/roles/policy.js';
import { SYSTEM_ROLES, systemRoleById, systemRoleId, type SystemRoleCode } from '../../src/domain/roles/system-roles.js';

// The roles model's evaluation rules (src/domain/roles/policy.ts) and the
// system roles' grants (system-roles.ts), without a server.

const ORG = '2b7a8f2e-0c1d-4e5f-8a9b-0c1d2e3f4a5b';
const OTHER_ORG = '9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a';
const SERVICE = '11111111-2222-4333-8444-555555555555';
const OTHER_SERVICE = '66666666-7777-4888-9999-aaaaaaaaaaaa';
const ORG_RESOURCE = `organization/${ORG}`;

const VIEW = 'control-plane:organization:view';
const MANAGE = 'control-plane:organization:manage';
const VIEW_KEYS = 'control-plane:organization:view-api-keys';
const CREATE_KEYS = 'control-plane:organization:create-api-keys';
const DELETE_KEYS = 'control-plane:organization:delete-api-keys';
const SERVICE_VIEW = 'control-plane:service:view';

const allow = (permissions: Permission[], resources: string[]): PolicyRule => ({ allowDeny: 'ALLOW', permissions, resources });
const deny = (permissions: Permission[], resources: string[]): PolicyRule => ({ allowDeny: 'DENY', permissions, resources });
const sorted = (set: Iterable<string>): string[] => [...set].sort();

describe('covers()', () => {
  it('* covers every resource, itself and every wildcard', () => {
    for (const target of ['*', 'organization/*', ORG_RESOURCE, 'instance/*', `instance/${SERVICE}`]) assert.equal(covers('*', target), true, target);
  });
  it('kind/* covers every resource of that kind and itself, nothing of the other kind, and not *', () => {
    assert.equal(covers('organization/*', ORG_RESOURCE), true);
    assert.equal(covers('organization/*', `organization/${OTHER_ORG}`), true);
    assert.equal(covers('organization/*', 'organization/*'), true);
    assert.equal(covers('organization/*', `instance/${SERVICE}`), false);
    assert.equal(covers('organization/*', 'instance/*'), false);
    assert.equal(covers('organization/*', '*'), false);
    assert.equal(covers('instance/*', `instance/${SERVICE}`), true);
    assert.equal(covers('instance/*', ORG_RESOURCE), false);
    assert.equal(covers('instance/*', '*'), false);
  });
  it('a single resource covers only itself', () => {
    assert.equal(covers(ORG_RESOURCE, ORG_RESOURCE), true);
    assert.equal(covers(ORG_RESOURCE, `organization/${OTHER_ORG}`), false);
    assert.equal(covers(ORG_RESOURCE, 'organization/*'), false);
    assert.equal(covers(ORG_RESOURCE, '*'), false);
    assert.equal(covers(`instance/${SERVICE}`, `instance/${OTHER_SERVICE}`), false);
    assert.equal(covers(`instance/${SERVICE}`, 'instance/*'), false);
  });
});

describe('permissionsOn()', () => {
  it('is empty without policies', () => {
    assert.deepEqual(sorted(permissionsOn([], ORG_RESOURCE)), []);
  });

  it('is the union of the ALLOW policies that apply', () => {
    const policies = [allow([VIEW], ['*']), allow([MANAGE, VIEW_KEYS], [ORG_RESOURCE]), allow([VIEW], ['organization/*'])];
    assert.deepEqual(sorted(permissionsOn(policies, ORG_RESOURCE)), sorted([VIEW, MANAGE, VIEW_KEYS]));
  });

  it('applies policies on *, organization/* and organization/<id> to the organization', () => {
    for (const resource of ['*', 'organization/*', ORG_RESOURCE]) {
      assert.deepEqual(sorted(permissionsOn([allow([VIEW], [resource])], ORG_RESOURCE)), [VIEW], resource);
    }
  });

  it('does not apply policies on instance/*, instance/<id> or another organization to the organization', () => {
    for (const resource of ['instance/*', `instance/${SERVICE}`, `organization/${OTHER_ORG}`]) {
      assert.deepEqual(sorted(permissionsOn([allow([VIEW, MANAGE], [resource])], ORG_RESOURCE)), [], resource);
    }
  });

  it('evaluates instance resources: instance/* and instance/<id> apply to that instance, another instance\'s do not', () => {
    const target = `instance/${SERVICE}`;
    assert.deepEqual(sorted(permissionsOn([allow([SERVICE_VIEW], ['instance/*'])], target)), [SERVICE_VIEW]);
    assert.deepEqual(sorted(permissionsOn([allow([SERVICE_VIEW], [target])], target)), [SERVICE_VIEW]);
    assert.deepEqual(sorted(permissionsOn([allow([SERVICE_VIEW], [`instance/${OTHER_SERVICE}`])], target)), []);
    assert.deepEqual(sorted(permissionsOn([allow([SERVICE_VIEW], [ORG_RESOURCE, 'organization/*'])], target)), []);
  });

  it('applies a policy when any one of its resources covers the target', () => {
    assert.deepEqual(sorted(permissionsOn([allow([VIEW], [`instance/${SERVICE}`, ORG_RESOURCE])], ORG_RESOURCE)), [VIEW]);
  });

  it('DENY wins over ALLOW whatever the order', () => {
    const a = allow([VIEW, MANAGE], ['*']);
    const d = deny([MANAGE], [ORG_RESOURCE]);
    assert.deepEqual(sorted(permissionsOn([a, d], ORG_RESOURCE)), [VIEW]);
    assert.deepEqual(sorted(permissionsOn([d, a], ORG_RESOURCE)), [VIEW]);
    // Also against several ALLOWs of the same permission on narrower and wider resources.
    assert.deepEqual(sorted(permissionsOn([allow([MANAGE], [ORG_RESOURCE]), deny([MANAGE], ['*']), allow([MANAGE], ['organization/*'])], ORG_RESOURCE)), []);
  });

  it('a DENY on a resource that does not cover the target takes nothing away', () => {
    const policies = [allow([VIEW, MANAGE], ['*']), deny([MANAGE], ['instance/*']), deny([VIEW], [`organization/${OTHER_ORG}`])];
    assert.deepEqual(sorted(permissionsOn(policies, ORG_RESOURCE)), sorted([VIEW, MANAGE]));
  });

  it('a DENY alone grants nothing', () => {
    assert.deepEqual(sorted(permissionsOn([deny([VIEW], ['*'])], ORG_RESOURCE)), []);
  });
});

describe('firstUngranted() (the no-escalation rule)', () => {
  const holder = [allow([VIEW, MANAGE, CREATE_KEYS], [ORG_RESOURCE]), allow([SERVICE_VIEW], ['instance/*'])];

  it('passes when the wanted policies grant exactly what the holder holds', () => {
    assert.equal(firstUngranted(holder, holder), undefined);
  });

  it('passes for a subset, and for narrower resources', () => {
    assert.equal(firstUngranted(holder, [allow([VIEW], [ORG_RESOURCE])]), undefined);
    assert.equal(firstUngranted(holder, [allow([SERVICE_VIEW], [`instance/${SERVICE}`])]), undefined);
    assert.equal(firstUngranted([allow([VIEW], ['*'])], [allow([VIEW], ['organization/*', ORG_RESOURCE, 'instance/*'])]), undefined);
  });

  it('passes for nothing wanted', () => {
    assert.equal(firstUngranted([], []), undefined);
  });

  it('fails on a wider resource than the holder\'s', () => {
    assert.deepEqual(firstUngranted(holder, [allow([VIEW], ['organization/*'])]), { permission: VIEW, resource: 'organization/*' });
    assert.deepEqual(firstUngranted(holder, [allow([VIEW], ['*'])]), { permission: VIEW, resource: '*' });
    assert.deepEqual(firstUngranted(holder, [allow([SERVICE_VIEW], ['*'])]), { permission: SERVICE_VIEW, resource: '*' });
  });

  it('fails on a resource the holder has nothing on', () => {
    assert.deepEqual(firstUngranted(holder, [allow([VIEW], [`organization/${OTHER_ORG}`])]), { permission: VIEW, resource: `organization/${OTHER_ORG}` });
    assert.deepEqual(firstUngranted(holder, [allow([VIEW], [`instance/${SERVICE}`])]), { permission: VIEW, resource: `instance/${SERVICE}` });
  });

  it('fails on a permission the holder lacks, and names it', () => {
    assert.deepEqual(firstUngranted(holder, [allow([VIEW, DELETE_KEYS], [ORG_RESOURCE])]), { permission: DELETE_KEYS, resource: ORG_RESOURCE });
    assert.deepEqual(firstUngranted([], [allow([VIEW], [ORG_RESOURCE])]), { permission: VIEW, resource: ORG_RESOURCE });
  });

  it('fails when the holder has a DENY of that permission on an overlapping resource', () => {
    const denied = [allow([VIEW, MANAGE], ['*']), deny([MANAGE], [ORG_RESOURCE])];
    // Narrower DENY inside the wanted resource…
    assert.deepEqual(firstUngranted(denied, [allow([MANAGE], ['*'])]), { permission: MANAGE, resource: '*' });
    assert.deepEqual(firstUngranted(denied, [allow([MANAGE], ['organization/*'])]), { permission: MANAGE, resource: 'organization/*' });
    // …the same resource…
    assert.deepEqual(firstUngranted(denied, [allow([MANAGE], [ORG_RESOURCE])]), { permission: MANAGE, resource: ORG_RESOURCE });
    // …and a wider DENY around it.
    assert.deepEqual(firstUngranted([allow([MANAGE], ['*']), deny([MANAGE], ['organization/*'])], [allow([MANAGE], [ORG_RESOURCE])]), { permission: MANAGE, resource: ORG_RESOURCE });
    // Other permissions, and resources the DENY does not overlap, still pass.
    assert.equal(firstUngranted(denied, [allow([VIEW], ['*'])]), undefined);
    assert.equal(firstUngranted(denied, [allow([MANAGE], ['instance/*'])]), undefined);
  });

  it('never fails on DENY policies in the wanted set, whatever they name', () => {
    assert.equal(firstUngranted([], [deny([...PERMISSIONS], ['*'])]), undefined);
    assert.equal(firstUngranted(holder, [allow([VIEW], [ORG_RESOURCE]), deny([DELETE_KEYS, MANAGE], ['*'])]), undefined);
  });

  it('checks every resource of every wanted policy', () => {
    assert.deepEqual(firstUngranted(holder, [allow([VIEW], [ORG_RESOURCE]), allow([SERVICE_VIEW], [`instance/${SERVICE}`, ORG_RESOURCE])]), { permission: SERVICE_VIEW, resource: ORG_RESOURCE });
  });
});

describe('system roles', () => {
  const policiesOf = (code: SystemRoleCode): PolicyRule[] => SYSTEM_ROLES.find((r) => r.code === code)!.policies as unknown as PolicyRule[];
  const grants = (code: SystemRoleCode): Set<Permission> => permissionsOn(policiesOf(code), ORG_RESOURCE);

  it('are the six vendor roles, in order', () => {
    assert.deepEqual(
      SYSTEM_ROLES.map((r) => r.name),
      ['Admin', 'Developer', 'Billing', 'Org API reader', 'Member', 'Query endpoints'],
    );
  });

  it('Admin grants every organization permission (and every service permission on every instance)', () => {
    const granted = grants('admin');
    for (const p of ORGANIZATION_PERMISSIONS) assert.equal(granted.has(p), true, p);
    assert.deepEqual(sorted(permissionsOn(policiesOf('admin'), `instance/${SERVICE}`)), sorted(PERMISSIONS));
    // Whoever holds Admin can hand out any role.
    for (const role of SYSTEM_ROLES) assert.equal(firstUngranted(policiesOf('admin'), role.policies as unknown as PolicyRule[]), undefined, role.name);
  });

  it('Developer grants organization:view but neither manage nor any API key permission', () => {
    const granted = grants('developer');
    assert.equal(granted.has(VIEW), true);
    for (const p of [MANAGE, VIEW_KEYS, CREATE_KEYS, 'control-plane:organization:update-api-keys', DELETE_KEYS] as const) assert.equal(granted.has(p), false, p);
    // …so it cannot hand out Admin.
    assert.notEqual(firstUngranted(policiesOf('developer'), policiesOf('admin')), undefined);
  });

  it('Org API reader views the organization and its keys but changes nothing', () => {
    const granted = grants('org_api_reader');
    assert.equal(granted.has(VIEW), true);
    assert.equal(granted.has(VIEW_KEYS), true);
    for (const p of [MANAGE, CREATE_KEYS, 'control-plane:organization:update-api-keys', DELETE_KEYS] as const) assert.equal(granted.has(p), false, p);
  });

  it('Member and Query endpoints grant no organization permission', () => {
    assert.deepEqual(sorted(grants('member')), []);
    assert.deepEqual(sorted(grants('query_endpoints')), []);
    for (const p of grants('billing')) assert.ok((ORGANIZATION_PERMISSIONS as readonly string[]).includes(p));
    // Query endpoints names only service permissions.
    for (const p of policiesOf('query_endpoints').flatMap((x) => x.permissions)) assert.ok((SERVICE_PERMISSIONS as readonly string[]).includes(p), p);
  });

  it('have IDs derived from the organization: deterministic, distinct per role and across organizations', () => {
    const ids = SYSTEM_ROLES.map((r) => systemRoleId(ORG, r.code));
    assert.deepEqual(SYSTEM_ROLES.map((r) => systemRoleId(ORG, r.code)), ids, 'the same on every call');
    assert.equal(new Set(ids).size, SYSTEM_ROLES.length);
    for (const id of ids) assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const other = SYSTEM_ROLES.map((r) => systemRoleId(OTHER_ORG, r.code));
    for (const id of other) assert.equal(ids.includes(id), false);
    // systemRoleById finds a role only in its own organization.
    for (const role of SYSTEM_ROLES) {
      assert.equal(systemRoleById(ORG, systemRoleId(ORG, role.code))?.code, role.code);
      assert.equal(systemRoleById(OTHER_ORG, systemRoleId(ORG, role.code)), undefined);
    }
  });
});
