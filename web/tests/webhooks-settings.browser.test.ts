import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { api, createTenant, startTestServer, type TestServer, type TestUser } from '../../server/test/helpers.ts';
import { createEndpoint } from '../../server/test/webhooks-helpers.ts';

const screenshots = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));
/** The webhook section: always a picture to look at in /tmp, the README's copy only with SCREENSHOTS=1. */
async function shoot(section: Locator, name: string) {
  await section.screenshot({ path: `/tmp/${name}.png` });
  if (process.env.SCREENSHOTS !== '1') return;
  await mkdir(screenshots, { recursive: true });
  await section.screenshot({ path: `${screenshots}${name}.png` });
}

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  // The URLs the page shows come from PUBLIC_URL; deliveries go to the test server by path.
  server = await startTestServer({ PUBLIC_URL: 'https://callboard.example.com' });
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** A fresh browser profile signed in as `user`, on the settings page; `calls` records every API request it makes. */
async function openSettings(user: TestUser): Promise<{ page: Page; calls: string[] }> {
  const context = await browser.newContext({
    baseURL: server.url,
    locale: 'en-US',
    colorScheme: 'light',
    viewport: { width: 1280, height: 900 },
  });
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const page = await context.newPage();
  const calls: string[] = [];
  page.on('request', (req) => {
    if (req.url().includes('/api/')) calls.push(new URL(req.url()).pathname);
  });
  await page.goto('/login');
  await page.locator('input[type="email"][name="email"]').fill(user.email);
  const password = page.locator('input[type="password"][name="password"]');
  await password.fill(user.password);
  await password.press('Enter');
  await page.waitForURL((url) => url.pathname === '/');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
  await page.waitForURL('**/settings');
  return { page, calls };
}

const event = () => {
  const data = { conversationId: 'conv_ui', direction: 'inbound', from: '+966501234567', to: '+966112345678' };
  return JSON.stringify({ type: 'voice_session.started', data: { ...data, startedAt: new Date().toISOString() } });
};

/** A Standard Webhooks delivery to the endpoint's path, signed with `secret` by the standardwebhooks library. */
function deliver(url: string, secret: string, id: string, body = event()) {
  const at = new Date();
  return api(server, 'POST', new URL(url).pathname, {
    raw: body,
    headers: {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      'webhook-signature': new Webhook(secret).sign(id, at, body),
    },
  });
}

/** The log line is written just after the acknowledgement: refresh until the expected number of lines shows. */
async function refreshUntil(page: Page, lines: Locator, count: number, refresh = 'Refresh') {
  for (let attempt = 0; attempt < 30; attempt++) {
    await page.getByRole('button', { name: refresh, exact: true }).click();
    await page.getByRole('button', { name: refresh, exact: true }).waitFor();
    if ((await lines.count()) === count) return;
    await page.waitForTimeout(100);
  }
  throw new Error(`the delivery log never showed ${count} lines`);
}

