import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { CreatedWebhookEndpoint } from '@callboard/shared';
import { api, createTenant, startTestServer, type TestServer, type TestTenant, type TestUser } from '../../server/test/helpers.ts';
import { createEndpoint, sendStandard } from '../../server/test/webhooks-helpers.ts';

const screenshots = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  server = await startTestServer();
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** A signed-in board in a fresh browser profile. */
async function openBoard(user: TestUser, opts: { locale?: string; width?: number } = {}): Promise<Page> {
  const context = await browser.newContext({ baseURL: server.url, locale: opts.locale ?? 'en-US', colorScheme: 'light', viewport: { width: opts.width ?? 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto('/login');
  await page.locator('input[type="email"]').fill(user.email);
  await page.locator('input[type="password"]').fill(user.password);
  await page.locator('input[type="password"]').press('Enter');
  await page.waitForURL((url) => url.pathname === '/');
  await page.getByTestId('calls-table').waitFor();
  await page.locator('[data-testid="connection"][data-state="live"]').waitFor();
  return page;
}

/** Genuinely signed Standard Webhooks deliveries, as a voice bridge sends them. */
function bridge(ep: CreatedWebhookEndpoint, conversationId: string, callSid: string) {
  let n = 0;
  const send = async (type: string, data: Record<string, unknown>) => {
    const res = await sendStandard(server, ep, `msg_${conversationId}_${++n}`, { type, data });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  };
  const at = () => new Date().toISOString();
  return {
    started: (from: string) =>
      send('voice_session.started', { conversationId, agentId: 'agent_support', direction: 'inbound', from, to: '+966112345678', callSid, locale: 'ar-SA', startedAt: at() }),
    status: (status: string, sequence: number) => send('call.status', { callSid, status, at: at(), sequence }),
    turn: (role: 'user' | 'agent', text: string, atSec: number) => send('voice_session.turn', { conversationId, role, text, atSec }),
    ended: (summary: string) => send('voice_session.ended', { conversationId, endedAt: at(), summary, outcome: 'success' }),
  };
}

const kpi = (page: Page, name: string) => page.getByTestId(`kpi-${name}-value`);
const row = (page: Page, status?: string) => page.locator(`[data-testid="call-row"]${status ? `[data-status="${status}"]` : ''}`);
const turns = (page: Page) => page.getByTestId('turn').locator('p').allTextContents();

/** What a board shows, without what ticks: rows, numbers, sessions and the open transcript. */
function boardState(page: Page) {
  return page.evaluate(() => {
    const text = (el: Element | null) => el?.textContent?.trim() ?? null;
    return {
      rows: [...document.querySelectorAll<HTMLElement>('[data-testid="call-row"]')].map((r) => `${r.dataset.callId}|${r.dataset.status}|${text(r.querySelector('bdi'))}`),
      kpis: [...document.querySelectorAll('[data-testid$="-value"]')].map(text),
      sessions: [...document.querySelectorAll<HTMLElement>('[data-testid="session-row"]')].map((s) => `${s.dataset.status}|${text(s.querySelector('bdi'))}`),
    };
  });
}

async function liveCallWithTranscript(t: TestTenant, ep: CreatedWebhookEndpoint, page: Page, conv: string, lines: [string, string, string]) {
  const call = bridge(ep, conv, `CA${conv}`);
  await call.started('+966504443322');
  await call.status('ringing', 1);
  await row(page, 'ringing').waitFor();
  await call.status('in-progress', 2);
  await row(page, 'in-progress').waitFor();
  await row(page, 'in-progress').getByRole('button').click();
  await page.getByTestId('transcript').waitFor();
  await call.turn('agent', lines[0], 0.4);
  await call.turn('user', lines[2], 9.8);
  // Turns may arrive out of order: the earlier one takes its place by time.
  await call.turn('user', lines[1], 4.1);
  await expect.poll(() => turns(page)).toEqual(lines);
  return call;
}

describe('live board', () => {
  test('a signed webhook sequence shows a call, its status, streaming turns and the numbers, without reload', async () => {
    const t = await createTenant(server, { name: 'Riyadh Rentals' });
    const ep = await createEndpoint(server, t, 'standard');
    const page = await openBoard(t.supervisor);
    expect(await kpi(page, 'live').textContent()).toBe('0');
    expect(await kpi(page, 'answered').textContent()).toBe('0');

    // Each number's definition opens on keyboard focus, and Escape closes it.
    const about = page.getByTestId('kpi-answered').getByRole('button');
    await about.focus();
    await page.getByTestId('kpi-answered-help').waitFor({ state: 'visible' });
    expect(await about.getAttribute('aria-describedby')).toBe(await page.getByTestId('kpi-answered-help').getAttribute('id'));
    await page.keyboard.press('Escape');
    await page.getByTestId('kpi-answered-help').waitFor({ state: 'hidden' });

    const call = await liveCallWithTranscript(t, ep, page, 'conv_en_1', [
      'Hello, this is Riyadh Rentals. How can I help?',
      'Hi, the kitchen tap in MG13 is leaking.',
      'I am sorry to hear that. I will open an urgent plumbing ticket now.',
    ]);
    await expect.poll(() => kpi(page, 'live').textContent()).toBe('1');
    await expect.poll(() => kpi(page, 'answered').textContent()).toBe('1');
    const duration = await page.getByTestId('call-duration').first().textContent();
    await expect.poll(() => page.getByTestId('call-duration').first().textContent(), { timeout: 3_000 }).not.toBe(duration);
    expect(await row(page).locator('bdi').textContent()).toBe('+966 50 444 3322');
    if (process.env.SCREENSHOTS === '1') {
      await mkdir(screenshots, { recursive: true });
      await page.screenshot({ path: `${screenshots}board-en.png`, fullPage: true });
    }

    await call.ended('Leaking kitchen tap in MG13; urgent plumbing ticket opened.');
    await call.status('completed', 3);
    await row(page, 'completed').waitFor();
    expect(await page.getByTestId('transcript-summary').textContent()).toContain('urgent plumbing ticket');
    await expect.poll(() => kpi(page, 'live').textContent()).toBe('0');
    await expect.poll(() => kpi(page, 'success').textContent()).toBe('100%');
    expect(await kpi(page, 'aht').textContent()).toMatch(/^0:0\d$/);
    await page.context().close();
  });

  test('dropping and restoring the socket while events happen ends with the same board as a fresh load', async () => {
    const t = await createTenant(server);
    const ep = await createEndpoint(server, t, 'standard');
    const page = await openBoard(t.supervisor);
    const first = bridge(ep, 'conv_drop_1', 'CAdrop1');
    await first.started('+966501110001');
    await first.status('in-progress', 1);
    await row(page, 'in-progress').waitFor();

    await page.context().setOffline(true);
    server.server.io.in(`tenant:${t.tenant.id}`).disconnectSockets(true);
    await page.locator('[data-testid="connection"]:not([data-state="live"])').waitFor();
    await first.status('completed', 2);
    const second = bridge(ep, 'conv_drop_2', 'CAdrop2');
    await second.started('+966501110002');
    await second.status('ringing', 1);
    await second.turn('agent', 'مرحبا', 0.5);
    await page.context().setOffline(false);

    await page.locator('[data-testid="connection"][data-state="live"]').waitFor({ timeout: 15_000 });
    const fresh = await openBoard(t.supervisor);
    const expected = await boardState(fresh);
    expect(expected.rows).toHaveLength(2);
    await expect.poll(() => boardState(page), { timeout: 10_000 }).toEqual(expected);
    await fresh.context().close();
    await page.context().close();
  });

  test('the Arabic board is right to left, with the transcript read in its own direction', async () => {
    const t = await createTenant(server, { locale: 'ar', name: 'رياض للتأجير' });
    const ep = await createEndpoint(server, t, 'standard');
    const page = await openBoard(t.supervisor, { locale: 'ar-SA' });
    expect(await page.evaluate(() => [document.documentElement.lang, document.documentElement.dir])).toEqual(['ar', 'rtl']);
    await liveCallWithTranscript(t, ep, page, 'conv_ar_1', [
      'أهلاً بك في رياض للتأجير، كيف أقدر أساعدك؟',
      'السلام عليكم، الحنفية في المطبخ تسرب في الشقة MG13.',
      'آسفين على الإزعاج، بفتح لك بلاغ سباكة عاجل الحين.',
    ]);
    expect(await page.getByTestId('turn').locator('p').first().getAttribute('dir')).toBe('auto');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('اللوحة المباشرة');
    await expect.poll(() => kpi(page, 'live').textContent()).toBe('١');
    if (process.env.SCREENSHOTS === '1') {
      await mkdir(screenshots, { recursive: true });
      await page.screenshot({ path: `${screenshots}board-ar.png`, fullPage: true });
    }
    await page.context().close();
  });
});

describe('tickets and bookings', () => {
  test('cards move by the shared transitions, approval by a supervisor, live on every board', async () => {
    const t = await createTenant(server);
    const post = async (path: string, body: unknown) => (await api(server, 'POST', path, { token: t.agent.token, body })).body;
    const customer = await post('/api/customers', { name: 'Reem Al-Qahtani', phone: '+966501234567' });
    await post('/api/tickets', { customerId: customer.id, subject: 'Leaking tap', priority: 'urgent', slaDueAt: '2020-01-01' });
    await post('/api/tickets', { customerId: customer.id, subject: 'Spare key', priority: 'low' });
    await post('/api/bookings', { customerId: customer.id, propertyCode: 'RUH-12', startDate: '2026-12-01', priceSar: 1200 });
    const [agent, supervisor] = [await openBoard(t.agent), await openBoard(t.supervisor)];
    for (const page of [agent, supervisor]) await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Tickets' }).click();
    const column = (page: Page, status: string) => page.locator(`[data-testid="ticket-column"][data-status="${status}"]`);
    const card = (page: Page, status: string, subject: string) => column(page, status).getByTestId('ticket-card').filter({ hasText: subject });

    await card(agent, 'open', 'Leaking tap').getByTestId('ticket-overdue').waitFor();
    await agent.getByRole('button', { name: 'Start work: Leaking tap' }).click();
    await card(supervisor, 'in_progress', 'Leaking tap').waitFor();
    await agent.getByRole('button', { name: 'Ask for approval: Leaking tap' }).click();
    await card(supervisor, 'pending_approval', 'Leaking tap').waitFor();
    // An agent cannot approve: no button, a note saying who does.
    expect(await card(agent, 'pending_approval', 'Leaking tap').getByRole('button', { name: /^Approve/ }).count()).toBe(0);
    await card(agent, 'pending_approval', 'Leaking tap').getByText('A supervisor approves the resolution.').waitFor();
    await supervisor.getByRole('button', { name: 'Approve: Leaking tap' }).click();
    await card(agent, 'resolved', 'Leaking tap').waitFor();

    await card(supervisor, 'open', 'Spare key').dragTo(column(supervisor, 'in_progress'));
    await card(agent, 'in_progress', 'Spare key').waitFor();

    for (const page of [agent, supervisor]) await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Bookings' }).click();
    const booking = (page: Page) => page.getByTestId('booking-row').filter({ hasText: 'RUH-12' });
    expect(await booking(agent).textContent()).toContain('SAR');
    await supervisor.getByRole('button', { name: 'Approve booking RUH-12 for Reem Al-Qahtani' }).click();
    await agent.locator('[data-testid="booking-row"][data-status="confirmed"]').waitFor();
    for (const page of [agent, supervisor]) await page.context().close();
  });
});
