import type { Page } from 'playwright-core';
import { client, login, type Client } from '../support/api';
import { createTestDatabase } from '../support/database';
import { startControlPlane, TEST_ADMIN_EMAIL, TEST_ADMIN_PASSWORD, type TestControlPlane } from '../support/processes';
import { TestDp } from '../cluster/dp-client';
import { openBrowser, type BrowserSession } from './browser';

/**
 * Target health in the Upstreams tab, in Chromium against a real control
 * plane: a data plane (protocol-level, over the real mTLS cluster link)
 * reports one target unhealthy; the targets table shows it with the node's
 * name, and follows a new report without a reload.
 */

let cp: TestControlPlane;
let session: BrowserSession;
let page: Page;
let api: Client;
let dp: TestDp | undefined;
const RG = '/v1/runtime-groups/default';

beforeAll(async () => {
  cp = await startControlPlane({ databaseUrl: await createTestDatabase('ui_health') });
  api = client(cp.url, await login(cp.url));
  session = await openBrowser(cp.url);
  page = session.page;
}, 120_000);

afterAll(async () => {
  dp?.close();
  await session?.close();
  await cp?.stop();
});

describe('Runtime Manager: target health in the browser', () => {
  it("shows each target's health as the connected node reports it, live", async () => {
    const up = await api.ok<{ id: string }>('POST', `${RG}/upstreams`, {
      name: 'shop.upstream',
      healthchecks: { passive: { unhealthy: { http_failures: 3 } } },
    });
    await api.ok('POST', `${RG}/upstreams/shop.upstream/targets`, { target: '10.0.0.1:80' });
    await api.ok('POST', `${RG}/upstreams/shop.upstream/targets`, { target: '10.0.0.2:80' });
    await api.ok('POST', `${RG}/upstreams/shop.upstream/targets`, { target: 'api.internal:80' });
    const cert = (await api.post(`${RG}/dp-certificates`)).body;
    dp = await TestDp.connect(cp.clusterPort, cert);
    dp.hello();
    await dp.waitFor('snapshot');
    const report = (second: 'HEALTHY' | 'UNHEALTHY') =>
      dp?.send({
        type: 'health',
        upstreams: [
          {
            id: up.id,
            name: 'shop.upstream',
            targets: [
              { target: '10.0.0.1:80', weight: 100, health: 'HEALTHY' },
              { target: '10.0.0.2:80', weight: 100, health: second },
              {
                target: 'api.internal:80',
                weight: 100,
                health: 'HEALTHY',
                addresses: [
                  { ip: '10.0.1.1', port: 80, health: 'HEALTHY', weight: 100 },
                  { ip: '10.0.1.2', port: 80, health: 'UNHEALTHY', weight: 100 },
                ],
              },
            ],
          },
        ],
      });
    report('UNHEALTHY');

    await page.goto(`${cp.url}/login`);
    await page.getByLabel('Email').fill(TEST_ADMIN_EMAIL);
    await page.getByRole('textbox', { name: 'Password' }).fill(TEST_ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Service Hub' }).waitFor();
    await page.getByRole('navigation', { name: 'Main menu' }).getByRole('link', { name: 'Runtime Manager' }).click();
    await page.getByRole('link', { name: 'default' }).click();
    await page.getByRole('tab', { name: 'Upstreams' }).click();
    await page.getByRole('button', { name: 'Targets of shop.upstream' }).click();

    const table = page.getByRole('table', { name: 'Targets of shop.upstream' });
    await table.getByLabel('Health of 10.0.0.2:80: Unhealthy').waitFor();
    await table.getByLabel('Health of 10.0.0.1:80: Healthy').waitFor();
    await table
      .getByRole('row', { name: /10\.0\.0\.2:80/ })
      .getByText('test-host: Unhealthy')
      .waitFor();
    // A hostname target lists the addresses it resolved to, each with its health.
    const named = table.getByRole('row', { name: /api\.internal:80/ });
    await named.getByLabel('Address 10.0.1.1:80: Healthy').waitFor();
    await named.getByLabel('Address 10.0.1.2:80: Unhealthy').waitFor();
    expect(
      await table
        .getByRole('row', { name: /10\.0\.0\.1:80/ })
        .getByLabel(/^Address /)
        .count(),
    ).toBe(0);

    // A new report shows without a reload (the section polls).
    report('HEALTHY');
    await table.getByLabel('Health of 10.0.0.2:80: Healthy').waitFor({ timeout: 10_000 });

    // The node gone: its view goes, the combined state is the checks' default.
    dp?.close();
    await table
      .getByRole('row', { name: /10\.0\.0\.2:80/ })
      .getByText('no node reports it')
      .waitFor({ timeout: 10_000 });
  });
});
