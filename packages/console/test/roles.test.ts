import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startOrgplane, type Orgplane } from 'orgplane/testing';
import { PERMISSIONS as SERVER_PERMISSIONS } from '../../server/src/vocabulary/permissions.js';
import { PERMISSIONS } from '../src/permissions.js';
import { assertAccessible, consolePage, launchBrowser, screenshot, signIn, skipWithoutChromium } from './helpers/console-browser.js';

/** Known credentials of the shape generated ones have (letters and digits). */
const credentials = () => ({ keyId: randomBytes(10).toString('hex'), keySecret: randomBytes(21).toString('hex') });
const admin = credentials();
const developer = credentials();
const reader = credentials();

const fixture = {
  organizations: [
    {
      name: 'Roles organization',
      roles: [
        {
          name: 'Support desk',
          policies: [
            { allowDeny: 'ALLOW', permissions: ['control-plane:support:manage', 'control-plane:organization:view'], resources: ['*'] },
            { allowDeny: 'DENY', permissions: ['control-plane:organization:manage'], resources: ['organization/*'] },
          ],
        },
      ],
      keys: [
        { name: 'admin key', ...admin, roles: ['admin'] },
        { name: 'developer key', ...developer, roles: ['developer'] },
        { name: 'reader key', ...reader, assignedRoleIds: ['Developer', 'Org API reader'] },
        { name: 'ci key', ...credentials(), roles: ['developer'] },
      ],
      members: [
        { email: 'alice@example.com', name: 'Alice', assignedRoleIds: ['Admin', 'Support desk'] },
        { email: 'bob@example.com', name: 'Bob' },
      ],
    },
  ],
};

/**
 * Every button, field and picker of the view that could change something, with whether it is
 * disabled (the private endpoint configuration lookup only reads, so it is left out).
 */
function controlsOf(page: Page) {
  return page.locator('main').evaluate((main) =>
    [...main.querySelectorAll<HTMLButtonElement | HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>('button, input, select, textarea')]
      .filter((control) => !control.closest('form[aria-label="Look up the private endpoint configuration"]'))
      .map((control) => ({
        name: ((control.labels?.[0] ?? control).textContent ?? '').replace(/\s+/g, ' ').trim(),
        disabled: control.disabled,
        title: control.title,
      })),
  );
}

async function assertNothingEnabled(page: Page, view: string, atLeast: number) {
  const controls = await controlsOf(page);
  assert.ok(controls.length >= atLeast, `${view}: ${controls.length} controls, expected at least ${atLeast}`);
  assert.deepEqual(
    controls.filter((c) => !c.disabled).map((c) => c.name),
    [],
    `${view}: enabled mutating controls`,
  );
  assert.deepEqual(
    controls.filter((c) => !c.title).map((c) => c.name),
    [],
    `${view}: disabled controls without a reason`,
  );
  return controls;
}

