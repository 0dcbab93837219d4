import type { Page } from 'playwright-core';
import { client, login, type Client } from '../support/api';
import { createTestDatabase } from '../support/database';
import { startControlPlane, TEST_ADMIN_EMAIL, TEST_ADMIN_PASSWORD, type TestControlPlane } from '../support/processes';
import { openBrowser, type BrowserSession } from './browser';
import { eventually } from './launch';

/**
 * The Upstreams tab of a runtime group, clicked through in Chromium against a
 * real control plane: create an upstream (a refused name shown next to the
 * field first), edit it, add targets, change a weight, delete a target. The
 * API is read after each step to prove what was stored.
 */

let cp: TestControlPlane;
let session: BrowserSession;
let page: Page;
let api: Client;
const RG = '/v1/runtime-groups/default';

beforeAll(async () => {
  cp = await startControlPlane({ databaseUrl: await createTestDatabase('ui') });
  api = client(cp.url, await login(cp.url));
  session = await openBrowser(cp.url);
  page = session.page;
}, 120_000);

afterAll(async () => {
  await session?.close();
  await cp?.stop();
});

describe('Runtime Manager: upstreams and targets in the browser', () => {
  it('signs in and opens the Upstreams tab of the default group', async () => {
    await page.goto(`${cp.url}/login`);
    await page.getByLabel('Email').fill(TEST_ADMIN_EMAIL);
    await page.getByRole('textbox', { name: 'Password' }).fill(TEST_ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Service Hub' }).waitFor();
    await page.getByRole('navigation', { name: 'Main menu' }).getByRole('link', { name: 'Runtime Manager' }).click();
    await page.getByRole('link', { name: 'default' }).click();
    await page.getByRole('tab', { name: 'Upstreams' }).click();
    await page.getByText('No upstreams in this group yet.').waitFor();
  });

  it("creates an upstream, refusing an IP address as its name in Kong's words", async () => {
    await page.getByRole('button', { name: 'New Upstream' }).click();
    const dialog = page.getByRole('dialog', { name: 'New Upstream' });
    const name = dialog.getByRole('textbox', { name: 'Name' });
    await name.fill('10.0.0.1');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await dialog.getByText("Invalid name ('10.0.0.1'); no ip addresses allowed").waitFor();
    expect(await name.getAttribute('aria-invalid')).toBe('true');
    await name.fill('shop.upstream');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByRole('table', { name: 'Upstreams' }).getByText('shop.upstream').waitFor();
    expect((await api.get(`${RG}/upstreams/shop.upstream`)).body).toMatchObject({ algorithm: 'round-robin', slots: 10000 });
  });

  it('edits the upstream to hash on a header, keeping what the dialog does not show', async () => {
    await api.patch(`${RG}/upstreams/shop.upstream`, { tags: ['team-a'] });
    await page.getByRole('button', { name: 'Edit upstream shop.upstream' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit Upstream' });
    await dialog.getByRole('combobox', { name: 'Hash on', exact: true }).click();
    await page.getByRole('option', { name: 'header' }).click();
    await dialog.getByRole('textbox', { name: 'Hash on header' }).fill('x-user');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByRole('table', { name: 'Upstreams' }).getByText('header x-user').waitFor();
    expect((await api.get(`${RG}/upstreams/shop.upstream`)).body).toMatchObject({
      algorithm: 'consistent-hashing',
      hash_on: 'header',
      hash_on_header: 'x-user',
      tags: ['team-a'],
    });
  });

  it('sets the per-target concurrency limit, refusing 0 next to the field', async () => {
    await page.getByRole('button', { name: 'Edit upstream shop.upstream' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit Upstream' });
    const limit = dialog.getByRole('textbox', { name: 'Max concurrent requests per target' });
    await limit.fill('0');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.getByText('value should be between 1 and 1000000').waitFor();
    await limit.fill('20');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect((await api.get(`${RG}/upstreams/shop.upstream`)).body).toMatchObject({ max_concurrent_requests_per_target: 20, hash_on_header: 'x-user' });
  });

  it('adds targets (port 8000 by default), refuses a bad one, sets a weight to 0 and deletes a target', async () => {
    await page.getByRole('button', { name: 'Targets of shop.upstream' }).click();
    await page.getByText('No targets yet').waitFor();
    const add = async (address: string): Promise<void> => {
      await page.getByRole('button', { name: 'Add Target' }).click();
      const dialog = page.getByRole('dialog', { name: 'Add Target' });
      await dialog.getByRole('textbox', { name: 'Target' }).fill(address);
      await dialog.getByRole('button', { name: 'Create' }).click();
      await dialog.waitFor({ state: 'hidden' });
    };
    await add('10.0.0.1');
    await add('10.0.0.2:9000');
    const table = page.getByRole('table', { name: 'Targets of shop.upstream' });
    await table.getByText('10.0.0.1:8000').waitFor();
    await table.getByText('10.0.0.2:9000').waitFor();

    await page.getByRole('button', { name: 'Add Target' }).click();
    const bad = page.getByRole('dialog', { name: 'Add Target' });
    await bad.getByRole('textbox', { name: 'Target' }).fill('not a host');
    await bad.getByRole('button', { name: 'Create' }).click();
    await bad.getByText("Invalid target ('not a host'); not a valid hostname or ip address").waitFor();
    await bad.getByRole('button', { name: 'Cancel' }).click();

    await page.getByRole('button', { name: 'Edit target 10.0.0.2:9000' }).click();
    const edit = page.getByRole('dialog', { name: 'Edit Target' });
    await edit.getByRole('textbox', { name: 'Weight' }).fill('0');
    await edit.getByRole('button', { name: 'Save' }).click();
    await edit.waitFor({ state: 'hidden' });
    await eventually('the weight stored', 5_000, async () => {
      const list = (await api.get(`${RG}/upstreams/shop.upstream/targets`)).body.data as { target: string; weight: number }[];
      return list.find((t) => t.target === '10.0.0.2:9000')?.weight === 0 ? true : undefined;
    });

    await table
      .getByRole('row', { name: /10\.0\.0\.1:8000/ })
      .getByRole('button', { name: 'Delete' })
      .click();
    await page.getByRole('dialog', { name: 'Delete' }).getByRole('button', { name: 'Delete' }).click();
    await table.getByText('10.0.0.1:8000').waitFor({ state: 'detached' });
    const left = (await api.get(`${RG}/upstreams/shop.upstream/targets`)).body.data as { target: string; weight: number }[];
    expect(left.map((t) => [t.target, t.weight])).toEqual([['10.0.0.2:9000', 0]]);
    await session.screenshot('upstreams');
  });

  it('raised no uncaught error and logged no console error in the browser', () => {
    expect(session.errors).toEqual([]);
  });
});
