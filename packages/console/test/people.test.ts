import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startOrgplane, type Orgplane } from 'orgplane/testing';
import { assertAccessible, consolePage, launchBrowser, screenshot, signIn, skipWithoutChromium } from './helpers/console-browser.js';
import { enabledControls } from './helpers/enabled-controls.js';

const XSS_NAME = '<img src=x onerror=alert(1)>';
const developer = { keyId: `${'PeopleDeveloper'.padEnd(16, '0')}DV02`, keySecret: 'PeopleDeveloperSecret'.padEnd(42, '0') };
const fixture = {
  organizations: [
    {
      name: 'People org',
      keys: [
        { name: 'admin', keyId: `${'PeopleAdmin'.padEnd(16, '0')}AD01`, keySecret: 'PeopleAdminSecret'.padEnd(42, '0'), roles: ['admin'] },
        { name: 'developer', ...developer, roles: ['developer'] },
      ],
      members: [
        { email: 'owner@example.com', name: 'Owner', role: 'admin' },
        { email: 'dev@example.com', name: 'Dev', assignedRoleIds: ['Developer'] },
        { email: 'xss@example.com', name: XSS_NAME, assignedRoleIds: ['Member'] },
      ],
      invitations: [{ email: 'new@example.com', role: 'developer' }],
    },
  ],
};

