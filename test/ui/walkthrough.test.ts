import fs from 'node:fs';
import type { Page } from 'playwright-core';
import { createTestDatabase } from '../support/database';
import {
  freePort,
  startControlPlane,
  startNode,
  tempDir,
  TEST_ADMIN_EMAIL,
  TEST_ADMIN_PASSWORD,
  type TestControlPlane,
  type TestProcess,
} from '../support/processes';
import { openBrowser, type BrowserSession } from './browser';
import { eventually, runScript, type RunningScript } from './launch';

/**
 * The seed walkthrough (docs of Konnect: implement a service version, run a
 * data plane from Configure Runtime, see its traffic), clicked through in
 * Chromium against a real control plane, echo upstream and data plane.
 * The steps share one browser session and run in order.
 */

let cp: TestControlPlane;
let echo: TestProcess;
let echoPort: number;
let session: BrowserSession;
let page: Page;
let dp: RunningScript | undefined;
let proxyPort: number;
let script = '';
let dpDir: string | undefined;

const echoUrl = (): string => `http://127.0.0.1:${echoPort}`;

// The walkthrough is one story: once a step fails, the later ones fail at once
// (naming the first failure) rather than each waiting out its timeouts. A
// step marked `leaf` leaves nothing later steps build on, so its failure is
// reported alone.
let broken: string | undefined;
function step(name: string, fn: () => Promise<void>, opts: { timeoutMs?: number; leaf?: boolean } = {}): void {
  it(
    name,
    async () => {
      if (broken) throw new Error(`not run: the earlier step "${broken}" failed`);
      try {
        await fn();
      } catch (err) {
        if (!opts.leaf) broken = name;
        throw err;
      }
    },
    opts.timeoutMs,
  );
}

async function visible(page: Page, text: string | RegExp): Promise<void> {
  await page.getByText(text).first().waitFor({ state: 'visible' });
}

async function openNav(page: Page, section: 'Service Hub' | 'Runtime Manager'): Promise<void> {
  await page.getByRole('navigation', { name: 'Main menu' }).getByRole('link', { name: section }).click();
  await page.getByRole('heading', { level: 1, name: section }).waitFor();
}

beforeAll(async () => {
  const databaseUrl = await createTestDatabase('ui');
  echoPort = await freePort();
  proxyPort = await freePort();
  echo = startNode('packages/echo/dist/main.js', { GATEHOUSE_ECHO_LISTEN: `127.0.0.1:${echoPort}` });
  [cp] = await Promise.all([startControlPlane({ databaseUrl }), echo.waitForEvent('echo_listening', 15_000)]);
  session = await openBrowser(cp.url);
  page = session.page;
}, 120_000);

afterAll(async () => {
  await session?.close();
  await dp?.stop();
  await echo?.stop();
  await cp?.stop();
  if (dpDir) fs.rmSync(dpDir, { recursive: true, force: true });
  if (cp) fs.rmSync(cp.dataDir, { recursive: true, force: true });
});

describe('the web UI served by the control plane', () => {
  it('answers index.html for app paths, 404 for a missing asset, JSON under /v1', async () => {
    const app = await fetch(`${cp.url}/service-hub/example_service/versions/v1`);
    expect(app.status).toBe(200);
    expect(app.headers.get('content-type')).toMatch(/text\/html/);
    expect(await app.text()).toContain('<div id="root">');
    expect((await fetch(`${cp.url}/assets/missing-file.js`)).status).toBe(404);
    const api = await fetch(`${cp.url}/v1/no-such-thing`);
    expect(api.headers.get('content-type')).toMatch(/application\/json/);
    expect(api.status).toBeGreaterThanOrEqual(400);
  });
});

