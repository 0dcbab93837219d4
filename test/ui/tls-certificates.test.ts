import { createHash, X509Certificate } from 'node:crypto';
import type { Page } from 'playwright-core';
import { client, login, type Client } from '../support/api';
import { createTestDatabase } from '../support/database';
import { startControlPlane, TEST_ADMIN_EMAIL, TEST_ADMIN_PASSWORD, type TestControlPlane } from '../support/processes';
import { makeCertificate, type CertAndKey } from '../support/tls-material';
import { openBrowser, type BrowserSession } from './browser';

/**
 * The TLS faces of a runtime group in Chromium against a real control plane:
 * certificates pasted as PEM (made here with WebCrypto), their expiry badges,
 * a mismatched key refused by the CP at the key field, an edit that keeps the
 * stored key, SNIs, CA certificates with their digest, a gateway service's
 * upstream TLS and the routes table's SNIs, sources and destinations. The API
 * is read after each step to prove what was stored.
 */

let cp: TestControlPlane;
let session: BrowserSession;
let page: Page;
let api: Client;
let shop: CertAndKey;
let soon: CertAndKey;
let other: CertAndKey;
let root: CertAndKey;
let old: CertAndKey;
let dualRsa: CertAndKey;
let dualEc: CertAndKey;
const RG = '/v1/runtime-groups/default';

interface Listed {
  id: string;
  snis: string[];
  tags: string[];
  expiry_state: string;
}

const certificates = async (): Promise<Listed[]> => (await api.get(`${RG}/certificates`)).body.data as Listed[];

beforeAll(async () => {
  [shop, soon, other, root, old, dualRsa, dualEc] = await Promise.all([
    makeCertificate({ type: 'ecdsa', names: ['shop.example.test', '*.shop.example.test'] }),
    makeCertificate({ type: 'rsa', names: ['soon.example.test'], expiresInDays: 10 }),
    makeCertificate({ type: 'ecdsa', names: ['other.example.test'] }),
    makeCertificate({ type: 'ecdsa', names: ['Test Root CA'], ca: true }),
    makeCertificate({ type: 'ecdsa', names: ['old.example.test'], expiresInDays: -5 }),
    makeCertificate({ type: 'rsa', names: ['dual.example.test'] }),
    makeCertificate({ type: 'ecdsa', names: ['dual.example.test'] }),
  ]);
  cp = await startControlPlane({ databaseUrl: await createTestDatabase('ui') });
  api = client(cp.url, await login(cp.url));
  // 400: the key that does not match and the certificate that is not a CA, which only the CP can tell.
  session = await openBrowser(cp.url, [400, 401, 409]);
  page = session.page;
}, 120_000);

afterAll(async () => {
  await session?.close();
  await cp?.stop();
});

const openTab = async (name: string): Promise<void> => {
  await page.getByRole('navigation', { name: 'Main menu' }).getByRole('link', { name: 'Runtime Manager' }).click();
  await page.getByRole('link', { name: 'default' }).click();
  await page.getByRole('tab', { name, exact: true }).click();
};

/** Types each value into a tags field, confirming it with Enter. */
const addTags = async (field: ReturnType<Page['getByLabel']>, values: string[]): Promise<void> => {
  for (const v of values) {
    await field.fill(v);
    await field.press('Enter');
  }
};

