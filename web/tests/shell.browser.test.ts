import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTenant, startTestServer, type TestServer } from '../../server/test/helpers.ts';

const screenshots = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  server = await startTestServer();
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

/** A fresh browser profile: no cookie, no stored language or theme. */
async function openPage(): Promise<Page> {
  const context = await browser.newContext({
    baseURL: server.url,
    locale: 'en-US',
    colorScheme: 'light',
    viewport: { width: 1280, height: 800 },
  });
  return context.newPage();
}

async function signIn(page: Page, email: string, password: string) {
  await page.locator('input[type="email"][name="email"]').fill(email);
  const passwordInput = page.locator('input[type="password"][name="password"]');
  await passwordInput.fill(password);
  await passwordInput.press('Enter');
}

const htmlAttributes = (page: Page) =>
  page.evaluate(() => ({ lang: document.documentElement.lang, dir: document.documentElement.dir }));

describe('dashboard shell', () => {
  test('signs in, shows the shell, lists users, switches to Arabic', async () => {
    const { tenant, admin, agent, supervisor } = await createTenant(server, { name: 'Riyadh Rentals' });
    const page = await openPage();

    // Without a session the app sends the browser to the login form.
    await page.goto('/');
    await page.waitForURL('**/login');

    await signIn(page, admin.email, 'not-the-password');
    const loginError = page.getByTestId('login-error');
    await loginError.waitFor();
    expect(await loginError.textContent()).toContain('Wrong email or password');
    expect(new URL(page.url()).pathname).toBe('/login');

    await signIn(page, admin.email, admin.password);
    await page.waitForURL((url) => url.pathname === '/');

    const nav = page.getByRole('navigation', { name: 'Main' });
    for (const name of ['Live board', 'Customers', 'Tickets', 'Bookings', 'Campaigns', 'Settings']) {
      await nav.getByRole('link', { name }).waitFor();
    }
    expect(await page.getByTestId('user-name').textContent()).toBe(admin.name);
    expect(await page.getByTestId('tenant-name').textContent()).toBe(tenant.name);
    await page.locator('[data-testid="connection"][data-state="live"]').waitFor();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Live board');

    if (process.env.SCREENSHOTS === '1') {
      await mkdir(screenshots, { recursive: true });
      await page.screenshot({ path: `${screenshots}shell.png` });
    }

    await nav.getByRole('link', { name: 'Settings' }).click();
    await page.waitForURL('**/settings');
    const users = page.getByTestId('users-table');
    for (const user of [admin, agent, supervisor]) {
      await users.getByText(user.email).waitFor();
    }

    await page.getByTestId('language-switch').getByRole('button', { name: 'العربية' }).click();
    await page.waitForFunction(() => document.documentElement.dir === 'rtl');
    expect(await htmlAttributes(page)).toEqual({ lang: 'ar', dir: 'rtl' });
    const arabicNav = page.getByRole('navigation', { name: 'التنقل الرئيسي' });
    await arabicNav.getByRole('link', { name: 'الإعدادات' }).waitFor();
    await arabicNav.getByRole('link', { name: 'اللوحة المباشرة' }).waitFor();
    const connection = page.locator('[data-testid="connection"][data-state="live"]');
    expect((await connection.textContent())?.trim()).toMatch(/مباشر$/);

    // The choice belongs to this browser and survives a reload.
    await page.reload();
    await arabicNav.getByRole('link', { name: 'العملاء' }).waitFor();
    expect(await htmlAttributes(page)).toEqual({ lang: 'ar', dir: 'rtl' });

    await page.context().close();
  });

  test('a tenant whose language is Arabic starts right-to-left', async () => {
    const { agent } = await createTenant(server, { locale: 'ar' });
    const page = await openPage();

    await page.goto('/login');
    await signIn(page, agent.email, agent.password);
    const nav = page.getByRole('navigation', { name: 'التنقل الرئيسي' });
    await nav.getByRole('link', { name: 'التذاكر' }).waitFor();
    expect(await htmlAttributes(page)).toEqual({ lang: 'ar', dir: 'rtl' });

    await page.context().close();
  });

  test('settings tell an agent they are for admins, without failing', async () => {
    const { agent } = await createTenant(server);
    const page = await openPage();
    const failedCalls: string[] = [];
    page.on('response', (res) => {
      if (res.url().includes('/api/') && res.status() >= 400) failedCalls.push(`${res.status()} ${res.url()}`);
    });

    await page.goto('/login');
    await signIn(page, agent.email, agent.password);
    await page.waitForURL((url) => url.pathname === '/');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
    await page.getByTestId('admin-only').waitFor();
    expect(await page.getByTestId('users-table').count()).toBe(0);
    expect(failedCalls).toEqual([]);

    await page.context().close();
  });
});
