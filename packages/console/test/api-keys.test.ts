import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startOrgplane, type Orgplane } from 'orgplane/testing';
import { assertAccessible, consolePage, launchBrowser, screenshot, signIn, skipWithoutChromium } from './helpers/console-browser.js';
import { isFocused, tabTo } from './helpers/keyboard.js';

const XSS_NAME = '<img src=x onerror=alert(1)>';

describe('console: API keys', { skip: skipWithoutChromium }, () => {
  let op: Orgplane;
  let browser: Browser;
  const path = () => ({ params: { path: { organizationId: op.organizationId } } });
  const listKeys = async () => (await op.client.GET('/v1/organizations/{organizationId}/keys', path())).data!.result;
  const keyNamed = async (name: string) => (await listKeys()).find((key) => key.name === name);
  /** The text of each cell of the key's row, in the table's column order. */
  const rowCells = (page: Page, name: string) => page.getByRole('row').filter({ has: page.getByRole('cell', { name, exact: true }) }).getByRole('cell').allInnerTexts();
  const openKeys = async (page: Page) => {
    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'API keys' }).click();
    await page.getByRole('table').waitFor();
  };

  before(async () => {
    op = await startOrgplane({ clock: '2026-01-01T00:00:00Z,frozen' });
    browser = await launchBrowser();
    await op.client.POST('/v1/organizations/{organizationId}/roles', {
      ...path(),
      body: { name: 'Auditors', actors: [], policies: [{ allowDeny: 'ALLOW', permissions: ['control-plane:organization:view'], resources: ['*'] }] },
    });
  });
  after(async () => {
    await browser?.close();
    await op?.stop();
  });

  it("create: the organization's roles, an expiry, the IP list checked as the server checks it; the ID and secret shown once, copied, and signed in with", async () => {
    const page = await consolePage(browser, op);
    await signIn(page, op);
    await openKeys(page);
    await page.getByRole('button', { name: 'Create API key' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create API key' });
    const roles = (await op.client.GET('/v1/organizations/{organizationId}/roles', path())).data!.result;
    await dialog.getByRole('group', { name: 'Roles' }).getByRole('checkbox').first().waitFor();
    assert.deepEqual(
      (await dialog.getByRole('group', { name: 'Roles' }).locator('label').allInnerTexts()).map((text) => text.replace(/\s+/g, ' ')),
      roles.map((role) => `${role.name} (${role.type})`),
    );
    assert.ok(roles.some((role) => role.name === 'Auditors'), 'the custom role is offered');

    await dialog.getByLabel('Name', { exact: true }).fill('ci deploy key');
    await dialog.getByLabel('Developer').check();
    await dialog.getByLabel('Org API reader').check();
    await dialog.getByLabel('Expires (UTC, empty for never)').fill('2027-06-30T12:00');
    await dialog.getByRole('button', { name: 'Add source' }).click();
    await dialog.getByLabel('Source 1').fill('10.0.0.0/33');
    // The console names the bad entry in the server's own words: ask the server about the same entry.
    const refused = await op.client
      .POST('/v1/organizations/{organizationId}/keys', { ...path(), body: { name: 'refused', assignedRoleIds: [], ipAccessList: [{ source: '10.0.0.0/33' }] } })
      .then(() => assert.fail('the server took 10.0.0.0/33'), (err: Error) => err.message);
    assert.equal(refused, "Invalid field 'ipAccessList[0].source': '10.0.0.0/33' is not an IPv4/IPv6 address or CIDR");
    assert.equal(await dialog.getByRole('alert').innerText(), refused);
    assert.equal(await dialog.getByLabel('Source 1').getAttribute('aria-invalid'), 'true');
    assert.equal(await dialog.getByRole('button', { name: 'Save' }).isDisabled(), true);
    await dialog.getByLabel('Source 1').fill('10.0.0.0/8');
    await dialog.getByLabel('Description 1').fill('office');
    await dialog.getByRole('button', { name: 'Add source' }).click();
    await dialog.getByLabel('Source 2').fill('2001:db8::/32');
    // The test signs in with this key, from the loopback address.
    await dialog.getByRole('button', { name: 'Add source' }).click();
    await dialog.getByLabel('Source 3').fill('127.0.0.0/8');
    assert.equal(await dialog.getByRole('alert').count(), 0);
    await assertAccessible(page, 'keys: the create dialog');
    await dialog.getByRole('button', { name: 'Save' }).click();

    const shown = page.getByRole('dialog', { name: 'API key created' });
    await shown.waitFor();
    assert.match(await shown.getByRole('alert').innerText(), /shown only this once/);
    const keyId = await shown.getByTestId('new-key-id').innerText();
    const keySecret = await shown.getByTestId('new-key-secret').innerText();
    assert.match(keyId, /^[A-Za-z0-9]{20}$/);
    assert.match(keySecret, /^[A-Za-z0-9]{42}$/);
    await shown.getByRole('button', { name: 'Copy key ID' }).click();
    await shown.getByRole('status').filter({ hasText: 'Key ID copied.' }).waitFor();
    // Compared, never printed: a failure message must not carry a credential.
    assert.ok((await page.evaluate(() => navigator.clipboard.readText())) === keyId, 'the clipboard holds the key ID');
    await shown.getByRole('button', { name: 'Copy key secret' }).click();
    await shown.getByRole('status').filter({ hasText: 'Key secret copied.' }).waitFor();
    const copiedSecret = await page.evaluate(() => navigator.clipboard.readText());
    assert.ok(copiedSecret === keySecret, 'the clipboard holds the key secret');

    const key = (await keyNamed('ci deploy key'))!;
    assert.equal(key.keySuffix, keyId.slice(-4));
    assert.deepEqual(key.assignedRoles.map((role) => role.roleName), ['Developer', 'Org API reader']);
    assert.equal(Date.parse(key.expireAt!), Date.parse('2027-06-30T12:00:00Z'));
    assert.deepEqual(key.ipAccessList, [{ source: '10.0.0.0/8', description: 'office' }, { source: '2001:db8::/32' }, { source: '127.0.0.0/8' }]);

    await shown.getByRole('button', { name: 'Done' }).click();
    await shown.waitFor({ state: 'detached' });
    assert.ok(!(await page.content()).includes(keySecret), 'the secret is gone from the page once the dialog is closed');
    assert.deepEqual((await rowCells(page, 'ci deploy key')).slice(0, 8), [
      'ci deploy key',
      `…${key.keySuffix}`,
      'Developer, Org API reader',
      'enabled',
      '2026-01-01 00:00 UTC',
      '2027-06-30 12:00 UTC',
      'never',
      '10.0.0.0/8, 2001:db8::/32, 127.0.0.0/8',
    ]);

    // The flow: sign out, and in again with the credentials just copied.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Key ID').waitFor();
    await signIn(page, op, { keyId, keySecret: copiedSecret });
    assert.equal(await page.locator('header .key').innerText(), `Key …${key.keySuffix}`);
    await openKeys(page);
    const mine = page.getByRole('row').filter({ has: page.getByText('this key') });
    assert.equal(await mine.count(), 1);
    assert.match(await mine.getByRole('cell').first().innerText(), /^ci deploy key\s*this key$/);
    // Developer and Org API reader may read keys, not create them.
    assert.equal(await page.getByRole('button', { name: 'Create API key' }).isDisabled(), true);
    page.assertClean();
  });

  it('the key in use is marked and cannot be deleted; enable and disable; edit; delete with confirmation', async () => {
    const page = await consolePage(browser, op);
    await signIn(page, op);
    await openKeys(page);
    const admin = (await listKeys()).find((key) => key.keySuffix === op.keyId.slice(-4))!;
    const inUse = page.getByRole('row').filter({ has: page.getByText('this key') });
    assert.equal(await inUse.count(), 1);
    assert.match(await inUse.getByRole('cell').first().innerText(), new RegExp(`^${admin.name}\\s*this key$`));
    assert.equal(await page.getByRole('button', { name: `Delete ${admin.name}` }).isDisabled(), true);
    assert.equal(await page.getByRole('button', { name: 'Delete ci deploy key' }).isDisabled(), false);

    await page.getByRole('button', { name: 'Disable ci deploy key' }).click();
    await page.getByRole('button', { name: 'Enable ci deploy key' }).waitFor();
    assert.equal((await keyNamed('ci deploy key'))!.state, 'disabled');
    assert.equal((await rowCells(page, 'ci deploy key'))[3], 'disabled');
    await page.getByRole('button', { name: 'Enable ci deploy key' }).click();
    await page.getByRole('button', { name: 'Disable ci deploy key' }).waitFor();
    assert.equal((await keyNamed('ci deploy key'))!.state, 'enabled');

    const before = (await keyNamed('ci deploy key'))!;
    await page.getByRole('button', { name: 'Edit ci deploy key' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit API key ci deploy key' });
    await dialog.getByLabel('Auditors').waitFor();
    assert.equal(await dialog.getByLabel('Name', { exact: true }).inputValue(), 'ci deploy key');
    assert.equal(await dialog.getByLabel('Expires (UTC, empty for never)').inputValue(), '2027-06-30T12:00');
    await dialog.getByLabel('Name', { exact: true }).fill('ci deploy key (renamed)');
    await dialog.getByLabel('Org API reader').uncheck();
    await dialog.getByLabel('Auditors').check();
    await dialog.getByRole('button', { name: 'Remove source 2' }).click();
    await dialog.getByLabel('Source 1').fill('192.168.0.0/16');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('cell', { name: 'ci deploy key (renamed)', exact: true }).waitFor();
    const edited = (await keyNamed('ci deploy key (renamed)'))!;
    assert.equal(edited.id, before.id);
    assert.deepEqual(edited.assignedRoles.map((role) => role.roleName), ['Developer', 'Auditors']);
    assert.deepEqual(edited.ipAccessList, [{ source: '192.168.0.0/16', description: 'office' }, { source: '127.0.0.0/8' }]);
    assert.equal(edited.expireAt, before.expireAt);
    // The first test signed in with it: last used is the (frozen) server clock's now.
    assert.equal(Date.parse(edited.usedAt!), Date.parse('2026-01-01T00:00:00Z'));
    assert.deepEqual((await rowCells(page, 'ci deploy key (renamed)')).slice(2, 8), ['Developer, Auditors', 'enabled', '2026-01-01 00:00 UTC', '2027-06-30 12:00 UTC', '2026-01-01 00:00 UTC', '192.168.0.0/16, 127.0.0.0/8']);
    await assertAccessible(page, 'keys');
    await screenshot(page, 'console-keys');

    await page.getByRole('button', { name: 'Delete ci deploy key (renamed)' }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete the API key?' });
    assert.match(await confirm.innerText(), /"ci deploy key \(renamed\)" \(…\w{4}\) will be refused/);
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await confirm.waitFor({ state: 'detached' });
    assert.ok(await keyNamed('ci deploy key (renamed)'), 'Cancel deletes nothing');
    await page.getByRole('button', { name: 'Delete ci deploy key (renamed)' }).click();
    await confirm.getByRole('button', { name: 'Delete key' }).click();
    await page.getByRole('cell', { name: 'ci deploy key (renamed)', exact: true }).waitFor({ state: 'detached' });
    assert.equal(await keyNamed('ci deploy key (renamed)'), undefined);
    page.assertClean();
  });

  it('a key named like markup shows those characters and runs nothing', async () => {
    const page = await consolePage(browser, op);
    await signIn(page, op);
    await openKeys(page);
    await page.getByRole('button', { name: 'Create API key' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create API key' });
    await dialog.getByLabel('Name', { exact: true }).fill(XSS_NAME);
    await dialog.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('dialog', { name: 'API key created' }).getByRole('button', { name: 'Done' }).click();
    const cell = page.getByRole('cell', { name: XSS_NAME, exact: true });
    await cell.waitFor();
    assert.equal(await cell.innerText(), XSS_NAME);
    assert.equal((await keyNamed(XSS_NAME))!.name, XSS_NAME);
    assert.equal(await page.locator('table img').count(), 0);
    assert.equal(await page.locator('img').count(), 0);
    // The row's buttons carry the name as text too.
    await page.getByRole('button', { name: `Edit ${XSS_NAME}` }).click();
    assert.equal(await page.getByRole('dialog', { name: `Edit API key ${XSS_NAME}` }).getByLabel('Name', { exact: true }).inputValue(), XSS_NAME);
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    assert.equal(await page.locator('img').count(), 0);
    page.assertClean();
  });

  it('keyboard alone: sign in, open the create dialog, fill it and submit', async () => {
    const page = await consolePage(browser, op);
    await page.goto(`${op.url}/console/`);
    await tabTo(page, page.getByLabel('Key ID'));
    await page.keyboard.type(op.keyId);
    await tabTo(page, page.getByLabel('Key secret'));
    await page.keyboard.type(op.keySecret);
    await page.keyboard.press('Enter');
    const nav = page.getByRole('navigation', { name: 'Console' });
    await nav.waitFor();
    await tabTo(page, nav.getByRole('link', { name: 'API keys' }));
    await page.keyboard.press('Enter');
    await page.getByRole('table').waitFor();
    await tabTo(page, page.getByRole('button', { name: 'Create API key' }));
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Create API key' });
    await dialog.getByLabel('Developer').waitFor();
    // A modal dialog takes the focus to its first field.
    assert.equal(await isFocused(dialog.getByLabel('Name', { exact: true })), true);
    await page.keyboard.type('keyboard key');
    await tabTo(page, dialog.getByLabel('Developer'));
    await page.keyboard.press('Space');
    await tabTo(page, dialog.getByRole('button', { name: 'Add source' }));
    await page.keyboard.press('Enter');
    await tabTo(page, dialog.getByLabel('Source 1'), { back: true });
    await page.keyboard.type('10.0.0.0/8');
    await page.keyboard.press('Enter');
    const shown = page.getByRole('dialog', { name: 'API key created' });
    await shown.waitFor();
    const key = (await keyNamed('keyboard key'))!;
    assert.equal(key.keySuffix, (await shown.getByTestId('new-key-id').innerText()).slice(-4));
    assert.deepEqual(key.assignedRoles.map((role) => role.roleName), ['Developer']);
    assert.deepEqual(key.ipAccessList, [{ source: '10.0.0.0/8' }]);
    await tabTo(page, shown.getByRole('button', { name: 'Done' }));
    await page.keyboard.press('Enter');
    await shown.waitFor({ state: 'detached' });
    await page.getByRole('cell', { name: 'keyboard key', exact: true }).waitFor();
    page.assertClean();
  });
});