describe('Runtime Manager: TLS certificates, SNIs and CA certificates in the browser', () => {
  it('signs in and opens the Certificates tab of the default group', async () => {
    await page.goto(`${cp.url}/login`);
    await page.getByLabel('Email').fill(TEST_ADMIN_EMAIL);
    await page.getByRole('textbox', { name: 'Password' }).fill(TEST_ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Service Hub' }).waitFor();
    await openTab('Certificates');
    await page.getByText('No certificates in this group yet.').waitFor();
  });

  it("refuses a key that does not match the certificate at the key field, in the CP's words, then creates it", async () => {
    await page.getByRole('button', { name: 'New Certificate' }).click();
    const dialog = page.getByRole('dialog', { name: 'New Certificate' });
    await dialog.getByRole('textbox', { name: 'Certificate', exact: true }).fill(shop.cert);
    const key = dialog.getByRole('textbox', { name: 'Private key', exact: true });
    await key.fill(other.key);
    await addTags(dialog.getByLabel('SNIs', { exact: true }), ['shop.example.test']);
    await addTags(dialog.getByLabel('Tags', { exact: true }), ['edge']);
    await dialog.getByRole('button', { name: 'Create' }).click();
    await dialog.getByText('certificate does not match key').first().waitFor();
    expect(await key.getAttribute('aria-invalid')).toBe('true');
    expect(await certificates()).toEqual([]);

    await key.fill(shop.key);
    // Editing the field clears its message.
    expect(await key.getAttribute('aria-invalid')).not.toBe('true');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const table = page.getByRole('table', { name: 'TLS certificates' });
    const row = table.getByRole('row', { name: /shop\.example\.test/ });
    await row.getByText('Valid', { exact: true }).waitFor();
    await row.getByText('ECDSA · SAN shop.example.test, *.shop.example.test').waitFor();
    const notAfter = new Date(new X509Certificate(shop.cert).validTo).toISOString().slice(0, 10);
    await row.getByText(notAfter).waitFor();
    expect(await certificates()).toMatchObject([{ snis: ['shop.example.test'], tags: ['edge'], expiry_state: 'valid' }]);
  });

  it('shows a certificate expiring in 10 days with the warning badge, an expired one in red', async () => {
    await api.ok('POST', `${RG}/certificates`, old);
    await page.getByRole('button', { name: 'New Certificate' }).click();
    const dialog = page.getByRole('dialog', { name: 'New Certificate' });
    await dialog.getByRole('textbox', { name: 'Certificate', exact: true }).fill(soon.cert);
    await dialog.getByRole('textbox', { name: 'Private key', exact: true }).fill(soon.key);
    await dialog.getByRole('button', { name: 'Create' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const row = page.getByRole('table', { name: 'TLS certificates' }).getByRole('row', { name: /soon\.example\.test/ });
    const badge = row.getByText('Expires in 10 days');
    await badge.waitFor();
    // Mantine's yellow badge: the warning colour, not the valid green.
    expect(await badge.evaluate((el) => (el.closest('.mantine-Badge-root') ?? el).getAttribute('style'))).toContain('yellow');
    const expired = page
      .getByRole('table', { name: 'TLS certificates' })
      .getByRole('row', { name: /old\.example\.test/ })
      .getByText('Expired', { exact: true });
    expect(await expired.evaluate((el) => (el.closest('.mantine-Badge-root') ?? el).getAttribute('style'))).toContain('red');
    expect((await certificates()).map((c) => c.expiry_state)).toEqual(['valid', 'expired', 'expiring']);
  });

  it('edits SNIs and tags without showing the key, which is kept', async () => {
    const [stored] = await certificates();
    await page.getByRole('button', { name: 'Edit certificate shop.example.test' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit Certificate' });
    const key = dialog.getByRole('textbox', { name: 'Private key', exact: true });
    expect(await key.inputValue()).toBe('');
    await dialog.getByText('A key is set; it is never shown.', { exact: false }).waitFor();
    expect(await dialog.getByRole('textbox', { name: 'Certificate', exact: true }).inputValue()).toBe(shop.cert);
    await addTags(dialog.getByLabel('SNIs', { exact: true }), ['www.shop.example.test']);
    await addTags(dialog.getByLabel('Tags', { exact: true }), ['team-a']);
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByRole('table', { name: 'TLS certificates' }).getByText('shop.example.test, www.shop.example.test').waitFor();
    const after = (await api.get(`${RG}/certificates/${stored?.id}`)).body as Listed;
    expect(after).toMatchObject({ snis: ['shop.example.test', 'www.shop.example.test'], tags: ['edge', 'team-a'] });
    expect(JSON.stringify(after)).not.toContain('PRIVATE KEY');
  });

  it('adds an SNI with its certificate chosen from a select (a bad name refused first), then deletes it', async () => {
    await page.getByRole('button', { name: 'Add SNI' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add SNI' });
    const name = dialog.getByRole('textbox', { name: 'Name' });
    await name.fill('shop.*.test');
    await dialog.getByRole('combobox', { name: 'Certificate' }).click();
    await page.getByRole('option', { name: /^shop\.example\.test/ }).click();
    await dialog.getByRole('button', { name: 'Create' }).click();
    await dialog.getByText('wildcard must be leftmost or rightmost character').waitFor();
    await name.fill('*.shop.example.test');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const snis = page.getByRole('table', { name: 'SNIs' });
    const row = snis.getByRole('row', { name: /\*\.shop\.example\.test/ });
    await row.getByText('shop.example.test', { exact: true }).waitFor();
    const [cert] = (await certificates()).filter((c) => c.snis.length > 0);
    expect(cert?.snis).toEqual(['*.shop.example.test', 'shop.example.test', 'www.shop.example.test']);

    await row.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('dialog', { name: 'Delete' }).getByRole('button', { name: 'Delete' }).click();
    await row.waitFor({ state: 'detached' });
    expect((await api.get(`${RG}/snis`)).body.data.map((s: { name: string }) => s.name).sort()).toEqual(['shop.example.test', 'www.shop.example.test']);
    await session.screenshot('tls-certificates');
  });

  it('deletes a certificate after asking', async () => {
    const table = page.getByRole('table', { name: 'TLS certificates' });
    const row = table.getByRole('row', { name: /soon\.example\.test/ });
    await row.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('dialog', { name: 'Delete' }).getByRole('button', { name: 'Delete' }).click();
    await row.waitFor({ state: 'detached' });
    expect((await certificates()).map((c) => c.expiry_state)).toEqual(['valid', 'expired']);
  });

  it('takes an alternative pair of the other key type (the same type refused by the CP at the field), and removes it on edit', async () => {
    await page.getByRole('button', { name: 'New Certificate' }).click();
    const dialog = page.getByRole('dialog', { name: 'New Certificate' });
    await dialog.getByRole('textbox', { name: 'Certificate', exact: true }).fill(dualRsa.cert);
    await dialog.getByRole('textbox', { name: 'Private key', exact: true }).fill(dualRsa.key);
    await dialog.getByRole('button', { name: 'Add an alternative certificate' }).click();
    const altCert = dialog.getByRole('textbox', { name: 'Alternative certificate' });
    await altCert.fill(soon.cert);
    await dialog.getByRole('textbox', { name: 'Alternative private key' }).fill(soon.key);
    await dialog.getByRole('button', { name: 'Create' }).click();
    await dialog.getByText('certificate and alternative certificate need to have different type', { exact: false }).first().waitFor();
    expect(await altCert.getAttribute('aria-invalid')).toBe('true');
    await altCert.fill(dualEc.cert);
    await dialog.getByRole('textbox', { name: 'Alternative private key' }).fill(dualEc.key);
    await dialog.getByRole('button', { name: 'Create' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const row = page.getByRole('table', { name: 'TLS certificates' }).getByRole('row', { name: /dual\.example\.test/ });
    await row.getByText('RSA + ECDSA · SAN dual.example.test').waitFor();

    await page.getByRole('button', { name: 'Edit certificate dual.example.test' }).click();
    const edit = page.getByRole('dialog', { name: 'Edit Certificate' });
    const editAlt = edit.getByRole('textbox', { name: 'Alternative certificate' });
    expect(await editAlt.inputValue()).toBe(dualEc.cert);
    expect(await edit.getByRole('textbox', { name: 'Alternative private key' }).inputValue()).toBe('');
    await editAlt.fill('');
    await edit.getByRole('button', { name: 'Save' }).click();
    await edit.waitFor({ state: 'hidden' });
    await row.getByText('RSA · SAN dual.example.test').waitFor();
    const dual = (await api.get(`${RG}/certificates`)).body.data.find((c: { cert: string }) => c.cert === dualRsa.cert) as { id: string; cert_alt: unknown };
    expect(dual.cert_alt).toBeNull();
    await api.ok('DELETE', `${RG}/certificates/${dual.id}`);
  });

  it('adds a CA certificate (a certificate that is not a CA refused at the field) with its digest, and deletes it', async () => {
    await openTab('CA Certificates');
    await page.getByText('No CA certificates in this group yet.').waitFor();
    await page.getByRole('button', { name: 'New CA Certificate' }).click();
    const dialog = page.getByRole('dialog', { name: 'New CA Certificate' });
    const cert = dialog.getByRole('textbox', { name: 'CA certificate' });
    await cert.fill(other.cert);
    await dialog.getByRole('button', { name: 'Create' }).click();
    await dialog.getByText('certificate does not appear to be a CA because it is missing the "CA" basic constraint').first().waitFor();
    expect(await cert.getAttribute('aria-invalid')).toBe('true');
    await cert.fill(root.cert);
    await dialog.getByRole('button', { name: 'Create' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const digest = createHash('sha256').update(new X509Certificate(root.cert).raw).digest('hex');
    const table = page.getByRole('table', { name: 'CA certificates' });
    const row = table.getByRole('row', { name: /Test Root CA/ });
    await row.getByText(`${digest.slice(0, 16)}…`).waitFor();
    await row.getByText('Valid', { exact: true }).waitFor();
    expect((await api.get(`${RG}/ca_certificates`)).body.data).toMatchObject([{ cert_digest: digest, expiry_state: 'valid' }]);
    await session.screenshot('ca-certificates');

    await row.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('dialog', { name: 'Delete' }).getByRole('button', { name: 'Delete' }).click();
    await page.getByText('No CA certificates in this group yet.').waitFor();
  });

  it("edits a gateway service's upstream TLS: verify, depth, a CA certificate and the client certificate", async () => {
    const ca = (await api.post(`${RG}/ca_certificates`, { cert: root.cert })).body as { id: string };
    const svc = (await api.post(`${RG}/services`, { name: 'secure', url: 'https://upstream.example.test:8443' })).body as { id: string };
    const [clientCert] = await certificates();
    await page.goto(`${cp.url}/runtime-manager/default/gateway-services/${svc.id}`);
    await page.getByRole('heading', { name: 'Upstream TLS' }).waitFor();
    await page.getByRole('button', { name: 'Edit TLS' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit TLS' });
    const depth = dialog.getByRole('textbox', { name: 'Verify depth' });
    await depth.fill('65');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.getByText('value should be between 0 and 64').waitFor();
    await depth.fill('2');
    await dialog.getByRole('combobox', { name: "Verify the upstream's certificate" }).click();
    await page.getByRole('option', { name: 'On', exact: true }).click();
    await dialog.getByLabel('CA certificates', { exact: true }).click();
    await page.getByRole('option', { name: /^Test Root CA/ }).click();
    await dialog.getByLabel('CA certificates', { exact: true }).press('Escape');
    await dialog.getByRole('combobox', { name: 'Client certificate' }).click();
    await page.getByRole('option', { name: /^shop\.example\.test/ }).click();
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect((await api.get(`${RG}/services/${svc.id}`)).body).toMatchObject({
      tls_verify: true,
      tls_verify_depth: 2,
      ca_certificates: [ca.id],
      client_certificate: { id: clientCert?.id },
    });
    await page.getByText('Test Root CA', { exact: true }).waitFor();
    await session.screenshot('service-tls');
  });

  it("refuses upstream TLS on an http service in Kong's words", async () => {
    const svc = (await api.post(`${RG}/services`, { name: 'plain', url: 'http://upstream.example.test' })).body as { id: string };
    await page.goto(`${cp.url}/runtime-manager/default/gateway-services/${svc.id}`);
    await page.getByRole('button', { name: 'Edit TLS' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit TLS' });
    await dialog.getByText('Only https and tls services talk TLS to their upstream; this one is http.').waitFor();
    await dialog.getByRole('combobox', { name: "Verify the upstream's certificate" }).click();
    await page.getByRole('option', { name: 'On', exact: true }).click();
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.getByText('value must be null').waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
  });

  it("shows routes' SNIs, and a stream route's sources and destinations, in the Routes tab", async () => {
    await api.ok('POST', `${RG}/routes`, { name: 'by-sni', protocols: ['https'], snis: ['shop.example.test'], paths: ['/shop'], service: { name: 'secure' } });
    await api.ok('POST', `${RG}/services`, { name: 'db', protocol: 'tcp', host: 'db.internal', port: 5432 });
    await api.ok('POST', `${RG}/routes`, {
      name: 'pg',
      protocols: ['tcp'],
      sources: [{ ip: '10.0.0.0/8' }],
      destinations: [{ port: 5432 }],
      service: { name: 'db' },
    });
    await openTab('Routes');
    const routes = page.getByRole('table', { name: 'Routes' });
    await routes
      .getByRole('row', { name: /by-sni/ })
      .getByText('shop.example.test')
      .waitFor();
    await routes.getByRole('row', { name: /pg/ }).getByText('from 10.0.0.0/8 to *:5432').waitFor();
  });

  it('raised no uncaught error and logged no console error in the browser', () => {
    expect(session.errors).toEqual([]);
  });
});
