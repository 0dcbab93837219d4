import type { Page } from 'playwright-core';
import { client, login, type Client } from '../support/api';
import { createTestDatabase } from '../support/database';
import { startControlPlane, TEST_ADMIN_EMAIL, TEST_ADMIN_PASSWORD, type TestControlPlane } from '../support/processes';
import { openBrowser, type BrowserSession } from './browser';

/**
 * The organization's Secrets page in Chromium against a real control plane:
 * create a secret (a bad name refused at the field first), see which groups
 * use it, set a new value, and delete it — refused while a plugin references
 * it. Values are typed into password fields and never appear on the page.
 */

let cp: TestControlPlane;
let session: BrowserSession;
let page: Page;
let api: Client;
const RG = '/v1/runtime-groups/default';
const FIRST = 'first-Value-0f-the-secret';
const SECOND = 'second-Value-0f-the-secret';

interface Listed {
  name: string;
  runtime_groups: { id: string; name: string }[];
  updated_at: number;
}

const secrets = async (): Promise<Listed[]> => (await api.get('/v1/secrets')).body.data as Listed[];

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

describe('Secrets: the organization secret store in the browser', () => {
  it('signs in and opens Secrets from the main menu', async () => {
    await page.goto(`${cp.url}/login`);
    await page.getByLabel('Email').fill(TEST_ADMIN_EMAIL);
    await page.getByRole('textbox', { name: 'Password' }).fill(TEST_ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Service Hub' }).waitFor();
    await page.getByRole('navigation', { name: 'Main menu' }).getByRole('link', { name: 'Secrets' }).click();
    await page.getByRole('heading', { level: 1, name: 'Secrets' }).waitFor();
    await page.getByText('No secrets yet.').waitFor();
  });

  it('creates a secret, refusing a bad name at the field first; the value is a password field and never shown', async () => {
    await page.getByRole('button', { name: 'New Secret' }).click();
    const dialog = page.getByRole('dialog', { name: 'New Secret' });
    const name = dialog.getByRole('textbox', { name: 'Name' });
    await name.fill('redis password');
    const value = dialog.getByRole('textbox', { name: 'Value' });
    expect(await value.getAttribute('type')).toBe('password');
    await value.fill(FIRST);
    await dialog.getByRole('button', { name: 'Create' }).click();
    await dialog.getByText("invalid secret name: letters, digits, '_', '-' and '.', at most 128").waitFor();
    expect(await name.getAttribute('aria-invalid')).toBe('true');
    await name.fill('redis-pw');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const row = page.getByRole('table', { name: 'Secrets' }).getByRole('row', { name: /redis-pw/ });
    await row.getByText('{vault://gatehouse/redis-pw}').waitFor();
    await row.getByText('not referenced').waitFor();
    expect(await page.content()).not.toContain(FIRST);
    expect(await secrets()).toMatchObject([{ name: 'redis-pw', runtime_groups: [] }]);
  });

  it('shows the runtime groups whose config references it', async () => {
    await api.ok('POST', `${RG}/plugins`, {
      name: 'rate-limiting',
      config: { minute: 5, policy: 'redis', redis_host: '127.0.0.1', redis_port: 6379, redis_password: '{vault://gatehouse/redis-pw}' },
    });
    await page.reload();
    const row = page.getByRole('table', { name: 'Secrets' }).getByRole('row', { name: /redis-pw/ });
    await row.getByRole('link', { name: 'default' }).waitFor();
    await session.screenshot('secrets');
  });

  it('sets a new value through a password field', async () => {
    const [before] = await secrets();
    // Timestamps are whole seconds: let one pass so the update shows.
    await new Promise((r) => setTimeout(r, 1100));
    await page.getByRole('button', { name: 'Set value of redis-pw' }).click();
    const dialog = page.getByRole('dialog', { name: 'Set value of redis-pw' });
    const value = dialog.getByRole('textbox', { name: 'Value' });
    expect(await value.inputValue()).toBe('');
    await value.fill(SECOND);
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const [after] = await secrets();
    expect(after?.updated_at).toBeGreaterThan(before?.updated_at ?? Infinity);
    expect(await page.content()).not.toContain(SECOND);
  });

  it('refuses to delete a secret in use with the API message, then deletes it once unused', async () => {
    const row = page.getByRole('table', { name: 'Secrets' }).getByRole('row', { name: /redis-pw/ });
    await row.getByRole('button', { name: 'Delete' }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete' });
    await confirm.getByRole('button', { name: 'Delete' }).click();
    await confirm.getByText("secret 'redis-pw' is referenced by the config of runtime group(s) 'default'; remove the references first").waitFor();
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    expect(await secrets()).toHaveLength(1);

    const plugins = (await api.get(`${RG}/plugins`)).body.data as { id: string }[];
    for (const p of plugins) await api.ok('DELETE', `${RG}/plugins/${p.id}`);
    await row.getByRole('button', { name: 'Delete' }).click();
    await confirm.getByRole('button', { name: 'Delete' }).click();
    await page.getByText('No secrets yet.').waitFor();
    expect(await secrets()).toEqual([]);
  });

  it('raised no uncaught error and logged no console error in the browser', () => {
    expect(session.errors).toEqual([]);
  });
});
