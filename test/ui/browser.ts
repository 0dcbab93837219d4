import fs from 'node:fs';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { REPO_ROOT, tempDir } from '../support/processes';

/** Debian's Chromium (`.ci/run` installs it); playwright-core cannot download browsers here. */
export const CHROMIUM = process.env.GATEHOUSE_CHROMIUM ?? '/usr/bin/chromium';

const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export const SCREENSHOT_DIR = path.join(REPO_ROOT, 'docs', 'screenshots');

// The browser logs every non-2xx fetch as "Failed to load resource". The
// walkthrough provokes two on purpose and the app shows them (401 for a wrong
// password, 409 for a taken route name); a test may expect others (a 400 the
// API alone can refuse). Anything else on the console is an error.
const expectedHttp = (statuses: readonly number[]): RegExp =>
  new RegExp(`^Failed to load resource: the server responded with a status of (${statuses.join('|')}) `);

/** A browser session for one test file, with every console error and uncaught exception recorded. */
export interface BrowserSession {
  context: BrowserContext;
  page: Page;
  /** Uncaught exceptions and console errors, in order. */
  errors: string[];
  /** Saves a PNG of the page to docs/screenshots/<name>.png. */
  screenshot(name: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts Chromium with a fresh profile, the clipboard allowed for `origin`, at
 * 1280 × 800. `expectedStatuses`: the error statuses the test provokes on purpose.
 */
export async function openBrowser(origin: string, expectedStatuses: readonly number[] = [401, 409]): Promise<BrowserSession> {
  const expected = expectedHttp(expectedStatuses);
  const profile = tempDir('gatehouse-chromium-');
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    args: ARGS,
    headless: true,
    viewport: { width: 1280, height: 800 },
    timeout: 30_000,
  });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
  context.setDefaultTimeout(15_000);
  const page = context.pages()[0] ?? (await context.newPage());
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(`uncaught: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !expected.test(msg.text())) errors.push(`console: ${msg.text()}`);
  });
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return {
    context,
    page,
    errors,
    async screenshot(name) {
      // Let polling answers and chart layout settle so the picture shows the page as a user sees it.
      await page.waitForLoadState('networkidle').catch(() => undefined);
      await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
    },
    async close() {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}