describe('the walkthrough, by clicks', () => {
  step('signs in, showing the API message for a wrong password', async () => {
    await page.goto(`${cp.url}/`);
    await page.getByLabel('Email').waitFor();
    expect(new URL(page.url()).pathname).toBe('/login');
    await session.screenshot('login');
    await page.getByLabel('Email').fill(TEST_ADMIN_EMAIL);
    await page.getByRole('textbox', { name: 'Password' }).fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await visible(page, 'invalid email or password');
    await page.getByRole('textbox', { name: 'Password' }).fill(TEST_ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Service Hub' }).waitFor();
    expect(await page.getByTestId('current-user').textContent()).toContain(TEST_ADMIN_EMAIL);
    expect(await page.getByTestId('organization-name').textContent()).toBe('Gatehouse');
  });

  step('creates example_service, refusing a bad name next to the field', async () => {
    await page.getByRole('button', { name: 'New Service' }).click();
    const dialog = page.getByRole('dialog', { name: 'New Service' });
    const name = dialog.getByLabel('Service name');
    await name.fill('bad/name');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await dialog.getByText('must only contain letters, digits, spaces and ., -, _, ~, : characters').waitFor();
    expect(await name.getAttribute('aria-invalid')).toBe('true');
    await name.fill('example_service');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('heading', { level: 1, name: 'example_service' }).waitFor();
    await page.getByRole('heading', { name: 'Versions' }).waitFor();
  });

  step('creates version v1 in the default runtime group', async () => {
    await page.getByRole('button', { name: 'New Version' }).click();
    const dialog = page.getByRole('dialog', { name: 'New Version' });
    await dialog.getByLabel('Version name').fill('v1');
    await eventually('the default runtime group preselected', 5_000, async () =>
      (await dialog.getByRole('combobox', { name: 'Runtime group' }).inputValue()) === 'default' ? true : undefined,
    );
    await dialog.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('heading', { level: 1, name: 'v1' }).waitFor();
    await page.getByRole('button', { name: 'New Implementation' }).waitFor();
    await session.screenshot('version-new');
  });

  step('implements v1 with the two-step New Implementation dialog', async () => {
    await page.getByRole('button', { name: 'New Implementation' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create Implementation' });
    const serviceName = dialog.getByLabel('Gateway service name');
    await serviceName.fill('example gateway service');
    expect(await dialog.getByRole('radio', { name: 'Add using URL' }).isChecked()).toBe(true);
    await dialog.getByRole('textbox', { name: 'URL', exact: true }).fill(echoUrl());
    await dialog.getByRole('button', { name: 'Next' }).click();
    await dialog.getByText('must only contain alphanumeric and ., -, _, ~, : characters').waitFor();
    expect(await serviceName.getAttribute('aria-invalid')).toBe('true');
    await serviceName.fill('example_gateway_service');

    await dialog.getByRole('button', { name: 'View 6 Advanced Fields' }).click();
    expect(await dialog.getByLabel('Retries').inputValue()).toBe('5');
    for (const label of ['Connect timeout (ms)', 'Write timeout (ms)', 'Read timeout (ms)']) expect(await dialog.getByLabel(label).inputValue()).toBe('60000');
    await dialog.getByLabel('Tags').waitFor();
    expect(await dialog.getByLabel('Enabled').isChecked()).toBe(true);
    await session.screenshot('new-implementation-step-1');
    await dialog.getByRole('button', { name: 'Next' }).click();

    await dialog.getByLabel('Method').waitFor();
    await dialog.getByLabel('Name', { exact: true }).fill('mockbin');
    await dialog.getByLabel('Method').fill('GET');
    await dialog.getByRole('button', { name: 'Add Path' }).click();
    await dialog.getByRole('textbox', { name: 'Path 1' }).fill('/mock');
    await dialog.getByRole('button', { name: 'View 4 Advanced Fields' }).click();
    expect(await dialog.getByLabel('Strip Path').isChecked()).toBe(true);
    expect(await dialog.getByLabel('Preserve Host').isChecked()).toBe(false);
    await session.screenshot('new-implementation-step-2');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await dialog.waitFor({ state: 'hidden' });

    const summary = page.getByRole('region', { name: 'Implementation' });
    await summary.getByText('example_gateway_service').waitFor();
    await summary.getByText(echoUrl()).waitFor();
    const routes = page.getByRole('table', { name: 'Routes' });
    await routes.getByRole('cell', { name: 'mockbin', exact: true }).waitFor();
    await routes.getByRole('cell', { name: '/mock', exact: true }).waitFor();
    await routes.getByText('GET', { exact: true }).waitFor();
  });

  step('+ Add route shows the API refusing a duplicate route name, then adds one', async () => {
    await page.getByRole('button', { name: '+ Add route' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a Route' });
    await dialog.getByLabel('Name', { exact: true }).fill('mockbin');
    await dialog.getByLabel('Method').fill('GET, POST');
    await dialog.getByRole('button', { name: 'Add Path' }).click();
    await dialog.getByRole('textbox', { name: 'Path 1' }).fill('/mock-post');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await dialog.getByRole('alert').filter({ hasText: 'The route was not created' }).waitFor();
    // Route names are case-sensitive: `Mockbin` beside `mockbin` is a new name.
    await dialog.getByLabel('Name', { exact: true }).fill('Mockbin');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const routes = page.getByRole('table', { name: 'Routes' });
    await routes.getByRole('cell', { name: 'Mockbin', exact: true }).waitFor();
    await routes.getByRole('cell', { name: '/mock-post', exact: true }).waitFor();
  });

  step('Version actions: the menu works by keyboard and edits the implementation', async () => {
    const trigger = page.getByRole('button', { name: 'Version actions' });
    await trigger.focus();
    await page.keyboard.press('Enter');
    const menu = page.getByRole('menu');
    for (const item of ['Edit implementation', 'Delete implementation', 'Delete version']) await menu.getByRole('menuitem', { name: item }).waitFor();
    await page.keyboard.press('Escape');
    await menu.waitFor({ state: 'hidden' });

    await trigger.click();
    await page.getByRole('menuitem', { name: 'Edit implementation' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit implementation' });
    expect(await dialog.getByLabel('Gateway service name').inputValue()).toBe('example_gateway_service');
    await dialog.getByRole('button', { name: 'View 6 Advanced Fields' }).click();
    await dialog.getByLabel('Retries').fill('3');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByRole('region', { name: 'Implementation' }).getByText('3', { exact: true }).waitFor();
  });

  step('Runtime Manager lists the gateway service, its _KonnectService tag linking back to the Service Hub', async () => {
    await openNav(page, 'Runtime Manager');
    await page.getByRole('table', { name: 'Runtime groups' }).getByRole('link', { name: 'default' }).waitFor();
    await session.screenshot('runtime-manager');
    await page.getByRole('link', { name: 'default' }).click();
    await page.getByRole('tab', { name: 'Gateway Services' }).click();
    const table = page.getByRole('table', { name: 'Gateway Services' });
    await table.getByRole('link', { name: 'example_gateway_service' }).waitFor();
    await table.getByText('_KonnectService:example_service').waitFor();
    await session.screenshot('gateway-services');
    await table.getByRole('link', { name: 'example_gateway_service' }).click();
    await page.getByRole('heading', { level: 1, name: 'example_gateway_service' }).waitFor();
    await page.getByRole('link', { name: /Tag _KonnectService:example_service/ }).click();
    await page.getByRole('heading', { level: 1, name: 'example_service' }).waitFor();
    await page.getByRole('table', { name: 'Versions' }).getByRole('link', { name: 'v1' }).waitFor();
    await session.screenshot('service');
    await page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: 'Service Hub' }).click();
    await page.getByRole('table', { name: 'Services' }).getByRole('link', { name: 'example_service' }).waitFor();
    await session.screenshot('service-hub');
  });

  step('Configure Runtime: Copy Script shows the script and puts it on the clipboard', async () => {
    await openNav(page, 'Runtime Manager');
    await page.getByRole('link', { name: 'default' }).click();
    await page.getByRole('link', { name: 'Configure Runtime' }).first().click();
    await page.getByRole('heading', { level: 1, name: 'Configure New Runtime' }).waitFor();
    expect(await page.getByRole('tab', { name: 'Docker' }).getAttribute('aria-selected')).toBe('true');
    await page.getByRole('button', { name: 'Copy Script' }).click();
    await page
      .getByTestId('launch-script')
      .getByText(/docker run/)
      .waitFor();

    await page.getByRole('tab', { name: 'Shell' }).click();
    await page.getByRole('button', { name: 'Copy Script' }).click();
    await visible(page, 'Script copied to the clipboard');
    const shown = (await page.getByTestId('launch-script').textContent()) ?? '';
    // Evaluated in the page (the test's own tsconfig has no DOM types).
    script = String(await page.evaluate('navigator.clipboard.readText()'));
    expect(script.trim()).toBe(shown.trim());
    expect(script).toContain('BEGIN CERTIFICATE');
    expect(script).toMatch(/^#!\/usr\/bin\/env bash/);
    await session.screenshot('configure-runtime');
  });

  step(
    'the copied script, run with bash, starts a data plane the instances list shows Connected',
    async () => {
      expect(script).not.toBe('');
      dpDir = tempDir('gatehouse-ui-dp-');
      dp = runScript(script, {
        GATEHOUSE_DP_DIR: dpDir,
        GATEHOUSE_PROXY_LISTEN: `127.0.0.1:${proxyPort}`,
        GATEHOUSE_STATUS_LISTEN: `127.0.0.1:${await freePort()}`,
        GATEHOUSE_LOG_LEVEL: 'info',
      });
      await page.getByRole('link', { name: 'Done' }).click();
      const instances = page.getByRole('table', { name: 'Runtime instances' });
      try {
        await instances.getByText('Connected', { exact: true }).waitFor({ timeout: 45_000 });
      } catch (err) {
        throw new Error(`the data plane did not show Connected: ${(err as Error).message}\n--- script output ---\n${dp.output()}`, { cause: err });
      }
      await session.screenshot('runtime-instances');
    },
    { timeoutMs: 90_000 },
  );

  step(
    'traffic through the data plane shows as a 200 record on the version page',
    async () => {
      const proxied = await eventually('the proxy to answer /mock with 200', 20_000, async () => {
        const res = await fetch(`http://127.0.0.1:${proxyPort}/mock`);
        return res.status === 200 ? ((await res.json()) as { path: string }) : undefined;
      });
      expect(proxied.path).toBe('/');
      for (let i = 0; i < 4; i++) expect((await fetch(`http://127.0.0.1:${proxyPort}/mock`)).status).toBe(200);

      await openNav(page, 'Service Hub');
      await page.getByRole('link', { name: 'example_service' }).click();
      await page.getByRole('link', { name: 'v1', exact: true }).click();
      const records = page.getByRole('table', { name: 'Status code records' });
      try {
        await records.getByText('200', { exact: true }).waitFor({ timeout: 75_000 });
      } catch (err) {
        throw new Error(`no 200 record on the version page: ${(err as Error).message}\n--- data plane output ---\n${dp?.output() ?? ''}`, { cause: err });
      }
      await page.getByRole('img', { name: /Requests over time by status code: 200/ }).waitFor();
      await session.screenshot('version-traffic');
    },
    { timeoutMs: 120_000, leaf: true },
  );

  step('data plane certificates: renew shows the new certificate, revoke marks it revoked', async () => {
    await openNav(page, 'Runtime Manager');
    await page.getByRole('link', { name: 'default' }).click();
    await page.getByRole('tab', { name: 'Data Plane Certificates' }).click();
    const table = page.getByRole('table', { name: 'Data plane certificates' });
    await table.getByRole('button', { name: 'Renew' }).first().waitFor();
    // Each Copy Script made a certificate: one for the Docker script, one for the shell script.
    expect(await table.getByRole('button', { name: 'Renew' }).count()).toBeGreaterThanOrEqual(2);
    await session.screenshot('certificates');
    await table.getByRole('button', { name: 'Renew' }).first().click();
    const issued = page.getByRole('dialog', { name: 'Data plane certificate' });
    await issued
      .getByText(/BEGIN CERTIFICATE/)
      .first()
      .waitFor();
    await issued.getByRole('button', { name: 'Done' }).click();
    await table.getByRole('button', { name: 'Revoke' }).first().click();
    await page.getByRole('dialog', { name: 'Revoke' }).getByRole('button', { name: 'Revoke' }).click();
    await table.getByText('Revoked', { exact: true }).first().waitFor();
  });

  step('is usable at phone width: the main menu folds behind a button and nothing scrolls sideways', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await openNavByBurger(page, 'Service Hub');
    await page.getByRole('link', { name: 'example_service' }).click();
    await page.getByRole('link', { name: 'v1', exact: true }).click();
    await page.getByRole('table', { name: 'Routes' }).waitFor();
    const overflow = Number(await page.evaluate('document.documentElement.scrollWidth - window.innerWidth'));
    expect(overflow).toBeLessThanOrEqual(0);
    await session.screenshot('phone-version');
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  step('logs out back to the login page', async () => {
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await page.goto(`${cp.url}/service-hub`);
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
  });

  it('raised no uncaught error and logged no console error in the browser', () => {
    expect(session.errors).toEqual([]);
  });
});

async function openNavByBurger(page: Page, section: 'Service Hub' | 'Runtime Manager'): Promise<void> {
  await page.getByRole('button', { name: 'Toggle main menu' }).click();
  await openNav(page, section);
}