describe('webhook endpoints in settings', () => {
  test('an admin creates an endpoint, sees its deliveries, rotates its secret and deletes it', async () => {
    const tenant = await createTenant(server, { name: 'Riyadh Rentals' });
    const { page } = await openSettings(tenant.admin);
    await page.getByRole('region', { name: 'Webhook endpoints' }).waitFor();
    const table = page.getByTestId('webhook-endpoints-table');
    const row = table.locator('tr[data-endpoint]').filter({ hasText: 'Voice bridge' });
    await table.getByText('No webhook endpoints yet.').waitFor();

    // The API's complaint about the secret is shown next to the secret, in the reader's language.
    const form = page.getByRole('form', { name: 'Add endpoint' });
    await form.getByLabel('Provider').selectOption('standard');
    await form.getByLabel('Secret (optional)').fill('not-a-standard-secret');
    await form.getByRole('button', { name: 'Add endpoint' }).click();
    await form.getByText('Enter whsec_ followed by 24 to 64 bytes in base64').waitFor();

    await form.getByLabel('Secret (optional)').fill('');
    await form.getByLabel('Label (optional)').fill('Voice bridge');
    await form.getByRole('button', { name: 'Add endpoint' }).click();
    const box = page.getByTestId('webhook-secret');
    await box.waitFor();
    const secret = await box.getByTestId('webhook-secret-value').inputValue();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    await box.getByRole('button', { name: 'Copy the secret' }).click();
    await box.getByText('Copied.').waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);

    await row.getByText('Standard Webhooks').waitFor();
    const url = await row.getByRole('textbox').inputValue();
    expect(url).toMatch(/^https:\/\/callboard\.example\.com\/webhooks\/standard\/\S+$/);
    expect(await row.getByRole('textbox').getAttribute('dir')).toBe('ltr');
    expect(await row.getByTestId('active-secrets').textContent()).toBe('1');
    expect(await row.textContent()).toContain('Voice bridge');

    // Shown once: gone when dismissed, and nowhere else on the page.
    await box.getByRole('button', { name: 'I have stored it' }).click();
    await box.waitFor({ state: 'detached' });
    expect(await page.content()).not.toContain(secret);

    // One delivery signed with the secret shown, one forged with a secret of nobody's.
    expect((await deliver(url, secret, 'msg_ui_genuine')).status).toBe(200);
    const forged = await deliver(url, `whsec_${randomBytes(32).toString('base64')}`, 'msg_ui_forged');
    expect(forged.status).toBe(401);

    const log = page.getByTestId('webhook-deliveries-table');
    const lines = log.getByTestId('delivery');
    await refreshUntil(page, lines, 2);
    const applied = log.locator('[data-result="applied"]');
    const rejected = log.locator('[data-result="rejected"]');
    expect([await applied.count(), await rejected.count()]).toEqual([1, 1]);
    const cells = async (line: Locator) => (await line.locator('td').allTextContents()).map((cell) => cell.trim());
    // Time, provider, provider key, verified, result, HTTP status, error code.
    expect((await cells(applied)).slice(1)).toEqual(['Standard Webhooks', 'msg_ui_genuine', 'Yes', 'Applied', '200', '—']);
    expect((await cells(rejected)).slice(1)).toEqual(['Standard Webhooks', '—', 'No', 'Rejected', '401', 'invalid_signature']);
    // Newest first: the forged delivery was sent last.
    expect(await lines.first().getAttribute('data-result')).toBe('rejected');

    // Another endpoint's delivery shows under "All endpoints", not under this one.
    const other = await createEndpoint(server, tenant, 'standard');
    expect((await deliver(other.url, other.secret, 'msg_other_endpoint')).status).toBe(200);
    await refreshUntil(page, lines, 3);
    await page.getByTestId('delivery-filter').selectOption((await row.getAttribute('data-endpoint'))!);
    await log.getByText('msg_other_endpoint').waitFor({ state: 'detached' });
    expect(await lines.count()).toBe(2);

    // Rotation: a new secret, shown once, and the old one keeps verifying until the grace ends.
    await row.getByRole('button', { name: /^Rotate the secret of/ }).click();
    const rotate = page.getByRole('form', { name: /^Rotate the secret of/ });
    expect(await rotate.getByLabel('Grace period').inputValue()).toBe('86400');
    await rotate.getByRole('button', { name: 'Rotate secret' }).click();
    await page.locator('[data-testid="webhook-secret"][data-kind="rotated"]').waitFor();
    const rotated = await box.getByTestId('webhook-secret-value').inputValue();
    expect(rotated).toMatch(/^whsec_/);
    expect(rotated).not.toBe(secret);
    expect(await box.getByTestId('webhook-grace').textContent()).toMatch(/^The previous secret keeps working until /);
    await row.getByTestId('active-secrets').filter({ hasText: '2' }).waitFor();
    expect(await row.getByTestId('grace-ends').textContent()).not.toBe('—');
    expect((await deliver(url, secret, 'msg_ui_old_secret')).status).toBe(200);
    expect((await deliver(url, rotated, 'msg_ui_new_secret')).status).toBe(200);
    await refreshUntil(page, lines, 4);
    await shoot(page.getByRole('region', { name: 'Webhook endpoints' }), 'webhooks-settings');

    // Right to left: the words turn around, URLs, secrets and keys do not.
    await page.getByTestId('language-switch').getByRole('button', { name: 'العربية' }).click();
    await page.waitForFunction(() => document.documentElement.dir === 'rtl');
    await page.getByRole('button', { name: 'تحديث', exact: true }).waitFor();
    const arabic = page.getByRole('region', { name: 'نقاط استقبال الويب هوك' });
    await arabic.waitFor();
    expect(await row.getByRole('textbox').evaluate((el) => getComputedStyle(el).direction)).toBe('ltr');
    expect(await box.getByTestId('webhook-secret-value').evaluate((el) => getComputedStyle(el).direction)).toBe('ltr');
    expect(await applied.locator('bdi').first().evaluate((el) => getComputedStyle(el).direction)).toBe('ltr');
    await arabic.screenshot({ path: '/tmp/webhooks-settings-ar.png' });
    await page.getByTestId('language-switch').getByRole('button', { name: 'English' }).click();
    await page.waitForFunction(() => document.documentElement.dir === 'ltr');

    await row.getByRole('button', { name: /^Delete / }).click();
    await page.getByRole('button', { name: 'Delete endpoint' }).click();
    await row.waitFor({ state: 'detached' });
    expect(await table.locator('tr[data-endpoint]').count()).toBe(1);
    // The secret box and the log filter of a deleted endpoint go with it, and its URL is refused.
    expect(await box.count()).toBe(0);
    expect(await page.getByTestId('delivery-filter').inputValue()).toBe('');
    expect((await deliver(url, rotated, 'msg_ui_after_delete')).status).toBe(404);

    await page.context().close();
  });

  test('an agent sees no webhook section and makes no webhook call', async () => {
    const { agent } = await createTenant(server);
    const { page, calls } = await openSettings(agent);
    await page.getByTestId('admin-only').waitFor();
    expect(await page.getByTestId('webhook-endpoints-table').count()).toBe(0);
    expect(await page.getByRole('region', { name: 'Webhook endpoints' }).count()).toBe(0);
    expect(calls.filter((path) => path.includes('webhook'))).toEqual([]);
    await page.context().close();
  });
});
