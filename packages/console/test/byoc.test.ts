import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startOrgplane, type Orgplane } from 'orgplane/testing';
import { POLL_SECONDS } from '../src/views/byoc.js';
import { assertAccessible, consolePage, launchBrowser, screenshot, signIn, skipWithoutChromium } from './helpers/console-browser.js';
import { enabledControls } from './helpers/enabled-controls.js';

const ACME = '<b>Acme</b> prod';
const developer = { keyId: `${'ByocDeveloper'.padEnd(16, '0')}DV02`, keySecret: 'ByocDeveloperSecret'.padEnd(42, '0') };
const fixture = {
  organizations: [
    {
      name: 'BYOC org',
      keys: [
        { name: 'admin', keyId: `${'ByocAdmin'.padEnd(16, '0')}AD01`, keySecret: 'ByocAdminSecret'.padEnd(42, '0'), roles: ['admin'] },
        { name: 'developer', ...developer, roles: ['developer'] },
      ],
      byocInfrastructures: [{ state: 'infra-ready', accountName: '123456789012', regionId: 'us-east-1', displayName: ACME }],
    },
  ],
};
const ORGANIZATION_ROUTE = '/v1/organizations/{organizationId}';

describe('console: BYOC infrastructures', { skip: skipWithoutChromium }, () => {
  let op: Orgplane;
  let browser: Browser;
  let org: { params: { path: { organizationId: string } } };
  before(async () => {
    // The server's default provisioning time (30 s) on a frozen clock: only the test moves it.
    op = await startOrgplane({ fixture, clock: '2026-01-01T00:00:00Z,frozen' });
    org = { params: { path: { organizationId: op.organizationId } } };
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await op?.stop();
  });
  beforeEach(async () => {
    await op.controls.POST('/_orgplane/reset');
  });

  const infrastructures = async () => (await op.client.GET('/v1/organizations/{organizationId}', org)).data!.result.byocConfig;
  const row = (page: Page, name: string) => page.getByRole('row').filter({ has: page.getByRole('cell', { name, exact: true }) });
  const badge = (page: Page, name: string) => row(page, name).locator('.badge.state');

  async function openByoc(page: Page): Promise<void> {
    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'BYOC' }).click();
    await page.getByRole('heading', { name: 'BYOC', level: 1 }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/console/byoc');
  }

  it('create (pickers, account and CIDR checked as the API does) → provisioning; the clock advances and the badge turns ready without a reload', async () => {
    const page = await consolePage(browser, op);
    await signIn(page, op);
    await openByoc(page);
    // The display name is user text: shown as its characters, no element made of it.
    assert.equal(await badge(page, ACME).innerText(), 'Ready');
    assert.equal(await page.locator('main td b').count(), 0);

    await page.getByRole('button', { name: 'Create infrastructure' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create a BYOC infrastructure' });
    const create = dialog.getByRole('button', { name: 'Create', exact: true });
    await dialog.getByLabel('Cloud provider').selectOption('gcp');
    assert.deepEqual(await dialog.getByLabel('Region').locator('option').allInnerTexts(), ['us-east1', 'us-central1', 'europe-west2', 'europe-west4', 'asia-southeast1', 'asia-northeast1']);
    await dialog.getByLabel('Cloud provider').selectOption('aws');
    await dialog.getByLabel('Region').selectOption('eu-west-1');
    await dialog.getByLabel('Account ID').fill('12345');
    assert.equal(await dialog.getByRole('alert').innerText(), 'Account ID: an AWS account ID is 12 digits.');
    assert.equal(await create.isDisabled(), true);
    await dialog.getByLabel('Account ID').fill('210987654321');
    await dialog.getByRole('checkbox', { name: 'Zone c' }).uncheck();
    await dialog.getByLabel('VPC CIDR range').fill('10.1.0.1/16');
    assert.equal(await dialog.getByRole('alert').innerText(), "VPC CIDR range: '10.1.0.1/16' has host bits set; the range is written 10.1.0.0/16.");
    assert.equal(await create.isDisabled(), true);
    await dialog.getByLabel('VPC CIDR range').fill('10.1.0.0/16');
    await dialog.getByLabel('Display name (optional)').fill('Console prod');
    assert.equal(await dialog.getByRole('alert').count(), 0);
    await create.click();
    await dialog.waitFor({ state: 'detached' });
    assert.equal(await badge(page, 'Console prod').innerText(), 'Provisioning');
    const made = (await infrastructures()).find((b) => b.displayName === 'Console prod')!;
    assert.deepEqual(made, { id: made.id, state: 'infra-provisioning', accountName: '210987654321', regionId: 'eu-west-1', cloudProvider: 'aws', displayName: 'Console prod' });
    // Zones and range are not in ByocConfig; the snapshot holds them.
    const snapshot = (await op.controls.GET('/_orgplane/snapshot')).data!.result;
    const stored = snapshot.organizations[0]!.byocInfrastructures!.find((b) => b.id === made.id)!;
    assert.deepEqual([stored.availabilityZoneSuffixes, stored.vpcCidrRange], [['a', 'b'], '10.1.0.0/16']);
    await page.getByRole('status').filter({ hasText: `1 provisioning: the list is read again every ${POLL_SECONDS} s` }).waitFor();
    await assertAccessible(page, 'byoc');
    await screenshot(page, 'console-byoc');

    // Nothing changes while the server's clock stands still.
    await page.waitForTimeout((POLL_SECONDS + 1) * 1000);
    assert.equal(await badge(page, 'Console prod').innerText(), 'Provisioning');
    // A mark on the document: a reload would lose it.
    await page.evaluate(() => document.documentElement.setAttribute('data-test-no-reload', 'yes'));
    await op.controls.POST('/_orgplane/clock/advance', { body: { seconds: 31 } });
    await badge(page, 'Console prod').filter({ hasText: 'Ready' }).waitFor({ timeout: (POLL_SECONDS + 2) * 1000 });
    assert.equal(await page.evaluate(() => document.documentElement.getAttribute('data-test-no-reload')), 'yes');
    assert.equal((await infrastructures()).find((b) => b.id === made.id)!.state, 'infra-ready');
    // With nothing provisioning the console stops reading the list.
    const reads = (await op.requests({ method: 'GET', route: ORGANIZATION_ROUTE })).length;
    await page.waitForTimeout((POLL_SECONDS + 1) * 1000);
    assert.equal((await op.requests({ method: 'GET', route: ORGANIZATION_ROUTE })).length, reads);
    page.assertClean();
  });

  it("a second infrastructure for one account and region shows the API's 409 in the dialog", async () => {
    const page = await consolePage(browser, op);
    await signIn(page, op);
    await openByoc(page);
    await page.getByRole('button', { name: 'Create infrastructure' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create a BYOC infrastructure' });
    await dialog.getByLabel('Region').selectOption('us-east-1');
    await dialog.getByLabel('Account ID').fill('123456789012');
    await dialog.getByRole('button', { name: 'Create', exact: true }).click();
    const alert = dialog.getByRole('alert');
    await alert.waitFor();
    const refused = (await op.requests({ method: 'POST', route: '/v1/organizations/{organizationId}/byocInfrastructure' }))[0]!;
    assert.equal(refused.status, 409);
    assert.match(await alert.innerText(), new RegExp(`^409: A BYOC infrastructure for account '123456789012' in region 'us-east-1' already exists in this organization\\s+Request ID: ${refused.requestId}$`));
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    assert.equal((await infrastructures()).length, 1);
    page.assertClean();
  });

  it('rename, then delete after confirming: terminated, with no more actions', async () => {
    const page = await consolePage(browser, op);
    await signIn(page, op);
    await openByoc(page);
    const [acme] = await infrastructures();
    await page.getByRole('button', { name: `Rename ${ACME}` }).click();
    const rename = page.getByRole('dialog', { name: `Rename ${ACME}` });
    assert.equal(await rename.getByLabel('Display name').inputValue(), ACME);
    await rename.getByLabel('Display name').fill('Production');
    await rename.getByRole('button', { name: 'Save name' }).click();
    await rename.waitFor({ state: 'detached' });
    await row(page, 'Production').waitFor();
    assert.deepEqual(await infrastructures(), [{ ...acme!, displayName: 'Production' }]);

    const remove = page.getByRole('button', { name: 'Delete Production' });
    await remove.click();
    const confirm = page.getByRole('dialog', { name: 'Delete the BYOC infrastructure?' });
    assert.match(await confirm.innerText(), /"Production" \(us-east-1, account 123456789012\) will be terminated/);
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await confirm.waitFor({ state: 'detached' });
    assert.equal((await infrastructures())[0]!.state, 'infra-ready', 'cancel deletes nothing');
    await remove.click();
    await confirm.getByRole('button', { name: 'Delete infrastructure' }).click();
    await badge(page, 'Production').filter({ hasText: 'Terminated' }).waitFor();
    assert.equal((await infrastructures())[0]!.state, 'infra-terminated');
    assert.equal(await page.getByRole('button', { name: 'Rename Production' }).isDisabled(), true);
    assert.equal(await remove.isDisabled(), true);
    page.assertClean();
  });

  it('a developer-role key sees the infrastructures with no enabled mutating control', async () => {
    const page = await consolePage(browser, op);
    await signIn(page, op, developer);
    await openByoc(page);
    assert.equal(await badge(page, ACME).innerText(), 'Ready');
    assert.deepEqual(await enabledControls(page), { total: 3, enabled: [] });
    page.assertClean();
  });
});
