import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, connectSocket, createTenant, startTestServer, type TestServer, type TestSocket, type TestTenant } from './helpers.ts';

let ts: TestServer;
let t: TestTenant;
let other: TestTenant;
const sockets: TestSocket[] = [];
beforeAll(async () => {
  ts = await startTestServer();
  [t, other] = await Promise.all([createTenant(ts), createTenant(ts)]);
});
afterAll(async () => {
  for (const s of sockets) s.close();
  await ts?.close();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function newCustomer(who: TestTenant): Promise<string> {
  const res = await api(ts, 'POST', '/api/customers', { token: who.agent.token, body: { name: 'Fahad Al-Harbi' } });
  expect(res.status).toBe(201);
  return res.body.id;
}

async function newBooking(who: TestTenant, customerId: string, extra: Record<string, unknown> = {}) {
  const res = await api(ts, 'POST', '/api/bookings', {
    token: who.agent.token,
    body: { customerId, propertyCode: 'RUH-OLAYA-12', startDate: '2026-12-01', ...extra },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

const patch = (token: string, id: string, version: number, set: Record<string, unknown>) =>
  api(ts, 'PATCH', `/api/bookings/${id}`, { token, body: { version, set } });

const paths = (res: { body: any }) => res.body.error.details.map((d: { path: string }) => d.path).sort();

describe('booking lifecycle', () => {
  it('creates, reads, edits and deletes, with activity under the customer', async () => {
    const customerId = await newCustomer(t);
    const created = await newBooking(t, customerId, { endDate: '2026-12-05T12:00:00+03:00', priceSar: 4200 });
    expect(created).toEqual({
      id: expect.any(String),
      customerId,
      propertyCode: 'RUH-OLAYA-12',
      startDate: '2026-12-01T00:00:00.000Z',
      endDate: '2026-12-05T09:00:00.000Z',
      status: 'pending',
      priceSar: 4200,
      source: 'web',
      createdBy: 'human',
      version: 1,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    expect((await api(ts, 'GET', `/api/bookings/${created.id}`, { token: t.agent.token })).body).toEqual(created);

    const edited = await patch(t.agent.token, created.id, 1, { endDate: null, status: 'confirmed', source: 'voice' });
    expect(edited.body).toMatchObject({ endDate: null, status: 'confirmed', source: 'voice', version: 2 });

    expect((await api(ts, 'DELETE', `/api/bookings/${created.id}`, { token: t.agent.token })).status).toBe(403);
    expect((await api(ts, 'DELETE', `/api/bookings/${created.id}`, { token: t.admin.token })).status).toBe(204);
    expect((await api(ts, 'GET', `/api/bookings/${created.id}`, { token: t.agent.token })).status).toBe(404);

    const activity = await api(ts, 'GET', `/api/customers/${customerId}/activity`, { token: t.agent.token });
    const entries = activity.body.items.filter((a: { recordId: string }) => a.recordId === created.id);
    expect(entries.map((a: { recordType: string; action: string }) => `${a.recordType}.${a.action}`)).toEqual([
      'booking.deleted',
      'booking.updated',
      'booking.created',
    ]);
  });

  it('refuses bad input with the path of each problem', async () => {
    const customerId = await newCustomer(t);
    const post = (body: unknown) => api(ts, 'POST', '/api/bookings', { token: t.agent.token, body });
    expect(paths(await post({}))).toEqual(['customerId', 'propertyCode', 'startDate']);
    expect(paths(await post({ customerId, propertyCode: 'X', startDate: '01/12/2026', priceSar: -1, source: 'fax', status: 'confirmed' }))).toEqual([
      'priceSar',
      'source',
      'startDate',
      'status',
    ]);
    const backwards = await post({ customerId, propertyCode: 'X', startDate: '2026-12-05', endDate: '2026-12-01' });
    expect(backwards.status).toBe(400);
    expect(backwards.body.error.details).toEqual([{ path: 'endDate', message: 'must not be before startDate' }]);

    const unknown = await post({ customerId: 'nobody0000000000000000', propertyCode: 'X', startDate: '2026-12-01' });
    const foreign = await post({ customerId: await newCustomer(other), propertyCode: 'X', startDate: '2026-12-01' });
    expect(unknown.body.error.details).toEqual([{ path: 'customerId', message: 'no such customer' }]);
    expect(foreign.status).toBe(400);
    expect(foreign.body).toEqual(unknown.body);

    const booking = await newBooking(t, customerId, { endDate: '2026-12-10' });
    expect((await patch(t.agent.token, booking.id, 1, { endDate: '2026-11-30' })).body.error.details).toEqual([
      { path: 'set.endDate', message: 'must not be before startDate' },
    ]);
    expect((await patch(t.agent.token, booking.id, 1, { startDate: '2026-12-11' })).body.error.details).toEqual([
      { path: 'set.startDate', message: 'must not be after endDate' },
    ]);
    expect((await patch(t.agent.token, booking.id, 1, { startDate: '2026-12-02', endDate: '2026-12-03' })).status).toBe(200);
    // the unknown key is dropped, which also leaves `set` without a field to change
    expect(paths(await patch(t.agent.token, booking.id, 2, { customerId }))).toEqual(['set.customerId']);
  });
});

describe('status', () => {
  it('moves pending → confirmed → completed and refuses any other move, naming it', async () => {
    const customerId = await newCustomer(t);
    const a = await newBooking(t, customerId);
    const early = await patch(t.agent.token, a.id, 1, { status: 'completed' });
    expect(early.status).toBe(400);
    expect(early.body.error).toMatchObject({ code: 'validation_failed', details: [{ path: 'set.status', message: 'cannot move from pending to completed' }] });
    expect((await patch(t.agent.token, a.id, 1, { status: 'confirmed' })).body.status).toBe('confirmed');
    expect((await patch(t.agent.token, a.id, 2, { status: 'completed' })).body.status).toBe('completed');
    const after = await patch(t.agent.token, a.id, 3, { status: 'canceled' });
    expect(after.body.error.details).toEqual([{ path: 'set.status', message: 'cannot move from completed to canceled' }]);

    const b = await newBooking(t, customerId);
    expect((await patch(t.agent.token, b.id, 1, { status: 'canceled' })).body.status).toBe('canceled');
    expect((await patch(t.agent.token, b.id, 2, { status: 'pending' })).body.error.details[0].message).toBe('cannot move from canceled to pending');
  });
});

describe('concurrent edits', () => {
  it('merges different fields and answers 409 with the current record on the same field', async () => {
    const booking = await newBooking(t, await newCustomer(t));
    expect((await patch(t.agent.token, booking.id, 1, { priceSar: 5000 })).body.version).toBe(2);
    const merged = await patch(t.supervisor.token, booking.id, 1, { propertyCode: 'RUH-MALQA-3' });
    expect(merged.body).toMatchObject({ priceSar: 5000, propertyCode: 'RUH-MALQA-3', version: 3 });
    const clash = await patch(t.supervisor.token, booking.id, 2, { priceSar: 1, propertyCode: 'X' });
    expect(clash.status).toBe(409);
    expect(clash.body.error.details).toEqual([{ path: 'propertyCode', message: 'changed since your version' }]);
    expect(clash.body.current).toMatchObject({ id: booking.id, priceSar: 5000, propertyCode: 'RUH-MALQA-3', version: 3 });
  });
});

describe('tenant isolation', () => {
  it("answers another tenant's booking ids with 404 on every route and leaves the booking alone", async () => {
    const theirs = await newBooking(other, await newCustomer(other));
    const me = t.admin.token;
    expect((await api(ts, 'GET', `/api/bookings/${theirs.id}`, { token: me })).status).toBe(404);
    expect((await patch(me, theirs.id, 1, { status: 'canceled' })).status).toBe(404);
    expect((await api(ts, 'DELETE', `/api/bookings/${theirs.id}`, { token: me })).status).toBe(404);
    expect((await api(ts, 'GET', '/api/bookings/x.y', { token: me })).status).toBe(404);
    expect((await api(ts, 'GET', `/api/bookings?customerId=${theirs.customerId}`, { token: me })).body).toEqual({ items: [], nextCursor: null });
    expect((await api(ts, 'GET', `/api/bookings/${theirs.id}`, { token: other.agent.token })).body).toEqual(theirs);
  });
});

describe('lists', () => {
  it('filters and pages newest first without duplicates or gaps while bookings are added', async () => {
    const tenant = await createTenant(ts);
    const customerId = await newCustomer(tenant);
    const before: string[] = [];
    for (let i = 0; i < 8; i++) before.push((await newBooking(tenant, customerId)).id);
    await patch(tenant.agent.token, before[2]!, 1, { status: 'confirmed' });

    const seen: string[] = [];
    const paging = (async () => {
      let cursor: string | null = null;
      do {
        const res: { body: any } = await api(ts, 'GET', `/api/bookings?limit=3${cursor ? `&cursor=${cursor}` : ''}`, { token: tenant.agent.token });
        const ids = res.body.items.map((x: { id: string }) => x.id);
        expect(ids.length).toBeLessThanOrEqual(3);
        expect([...ids].sort().reverse()).toEqual(ids);
        seen.push(...ids);
        cursor = res.body.nextCursor;
        await sleep(5);
      } while (cursor);
    })();
    await Promise.all([paging, ...Array.from({ length: 6 }, () => newBooking(tenant, customerId))]);

    expect(new Set(seen).size).toBe(seen.length);
    for (const id of before) expect(seen.filter((s) => s === id)).toHaveLength(1);
    const confirmed = await api(ts, 'GET', `/api/bookings?status=confirmed&customerId=${customerId}`, { token: tenant.agent.token });
    expect(confirmed.body.items.map((x: { id: string }) => x.id)).toEqual([before[2]]);
  });
});

describe('live updates', () => {
  it("sends each change once to every socket of the tenant and nothing to another tenant's", async () => {
    const customerId = await newCustomer(t);
    const [mine, mine2, theirs] = await Promise.all([
      connectSocket(ts, { token: t.agent.token }),
      connectSocket(ts, { token: t.apiKey }),
      connectSocket(ts, { token: other.agent.token }),
    ]);
    sockets.push(mine, mine2, theirs);
    const heard = new Map<TestSocket, { event: string; id: string }[]>([[mine, []], [mine2, []]]);
    for (const [s, log] of heard) s.onAny((event: string, change: { data: { id?: string } | null }) => log.push({ event, id: change?.data?.id ?? '' }));
    const leaked: string[] = [];
    theirs.onAny((event: string) => event !== 'heartbeat' && leaked.push(event));

    const booking = await newBooking(t, customerId);
    await patch(t.agent.token, booking.id, 1, { status: 'confirmed' });
    await api(ts, 'DELETE', `/api/bookings/${booking.id}`, { token: t.supervisor.token });

    const about = (s: TestSocket) => heard.get(s)!.filter((h) => h.id === booking.id).map((h) => h.event);
    for (let i = 0; i < 100 && (about(mine).length < 3 || about(mine2).length < 3); i++) await sleep(20);
    await sleep(300);
    for (const s of [mine, mine2]) expect(about(s)).toEqual(['booking.created', 'booking.updated', 'booking.deleted']);
    expect(leaked).toEqual([]);
  });
});