describe('console: members and invitations', { skip: skipWithoutChromium }, () => {
  let op: Orgplane;
  let browser: Browser;
  let org: { params: { path: { organizationId: string } } };
  before(async () => {
    op = await startOrgplane({ fixture, clock: '2026-01-01T00:00:00Z,frozen' });
    org = { params: { path: { organizationId: op.organizationId } } };
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await op?.stop();
  });
  // Each test starts from the fixture.
  beforeEach(async () => {
    await op.controls.POST('/_orgplane/reset');
  });

  const members = async () => (await op.client.GET('/v1/organizations/{organizationId}/members', org)).data!.result;
  const member = async (email: string) => (await members()).find((m) => m.email === email);
  const rolesOf = async (email: string) => (await member(email))!.assignedRoles.map((r) => r.roleName).sort();
  const invitations = async () => (await op.client.GET('/v1/organizations/{organizationId}/invitations', org)).data!.result;
  const row = (page: Page, text: string) => page.getByRole('row').filter({ has: page.getByRole('cell', { name: text, exact: true }) });

  async function open(page: Page, view: 'Members' | 'Invitations'): Promise<void> {
    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: view }).click();
    await page.getByRole('heading', { name: view, level: 1 }).waitFor();
  }

  it('Members: each member with its roles, user text as text, the last Admin marked; removing it shows the API refusal', async () => {
    const page = await consolePage(browser, op);
    await signIn(page, op);
    await open(page, 'Members');
    assert.equal(new URL(page.url()).pathname, '/console/members');
    const listed = await members();
    assert.equal(listed.length, 3);
    for (const m of listed) {
      const cells = await row(page, m.email).getByRole('cell').allInnerTexts();
      assert.equal(cells[0]!.split('\n')[0]!.replace(/last Admin$/, ''), m.name);
      assert.deepEqual(cells.slice(1, 4), [m.email, m.assignedRoles.map((r) => r.roleName).join(', '), m.joinedAt]);
    }
    // The name is shown as the characters it is, and nothing ran (assertClean: no dialog, no error).
    await page.getByRole('cell', { name: XSS_NAME, exact: true }).waitFor();
    assert.equal(await page.locator('main img').count(), 0);
    // Owner is the only member holding Admin.
    const ownerRow = row(page, 'owner@example.com');
    assert.match(await ownerRow.innerText(), /last Admin[\s\S]*The organization's last Admin member cannot be removed or lose Admin/);
    for (const email of ['dev@example.com', 'xss@example.com']) assert.doesNotMatch(await row(page, email).innerText(), /last Admin/);
    await assertAccessible(page, 'members');
    await screenshot(page, 'console-members');

    await page.getByRole('button', { name: 'Remove owner@example.com' }).click();
    const confirm = page.getByRole('dialog', { name: 'Remove the member?' });
    assert.match(await confirm.innerText(), /Owner \(owner@example\.com\) will lose every role/);
    await confirm.getByRole('button', { name: 'Remove member' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    const refused = (await op.requests({ method: 'DELETE', route: '/v1/organizations/{organizationId}/members/{userId}' }))[0]!;
    assert.equal(refused.status, 400);
    assert.match(await alert.innerText(), new RegExp(`^400: This member is the last member with the Admin role and cannot be removed: give another member the Admin role first\\s+Request ID: ${refused.requestId}$`));
    assert.ok(await member('owner@example.com'), 'the last Admin member is still a member');
    page.assertClean();
  });

  it("Members: change roles with the role picker; the last Admin moves, and taking it from the last one shows the API's refusal", async () => {
    const page = await consolePage(browser, op);
    await signIn(page, op);
    await open(page, 'Members');

    // Give Dev the Admin role too: two Admin members, none is marked.
    await page.getByRole('button', { name: 'Change roles of dev@example.com' }).click();
    let dialog = page.getByRole('dialog', { name: 'Change the roles of dev@example.com' });
    assert.equal(await dialog.getByRole('checkbox', { name: 'Developer (system)' }).isChecked(), true);
    await dialog.getByRole('checkbox', { name: 'Admin (system)' }).check();
    await dialog.getByRole('button', { name: 'Save roles' }).click();
    await dialog.waitFor({ state: 'detached' });
    await row(page, 'dev@example.com').getByRole('cell', { name: 'Developer, Admin' }).or(row(page, 'dev@example.com').getByRole('cell', { name: 'Admin, Developer' })).waitFor();
    assert.deepEqual(await rolesOf('dev@example.com'), ['Admin', 'Developer']);
    assert.equal(await page.getByText('last Admin', { exact: true }).count(), 0);

    // Owner becomes a Developer: Dev is now the last Admin member, and marked.
    await page.getByRole('button', { name: 'Change roles of owner@example.com' }).click();
    dialog = page.getByRole('dialog', { name: 'Change the roles of owner@example.com' });
    await dialog.getByRole('checkbox', { name: 'Admin (system)' }).uncheck();
    await dialog.getByRole('checkbox', { name: 'Developer (system)' }).check();
    await dialog.getByRole('button', { name: 'Save roles' }).click();
    await dialog.waitFor({ state: 'detached' });
    await row(page, 'owner@example.com').getByRole('cell', { name: 'Developer', exact: true }).waitFor();
    assert.deepEqual(await rolesOf('owner@example.com'), ['Developer']);
    await row(page, 'dev@example.com').getByText('last Admin', { exact: true }).waitFor();
    assert.doesNotMatch(await row(page, 'owner@example.com').innerText(), /last Admin/);

    // Taking Admin from the last one: the dialog stays open with the API's message; nothing changed.
    await page.getByRole('button', { name: 'Change roles of dev@example.com' }).click();
    dialog = page.getByRole('dialog', { name: 'Change the roles of dev@example.com' });
    await dialog.getByRole('checkbox', { name: 'Admin (system)' }).uncheck();
    await dialog.getByRole('button', { name: 'Save roles' }).click();
    const alert = dialog.getByRole('alert');
    await alert.waitFor();
    assert.match(await alert.innerText(), /^400: This member is the last member with the Admin role and cannot lose it: give another member the Admin role first/);
    assert.deepEqual(await rolesOf('dev@example.com'), ['Admin', 'Developer']);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    page.assertClean();
  });

  it('Members: remove a member after confirming (cancel keeps it)', async () => {
    const page = await consolePage(browser, op);
    await signIn(page, op);
    await open(page, 'Members');
    const remove = page.getByRole('button', { name: 'Remove xss@example.com' });
    await remove.click();
    const confirm = page.getByRole('dialog', { name: 'Remove the member?' });
    assert.match(await confirm.innerText(), new RegExp(`${XSS_NAME.replace(/[()]/g, '\\$&')} \\(xss@example\\.com\\)`));
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await confirm.waitFor({ state: 'detached' });
    assert.ok(await member('xss@example.com'), 'cancel removes nothing');
    await remove.click();
    await confirm.getByRole('button', { name: 'Remove member' }).click();
    await row(page, 'xss@example.com').waitFor({ state: 'detached' });
    assert.deepEqual((await members()).map((m) => m.email).sort(), ['dev@example.com', 'owner@example.com']);
    page.assertClean();
  });

  it('Invitations: the list with roles, created and expiry; invite with the role picker; a second invitation shows the 409; revoke after confirming', async () => {
    const page = await consolePage(browser, op);
    await signIn(page, op);
    await open(page, 'Invitations');
    assert.equal(new URL(page.url()).pathname, '/console/invitations');
    const [fixtureInvitation] = await invitations();
    assert.deepEqual((await row(page, 'new@example.com').getByRole('cell').allInnerTexts()).slice(0, 4), ['new@example.com', 'Developer', fixtureInvitation!.createdAt, fixtureInvitation!.expireAt]);

    const form = page.getByRole('form', { name: 'Invite by email' });
    // The Member system role is picked to begin with, as the API would give it.
    assert.equal(await form.getByRole('checkbox', { name: 'Member (system)' }).isChecked(), true);
    await assertAccessible(page, 'invitations');
    await screenshot(page, 'console-invitations');
    await form.getByLabel('Email').fill('Invitee@Example.com');
    await form.getByRole('checkbox', { name: 'Member (system)' }).uncheck();
    await form.getByRole('checkbox', { name: 'Billing (system)' }).check();
    await form.getByRole('button', { name: 'Invite' }).click();
    await row(page, 'invitee@example.com').waitFor();
    assert.equal(await form.getByLabel('Email').inputValue(), '');
    const created = (await invitations()).find((i) => i.email === 'invitee@example.com')!;
    assert.deepEqual(created.assignedRoles.map((r) => r.roleName), ['Billing']);
    assert.equal(Date.parse(created.expireAt) - Date.parse(created.createdAt), 7 * 24 * 3600 * 1000);
    assert.deepEqual((await row(page, 'invitee@example.com').getByRole('cell').allInnerTexts()).slice(0, 4), ['invitee@example.com', 'Billing', created.createdAt, created.expireAt]);

    // An email with an open invitation: the API's 409, shown as it is.
    await form.getByLabel('Email').fill('new@example.com');
    await form.getByRole('button', { name: 'Invite' }).click();
    const alert = form.getByRole('alert');
    await alert.waitFor();
    assert.match(await alert.innerText(), new RegExp(`^409: new@example\\.com already has an open invitation to this organization \\(${fixtureInvitation!.id}, expires ${fixtureInvitation!.expireAt}\\); delete it to invite again`));
    assert.equal((await invitations()).length, 2);

    const revoke = page.getByRole('button', { name: 'Revoke the invitation of invitee@example.com' });
    await revoke.click();
    const confirm = page.getByRole('dialog', { name: 'Revoke the invitation?' });
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await confirm.waitFor({ state: 'detached' });
    assert.equal((await invitations()).length, 2, 'cancel revokes nothing');
    await revoke.click();
    await confirm.getByRole('button', { name: 'Revoke invitation' }).click();
    await row(page, 'invitee@example.com').waitFor({ state: 'detached' });
    assert.deepEqual((await invitations()).map((i) => i.email), ['new@example.com']);
    page.assertClean();
  });

  it('a developer-role key sees members and invitations with no enabled mutating control', async () => {
    const page = await consolePage(browser, op);
    await signIn(page, op, developer);
    await open(page, 'Members');
    await page.getByRole('cell', { name: 'owner@example.com', exact: true }).waitFor();
    assert.deepEqual(await enabledControls(page), { total: 6, enabled: [] });
    await open(page, 'Invitations');
    await page.getByRole('checkbox', { name: 'Member (system)' }).waitFor();
    const { total, enabled } = await enabledControls(page);
    assert.ok(total >= 8, `the email, the roles, Invite and Revoke are there (${total})`);
    assert.deepEqual(enabled, []);
    page.assertClean();
  });
});