describe('console: roles', { skip: skipWithoutChromium }, () => {
  let op: Orgplane;
  let browser: Browser;
  const path = () => ({ params: { path: { organizationId: op.organizationId } } });
  const listRoles = async () => (await op.client.GET('/v1/organizations/{organizationId}/roles', path())).data!.result;
  const roleNamed = async (name: string) => (await listRoles()).find((role) => role.name === name);
  /** Actor IDs by key or member name, and the console's label of each actor ID. */
  let actorOf: Record<string, string>;
  let labelOf: Record<string, string>;
  const openRoles = async (page: Page) => {
    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Roles' }).click();
    await page.getByRole('heading', { name: 'Roles', level: 1 }).waitFor();
    await page.getByRole('table').waitFor();
  };
  /** The text of each cell of the role's row: name, type, policies, actors, actions. */
  const rowOf = (page: Page, name: string) => page.getByRole('row').filter({ has: page.getByRole('rowheader', { name, exact: true }) });

  before(async () => {
    op = await startOrgplane({ fixture, clock: '2026-01-01T00:00:00Z,frozen' });
    browser = await launchBrowser();
    const keys = (await op.client.GET('/v1/organizations/{organizationId}/keys', path())).data!.result;
    const members = (await op.client.GET('/v1/organizations/{organizationId}/members', path())).data!.result;
    actorOf = Object.fromEntries([...keys.map((k) => [k.name, `apiKey/${k.id}`]), ...members.map((m) => [m.name, `user/${m.userId}`])]);
    labelOf = Object.fromEntries([...keys.map((k) => [`apiKey/${k.id}`, `API key ${k.name} (…${k.keySuffix})`]), ...members.map((m) => [`user/${m.userId}`, `Member ${m.name} <${m.email}>`])]);
  });
  after(async () => {
    await browser?.close();
    await op?.stop();
  });

  it("the permission picker offers exactly the permissions the server takes", () => {
    assert.deepEqual([...PERMISSIONS], [...SERVER_PERMISSIONS]);
  });

  it('lists the system and custom roles with their policies and actors, by name', async () => {
    const page = await consolePage(browser, op);
    await signIn(page, op);
    await openRoles(page);
    const roles = await listRoles();
    assert.deepEqual(await page.getByRole('rowheader').allInnerTexts(), roles.map((role) => role.name));
    assert.deepEqual(roles.map((role) => role.type), ['system', 'system', 'system', 'system', 'system', 'system', 'custom']);
    const support = rowOf(page, 'Support desk').getByRole('cell');
    assert.equal(await support.nth(0).innerText(), 'custom');
    assert.deepEqual((await support.nth(1).getByRole('listitem').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ')), [
      'ALLOW control-plane:support:manage, control-plane:organization:view on *',
      'DENY control-plane:organization:manage on organization/*',
    ]);
    assert.deepEqual(await support.nth(2).getByRole('listitem').allInnerTexts(), ['Member Alice <alice@example.com>']);
    // Each actor by name, in the API's order (Admin: the admin key and Alice).
    for (const role of roles) {
      const shown = await rowOf(page, role.name).getByRole('cell').nth(2).getByRole('listitem').allInnerTexts();
      assert.deepEqual(shown, role.actors.map((actor) => labelOf[actor]), `actors of ${role.name}`);
    }
    assert.deepEqual([...roles[0]!.actors].sort(), [actorOf['admin key'], actorOf.Alice].sort());
    // The Admin role's 27 permissions fold into a count.
    assert.equal(await rowOf(page, 'Admin').getByRole('cell').nth(1).locator('summary').innerText(), `${SERVER_PERMISSIONS.length} permissions`);
    assert.equal(await rowOf(page, 'Member').getByRole('cell').nth(1).innerText(), 'no permissions');
    // System roles cannot be deleted: no Delete button, an "Edit actors" one instead.
    assert.equal(await page.getByRole('button', { name: /^Delete (Admin|Developer|Billing|Org API reader|Member|Query endpoints)$/ }).count(), 0);
    assert.equal(await page.getByRole('button', { name: /^Edit actors / }).count(), 6);
    page.assertClean();
  });

  it('creates a custom role: name, permissions, resources, allow and deny, actors picked by name', async () => {
    const page = await consolePage(browser, op);
    await signIn(page, op);
    await openRoles(page);
    await page.getByRole('button', { name: 'Create custom role' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create custom role' });
    await dialog.getByRole('group', { name: 'API keys' }).getByRole('checkbox').first().waitFor();
    const policy1 = dialog.getByRole('group', { name: 'Policy 1' });
    assert.equal(await policy1.getByLabel('Resources (comma-separated)').inputValue(), '*');
    assert.equal(await policy1.getByLabel('Effect').inputValue(), 'ALLOW');
    assert.equal(await policy1.getByRole('checkbox').count(), SERVER_PERMISSIONS.length);
    await dialog.getByLabel('Name', { exact: true }).fill('Deployers');
    await policy1.getByLabel('control-plane:service:manage', { exact: true }).check();
    await policy1.getByLabel('control-plane:service:view', { exact: true }).check();
    await dialog.getByRole('button', { name: 'Add policy' }).click();
    const policy2 = dialog.getByRole('group', { name: 'Policy 2' });
    await policy2.getByLabel('Effect').selectOption('DENY');
    await policy2.getByLabel('control-plane:service:delete', { exact: true }).check();
    await policy2.getByLabel('Resources (comma-separated)').fill('instance/*');
    await dialog.getByRole('group', { name: 'API keys' }).getByLabel(/^ci key /).check();
    await dialog.getByRole('group', { name: 'Members' }).getByLabel('Bob <bob@example.com>').check();
    await assertAccessible(page, 'roles: the create dialog');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    await rowOf(page, 'Deployers').waitFor();

    const role = (await roleNamed('Deployers'))!;
    assert.equal(role.type, 'custom');
    assert.deepEqual(
      role.policies.map(({ allowDeny, permissions, resources }) => ({ allowDeny, permissions: [...permissions].sort(), resources })),
      [
        { allowDeny: 'ALLOW', permissions: ['control-plane:service:manage', 'control-plane:service:view'], resources: ['*'] },
        { allowDeny: 'DENY', permissions: ['control-plane:service:delete'], resources: ['instance/*'] },
      ],
    );
    assert.deepEqual(role.actors, [actorOf['ci key'], actorOf.Bob].sort());
    assert.deepEqual(await rowOf(page, 'Deployers').getByRole('cell').nth(2).getByRole('listitem').allInnerTexts(), role.actors.map((actor) => labelOf[actor]));
    page.assertClean();
  });

  it('edits the custom role: name, permissions, policies, actors; a system role: its actors only', async () => {
    const page = await consolePage(browser, op);
    await signIn(page, op);
    await openRoles(page);
    const id = (await roleNamed('Deployers'))!.id;
    await page.getByRole('button', { name: 'Edit Deployers', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit role Deployers' });
    const policy1 = dialog.getByRole('group', { name: 'Policy 1' });
    assert.equal(await policy1.getByLabel('control-plane:service:manage', { exact: true }).isChecked(), true);
    assert.equal(await dialog.getByRole('group', { name: 'Policy 2' }).getByLabel('Effect').inputValue(), 'DENY');
    await dialog.getByLabel('Name', { exact: true }).fill('Deployers (prod)');
    await policy1.getByLabel('control-plane:service:view', { exact: true }).uncheck();
    await policy1.getByLabel('control-plane:service:view-backups', { exact: true }).check();
    await dialog.getByRole('button', { name: 'Remove policy 2' }).click();
    await dialog.getByRole('group', { name: 'Members' }).getByLabel('Bob <bob@example.com>').uncheck();
    await dialog.getByRole('group', { name: 'Members' }).getByLabel('Alice <alice@example.com>').check();
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    await rowOf(page, 'Deployers (prod)').waitFor();
    const role = (await roleNamed('Deployers (prod)'))!;
    assert.equal(role.id, id);
    assert.deepEqual(
      role.policies.map(({ allowDeny, permissions, resources }) => ({ allowDeny, permissions: [...permissions].sort(), resources })),
      [{ allowDeny: 'ALLOW', permissions: ['control-plane:service:manage', 'control-plane:service:view-backups'], resources: ['*'] }],
    );
    assert.deepEqual(role.actors, [actorOf['ci key'], actorOf.Alice].sort());

    // A system role: its name and policies are fixed, so its dialog offers the actors alone.
    await page.getByRole('button', { name: 'Edit actors Billing', exact: true }).click();
    const billing = page.getByRole('dialog', { name: 'Actors of role Billing' });
    await billing.getByRole('group', { name: 'Members' }).getByLabel('Bob <bob@example.com>').waitFor();
    assert.equal(await billing.getByLabel('Name', { exact: true }).count(), 0);
    assert.equal(await billing.getByRole('group', { name: 'Policy 1' }).count(), 0);
    await billing.getByRole('group', { name: 'Members' }).getByLabel('Bob <bob@example.com>').check();
    await billing.getByRole('button', { name: 'Save' }).click();
    await billing.waitFor({ state: 'detached' });
    await rowOf(page, 'Billing').getByText('Member Bob <bob@example.com>').waitFor();
    assert.deepEqual((await roleNamed('Billing'))!.actors, [actorOf.Bob]);
    await assertAccessible(page, 'roles');
    await screenshot(page, 'console-roles');
    page.assertClean();
  });

  it('deletes a custom role after confirmation', async () => {
    const page = await consolePage(browser, op);
    await signIn(page, op);
    await openRoles(page);
    await page.getByRole('button', { name: 'Delete Deployers (prod)', exact: true }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete the role?' });
    assert.match(await confirm.innerText(), /"Deployers \(prod\)" and its assignment to 2 actors will be deleted/);
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await confirm.waitFor({ state: 'detached' });
    assert.ok(await roleNamed('Deployers (prod)'), 'Cancel deletes nothing');
    await page.getByRole('button', { name: 'Delete Deployers (prod)', exact: true }).click();
    await confirm.getByRole('button', { name: 'Delete role' }).click();
    await rowOf(page, 'Deployers (prod)').waitFor({ state: 'detached' });
    assert.equal(await roleNamed('Deployers (prod)'), undefined);
    const ci = (await op.client.GET('/v1/organizations/{organizationId}/keys', path())).data!.result.find((k) => k.name === 'ci key')!;
    assert.deepEqual(ci.assignedRoles.map((r) => r.roleName), ['Developer']);
    page.assertClean();
  });

  for (const [who, key, known] of [
    ['a developer-role key', developer, false],
    ['a key with Developer and Org API reader', reader, true],
  ] as const) {
    it(`${who} sees no enabled mutating control on Organization, API keys and Roles`, async () => {
      const page = await consolePage(browser, op);
      await signIn(page, op, key);
      const reason = known ? "This key's roles do not grant control-plane:organization:" : 'The console offers no changes';
      await page.getByRole('button', { name: 'Save name' }).waitFor();
      const organization = await assertNothingEnabled(page, 'Organization', 3);
      assert.ok(organization.every((c) => c.title.startsWith(reason)), 'Organization: the reason');
      // Its only action, a read, stays available.
      assert.equal(await page.getByRole('button', { name: 'Look up' }).isDisabled(), false);

      await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'API keys' }).click();
      await page.getByRole('heading', { name: 'API keys' }).waitFor();
      if (known) await page.getByRole('table').waitFor();
      // A developer may not list keys: the API's 403 stands where the table would be.
      else assert.match(await page.getByRole('alert').innerText(), /^403: /);
      const keys = await assertNothingEnabled(page, 'API keys', known ? 1 + 3 * 4 : 1);
      assert.ok(keys.every((c) => c.title.startsWith(reason) || c.title.startsWith('This is the key the console is signed in with')), 'API keys: the reason');

      await openRoles(page);
      await page.getByRole('rowheader', { name: 'Support desk' }).waitFor();
      const roles = await assertNothingEnabled(page, 'Roles', 1 + 6 + 2);
      assert.ok(roles.every((c) => c.title.startsWith(reason)), 'Roles: the reason');
      page.assertClean();
    });
  }
});
