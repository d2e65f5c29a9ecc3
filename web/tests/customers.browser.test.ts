import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { api, createTenant, startTestServer, type TestServer, type TestUser } from '../../server/test/helpers.ts';

const screenshots = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));
/** README pictures, refreshed with SCREENSHOTS=1 (a plain test run leaves the tree as it was). */
const shoot = async (page: Page, name: string, fullPage = false) => {
  if (process.env.SCREENSHOTS === '1') await page.screenshot({ path: `${screenshots}${name}.png`, fullPage });
};

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
  await mkdir(screenshots, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** A fresh browser profile signed in as `user`, with every socket frame it receives recorded. */
async function signedIn(user: TestUser): Promise<{ page: Page; frames: string[] }> {
  const context = await browser.newContext({
    baseURL: server.url,
    locale: 'en-US',
    colorScheme: 'light',
    viewport: { width: 1280, height: 860 },
  });
  const page = await context.newPage();
  const frames: string[] = [];
  page.on('websocket', (ws) => ws.on('framereceived', ({ payload }) => frames.push(String(payload))));
  await page.goto('/login');
  await page.locator('input[type="email"][name="email"]').fill(user.email);
  const password = page.locator('input[type="password"][name="password"]');
  await password.fill(user.password);
  await password.press('Enter');
  await page.waitForURL((url) => url.pathname === '/');
  await page.locator('[data-testid="connection"][data-state="live"]').waitFor();
  return { page, frames };
}

/** One field of the customer detail, and its shown value. */
const field = (page: Page, name: string) => page.getByTestId('customer-fields').locator(`[data-field="${name}"]`);
const shows = (page: Page, name: string, text: string, timeout?: number) =>
  field(page, name).getByTestId(`show-${name}`).filter({ hasText: text }).waitFor({ timeout });

// Screenshots wait for the brief highlight of live changes, and its fade, to end.
async function calm(page: Page) {
  await page.waitForFunction(() => !document.querySelector('.flash'));
  await page.waitForTimeout(900);
}

async function openCustomer(page: Page, id: string) {
  await page.goto(`/customers/${id}`);
  await page.getByTestId('customer-fields').waitFor();
}

/** Starts editing a text field and types, without saving yet. */
async function type(page: Page, name: string, text: string) {
  await field(page, name).getByTestId(`show-${name}`).click();
  await field(page, name).getByTestId(`edit-${name}`).fill(text);
}

const patched = (page: Page) =>
  page.waitForResponse((res) => res.request().method() === 'PATCH' && res.url().includes('/api/customers/'));

describe('customers: agents edit together', () => {
  test('presence, live edits, merges, conflicts, validation and undo; another tenant sees none of it', { timeout: 120_000 }, async () => {
    const riyadh = await createTenant(server, { name: 'Riyadh Rentals' });
    const elsewhere = await createTenant(server);
    const { agent, supervisor } = riyadh;
    const seeded = await api(server, 'POST', '/api/customers', {
      token: agent.token,
      body: { name: 'Noura Al-Qahtani', phone: '+966501234567', email: 'noura@example.com', tags: ['vip'], language: 'ar' },
    });
    expect(seeded.status).toBe(201);
    const id: string = seeded.body.id;
    await api(server, 'POST', '/api/tickets', {
      token: agent.token,
      body: { customerId: id, subject: 'Leaking kitchen tap', category: 'plumbing', priority: 'high', slaDueAt: '2030-12-01' },
    });
    await api(server, 'POST', '/api/bookings', {
      token: agent.token,
      body: { customerId: id, propertyCode: 'RUH-OLAYA-12', startDate: '2030-12-01', endDate: '2030-12-08', priceSar: 4500 },
    });

    const { page: a } = await signedIn(agent);
    const { page: b } = await signedIn(supervisor);
    const { page: c, frames: otherTenantFrames } = await signedIn(elsewhere.agent);

    // B sees A arrive on the record from the list, then on the record itself with A's field marker.
    await b.goto('/customers');
    const bRow = b.locator(`tr[data-customer-id="${id}"]`);
    await bRow.waitFor();
    await openCustomer(a, id);
    await bRow.locator(`[data-testid="viewer"][data-user-id="${agent.id}"]`).waitFor();
    await bRow.getByTestId('open-customer').click();
    await b.getByTestId('customer-fields').waitFor();
    await b.locator(`[data-testid="viewer"][data-user-id="${agent.id}"]`).waitFor();
    await field(a, 'email').getByTestId('show-email').click();
    await field(b, 'email').getByTestId('editing-marker').filter({ hasText: `${agent.name} is editing` }).waitFor();
    await field(a, 'email').getByTestId('edit-email').press('Escape');
    await field(b, 'email').getByTestId('editing-marker').waitFor({ state: 'detached' });

    // A's saved edit is on B's screen within a second.
    await type(a, 'name', 'Noura Q');
    const saved = patched(a);
    await field(a, 'name').getByTestId('edit-name').press('Enter');
    expect((await saved).status()).toBe(200);
    await shows(b, 'name', 'Noura Q', 1_000);

    // Edits of different fields begun from the same version both survive, on both screens.
    await type(a, 'email', 'noura.q@example.com');
    await type(b, 'tags', 'vip, family');
    await Promise.all([
      field(a, 'email').getByTestId('edit-email').press('Enter'),
      field(b, 'tags').getByTestId('edit-tags').press('Enter'),
    ]);
    for (const page of [a, b]) {
      await shows(page, 'email', 'noura.q@example.com');
      await shows(page, 'tags', 'family');
    }

    // The customer page while A edits the phone: B sees A's avatar and marker.
    await field(a, 'phone').getByTestId('show-phone').click();
    await field(b, 'phone').getByTestId('editing-marker').waitFor();
    await calm(b);
    await shoot(b, 'customers', true);
    await field(a, 'phone').getByTestId('edit-phone').press('Escape');

    // Edits of the same field: the later one gets the choice, names who changed it, and the choice wins everywhere.
    await type(a, 'name', 'Noura (A)');
    await type(b, 'name', 'Noura (B)');
    const first = patched(a);
    await field(a, 'name').getByTestId('edit-name').press('Enter');
    expect((await first).status()).toBe(200);
    const second = patched(b);
    await field(b, 'name').getByTestId('edit-name').press('Enter');
    expect((await second).status()).toBe(409);
    const conflict = field(b, 'name').getByTestId('conflict');
    await conflict.filter({ hasText: `Changed by ${agent.name}` }).waitFor();
    expect(await conflict.getByTestId('their-value').textContent()).toBe('Noura (A)');
    expect(await conflict.getByTestId('my-value').textContent()).toBe('Noura (B)');
    await calm(b);
    await shoot(b, 'conflict');
    await conflict.getByRole('button', { name: 'Keep mine' }).click();
    for (const page of [a, b]) await shows(page, 'name', 'Noura (B)');
    await conflict.waitFor({ state: 'detached' });
    expect((await api(server, 'GET', `/api/customers/${id}`, { token: agent.token })).body.name).toBe('Noura (B)');

    // A bad phone is refused next to the field, and the stored number stays.
    await type(a, 'phone', '12345');
    await field(a, 'phone').getByTestId('edit-phone').press('Enter');
    const refused = field(a, 'phone').getByTestId('field-error');
    await refused.filter({ hasText: 'international number' }).waitFor();
    await shows(a, 'phone', '+966 50 123 4567');
    expect(await field(a, 'phone').locator('span[dir="ltr"]').textContent()).toBe('+966 50 123 4567');

    // Undo: A's last change was overtaken by B's, so it is refused, plainly; B's own undo restores A's value on both screens.
    await a.getByTestId('undo').click();
    await a.getByTestId('undo-outcome').filter({ hasText: 'Not undone' }).waitFor();
    await b.getByTestId('undo').click();
    await b.getByTestId('undo-outcome').filter({ hasText: /^Undone/ }).waitFor();
    for (const page of [a, b]) await shows(page, 'name', 'Noura (A)');

    // The list stays live: a customer created on B's screen and a stage changed in B's row appear on A's.
    await a.goto('/customers');
    const aRow = a.locator(`tr[data-customer-id="${id}"]`);
    await aRow.waitFor();
    await b.goto('/customers');
    await b.getByTestId('new-customer').click();
    const form = b.getByTestId('new-customer-form');
    await form.locator('input[name="name"]').fill('Faisal Al-Harbi');
    await form.locator('input[name="phone"]').fill('+966 55 000 1122');
    await form.locator('button[type="submit"]').click();
    await a.getByTestId('customer-row').first().filter({ hasText: 'Faisal Al-Harbi' }).waitFor({ timeout: 2_000 });
    await b.locator(`tr[data-customer-id="${id}"] [data-testid="edit-stage"]`).selectOption('qualified');
    await a.waitForFunction(
      (customerId) =>
        document.querySelector<HTMLSelectElement>(`tr[data-customer-id="${customerId}"] [data-testid="edit-stage"]`)?.value ===
        'qualified',
      id,
      { timeout: 2_000 },
    );
    await calm(a);
    await shoot(a, 'customers-list');

    // Search narrows the list on the server; a customer deleted elsewhere leaves it.
    await a.getByTestId('customer-search').fill('fai');
    await a.waitForFunction(() => document.querySelectorAll('[data-testid="customer-row"]').length === 1);
    const faisalId = await a.getByTestId('customer-row').getAttribute('data-customer-id');
    expect((await api(server, 'DELETE', `/api/customers/${faisalId}`, { token: supervisor.token })).status).toBe(204);
    await a.getByTestId('customer-row').waitFor({ state: 'detached', timeout: 2_000 });
    await a.getByText('No customer matches this search.').waitFor();

    // Arabic, right to left; the phone number stays left to right with Latin digits.
    await openCustomer(b, id);
    await b.getByTestId('language-switch').getByRole('button', { name: 'العربية' }).click();
    await b.waitForFunction(() => document.documentElement.dir === 'rtl');
    expect(await field(b, 'phone').locator('span[dir="ltr"]').textContent()).toBe('+966 50 123 4567');
    await shoot(b, 'customers-ar', true);
    // A customer known only by number is listed by it, still left to right.
    const unnamed = await api(server, 'POST', '/api/customers', { token: agent.token, body: { phone: '+966551112233' } });
    await b.goto('/customers');
    const unnamedRow = b.locator(`tr[data-customer-id="${unnamed.body.id}"]`);
    expect(await unnamedRow.locator('bdi[dir="ltr"]').textContent()).toBe('+966 55 111 2233');

    // Another tenant's agent: no such customer, no rows, and not one byte of the record over its socket.
    await c.goto(`/customers/${id}`);
    await c.getByRole('alert').filter({ hasText: 'no longer exists' }).waitFor();
    expect(await c.getByTestId('viewers').count()).toBe(0);
    await c.goto('/customers');
    await c.getByTestId('customers-table').waitFor();
    expect(await c.getByTestId('customer-row').count()).toBe(0);
    const leaked = otherTenantFrames.filter((frame) => frame.includes(id) || /Noura|Faisal/.test(frame));
    expect(leaked).toEqual([]);
    expect(otherTenantFrames.length).toBeGreaterThan(0);

    await Promise.all([a.context().close(), b.context().close(), c.context().close()]);
  });
  test("the customer's tickets and bookings: inline forms, the API's errors by their fields, only allowed moves", async () => {
    const { agent } = await createTenant(server);
    const seeded = await api(server, 'POST', '/api/customers', { token: agent.token, body: { name: 'Khalid Al-Otaibi' } });
    const { page } = await signedIn(agent);
    await openCustomer(page, seeded.body.id);
    const tabs = page.getByRole('tablist');

    await tabs.getByRole('tab', { name: 'Tickets' }).click();
    const panel = page.getByRole('tabpanel', { name: 'Tickets' });
    await panel.getByRole('button', { name: 'New ticket' }).click();
    const ticketForm = panel.getByTestId('ticket-form');
    await ticketForm.getByRole('button', { name: 'Create ticket' }).click();
    await ticketForm.locator('.field-error').filter({ hasText: 'cannot be empty' }).waitFor();
    expect(await ticketForm.getByLabel('Subject').getAttribute('aria-invalid')).toBe('true');
    await ticketForm.getByLabel('Subject').fill('No hot water');
    await ticketForm.getByLabel('Priority').selectOption('urgent');
    await ticketForm.getByRole('button', { name: 'Create ticket' }).click();
    const ticket = panel.getByTestId('ticket').filter({ hasText: 'No hot water' });
    await ticket.getByRole('button', { name: 'Start work' }).click();
    await ticket.getByRole('button', { name: 'Ask for approval' }).click();
    await page.locator('[data-testid="ticket"][data-status="pending_approval"]').waitFor();
    // An agent may send it back but not approve it: approving is a supervisor's move.
    await ticket.getByRole('button', { name: 'Reject approval' }).waitFor();
    expect(await ticket.getByRole('button', { name: 'Approve and resolve' }).count()).toBe(0);

    await tabs.getByRole('tab', { name: 'Bookings' }).click();
    const bookings = page.getByRole('tabpanel', { name: 'Bookings' });
    await bookings.getByRole('button', { name: 'New booking' }).click();
    const bookingForm = bookings.getByTestId('booking-form');
    await bookingForm.getByLabel('Property code').fill('RUH-HITTIN-4');
    await bookingForm.getByLabel('Start date').fill('2030-12-10');
    await bookingForm.getByLabel('End date').fill('2030-12-01');
    await bookingForm.getByLabel('Price (SAR)').fill('4500');
    await bookingForm.getByRole('button', { name: 'Create booking' }).click();
    await bookingForm.locator('.field').filter({ hasText: 'End date' }).locator('.field-error').waitFor();
    await bookingForm.getByLabel('End date').fill('2030-12-17');
    await bookingForm.getByRole('button', { name: 'Create booking' }).click();
    const booking = bookings.getByTestId('booking').filter({ hasText: 'RUH-HITTIN-4' });
    expect((await booking.getByTestId('booking-price').textContent())?.replace(/\s/g, ' ')).toBe('SAR 4,500.00');
    await booking.getByRole('button', { name: 'Confirm' }).click();
    await page.locator('[data-testid="booking"][data-status="confirmed"]').waitFor();
    const offered = await booking.getByRole('button').allTextContents();
    expect(offered.map((label) => label.trim())).toEqual(['Mark completed', 'Cancel booking', 'Edit booking']);
    await booking.getByRole('button', { name: 'Edit booking' }).click();
    await calm(page);
    await shoot(page, 'customer-records', true);

    await page.context().close();
  });
});
