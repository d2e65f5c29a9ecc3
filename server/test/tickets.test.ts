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

async function newCustomer(who: TestTenant, name = 'Sara Al-Qahtani'): Promise<string> {
  const res = await api(ts, 'POST', '/api/customers', { token: who.agent.token, body: { name } });
  expect(res.status).toBe(201);
  return res.body.id;
}

async function newTicket(who: TestTenant, customerId: string, extra: Record<string, unknown> = {}) {
  const res = await api(ts, 'POST', '/api/tickets', { token: who.agent.token, body: { customerId, subject: 'Leaking tap', ...extra } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

const patch = (token: string, id: string, version: number, set: Record<string, unknown>) =>
  api(ts, 'PATCH', `/api/tickets/${id}`, { token, body: { version, set } });

const paths = (res: { body: any }) => res.body.error.details.map((d: { path: string }) => d.path).sort();

describe('ticket lifecycle', () => {
  it('creates, reads, edits and deletes, with activity under the customer', async () => {
    const customerId = await newCustomer(t);
    const created = await newTicket(t, customerId, { category: 'plumbing', slaDueAt: '2026-12-01' });
    expect(created).toEqual({
      id: expect.any(String),
      customerId,
      subject: 'Leaking tap',
      category: 'plumbing',
      priority: 'medium',
      status: 'open',
      assigneeId: null,
      slaDueAt: '2026-12-01T00:00:00.000Z',
      resolutionNote: null,
      approvedBy: null,
      version: 1,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    expect((await api(ts, 'GET', `/api/tickets/${created.id}`, { token: t.agent.token })).body).toEqual(created);

    const edited = await patch(t.agent.token, created.id, 1, { priority: 'urgent', assigneeId: t.agent.id, slaDueAt: null });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ priority: 'urgent', assigneeId: t.agent.id, slaDueAt: null, version: 2 });

    expect((await api(ts, 'DELETE', `/api/tickets/${created.id}`, { token: t.agent.token })).status).toBe(403);
    expect((await api(ts, 'DELETE', `/api/tickets/${created.id}`, { token: t.supervisor.token })).status).toBe(204);
    expect((await api(ts, 'GET', `/api/tickets/${created.id}`, { token: t.agent.token })).status).toBe(404);
    expect((await api(ts, 'DELETE', `/api/tickets/${created.id}`, { token: t.supervisor.token })).status).toBe(404);

    const activity = await api(ts, 'GET', `/api/customers/${customerId}/activity`, { token: t.agent.token });
    const entries = activity.body.items.filter((a: { recordId: string }) => a.recordId === created.id);
    expect(entries.map((a: { action: string }) => a.action)).toEqual(['deleted', 'updated', 'created']);
    expect(entries[1].changes.map((c: { field: string }) => c.field).sort()).toEqual(['assigneeId', 'priority', 'slaDueAt']);
  });

  it('refuses bad input with the path of each problem', async () => {
    const customerId = await newCustomer(t);
    const post = (body: unknown) => api(ts, 'POST', '/api/tickets', { token: t.agent.token, body });
    expect(paths(await post({}))).toEqual(['customerId', 'subject']);
    expect(paths(await post({ customerId, subject: 'x', priority: 'asap', slaDueAt: 'tomorrow', extra: 1 }))).toEqual([
      'extra',
      'priority',
      'slaDueAt',
    ]);
    expect(paths(await post({ customerId, subject: '   ' }))).toEqual(['subject']);

    const unknown = await post({ customerId: 'nobody0000000000000000', subject: 'x' });
    const foreign = await post({ customerId: await newCustomer(other), subject: 'x' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.details).toEqual([{ path: 'customerId', message: 'no such customer' }]);
    expect(foreign.body).toEqual(unknown.body);

    const ticket = await newTicket(t, customerId);
    expect(paths(await patch(t.agent.token, ticket.id, 1, {}))).toEqual(['set']);
    expect(paths(await patch(t.agent.token, ticket.id, 1, { status: 'closed', approvedBy: 'me' }))).toEqual(['set.approvedBy', 'set.status']);
    const query = await api(ts, 'GET', '/api/tickets?status=nope&limit=0&color=red', { token: t.agent.token });
    expect(query.status).toBe(400);
    expect(paths(query)).toEqual(['color', 'limit', 'status']);
  });
});

describe('status', () => {
  it('moves only by the rules, and only a supervisor or admin approves', async () => {
    const ticket = await newTicket(t, await newCustomer(t));
    const skip = await patch(t.agent.token, ticket.id, 1, { status: 'resolved' });
    expect(skip.status).toBe(400);
    expect(skip.body.error).toMatchObject({
      code: 'validation_failed',
      details: [{ path: 'set.status', message: 'cannot move from open to resolved' }],
    });
    expect((await patch(t.agent.token, ticket.id, 1, { status: 'in_progress' })).body.version).toBe(2);
    expect((await patch(t.agent.token, ticket.id, 2, { status: 'pending_approval' })).body.version).toBe(3);

    const byAgent = await patch(t.agent.token, ticket.id, 3, { status: 'resolved', resolutionNote: 'fixed' });
    expect(byAgent.status).toBe(403);
    expect(byAgent.body.error.code).toBe('forbidden');

    const rejected = await patch(t.supervisor.token, ticket.id, 3, { status: 'in_progress' });
    expect(rejected.body).toMatchObject({ status: 'in_progress', approvedBy: null, version: 4 });
    await patch(t.agent.token, ticket.id, 4, { status: 'pending_approval' });
    const approved = await patch(t.supervisor.token, ticket.id, 5, { status: 'resolved', resolutionNote: 'washer replaced' });
    expect(approved.body).toMatchObject({ status: 'resolved', approvedBy: t.supervisor.id, resolutionNote: 'washer replaced', version: 6 });

    const reopen = await patch(t.supervisor.token, ticket.id, 6, { status: 'open' });
    expect(reopen.status).toBe(400);
    expect(reopen.body.error.details).toEqual([{ path: 'set.status', message: 'cannot move from resolved to open' }]);
  });

  it('records the API key that approves', async () => {
    const ticket = await newTicket(t, await newCustomer(t));
    for (const [v, status] of [[1, 'in_progress'], [2, 'pending_approval']] as const) await patch(t.agent.token, ticket.id, v, { status });
    const keyId = (await api(ts, 'GET', '/api/auth/me', { token: t.apiKey })).body.user.id;
    const approved = await patch(t.apiKey, ticket.id, 3, { status: 'resolved' });
    expect(approved.body).toMatchObject({ status: 'resolved', approvedBy: keyId });
  });
});

describe('concurrent edits', () => {
  it('merges different fields and answers 409 with the current record on the same field', async () => {
    const ticket = await newTicket(t, await newCustomer(t));
    expect((await patch(t.agent.token, ticket.id, 1, { subject: 'Tap still leaking' })).body.version).toBe(2);
    const merged = await patch(t.supervisor.token, ticket.id, 1, { priority: 'high' });
    expect(merged.body).toMatchObject({ subject: 'Tap still leaking', priority: 'high', version: 3 });
    const clash = await patch(t.supervisor.token, ticket.id, 1, { subject: 'Mine' });
    expect(clash.status).toBe(409);
    expect(clash.body.error).toMatchObject({ code: 'conflict', details: [{ path: 'subject', message: 'changed since your version' }] });
    expect(clash.body.current).toMatchObject({ id: ticket.id, subject: 'Tap still leaking', version: 3 });
    // a status someone else moved since the caller's version is a conflict, not a bad move
    await patch(t.agent.token, ticket.id, 3, { status: 'in_progress' });
    const stale = await patch(t.agent.token, ticket.id, 3, { status: 'in_progress' });
    expect(stale.status).toBe(409);
  });
});

describe('tenant isolation', () => {
  it("answers another tenant's ticket ids with 404 on every route and leaves the ticket alone", async () => {
    const theirs = await newTicket(other, await newCustomer(other));
    const me = t.supervisor.token;
    expect((await api(ts, 'GET', `/api/tickets/${theirs.id}`, { token: me })).status).toBe(404);
    expect((await patch(me, theirs.id, 1, { subject: 'hijacked' })).status).toBe(404);
    expect((await api(ts, 'DELETE', `/api/tickets/${theirs.id}`, { token: me })).status).toBe(404);
    expect((await api(ts, 'GET', '/api/tickets/not%20an%20id', { token: me })).status).toBe(404);
    const list = await api(ts, 'GET', `/api/tickets?customerId=${theirs.customerId}`, { token: me });
    expect(list.body).toEqual({ items: [], nextCursor: null });
    expect((await api(ts, 'GET', `/api/tickets/${theirs.id}`, { token: other.agent.token })).body).toEqual(theirs);
  });
});

describe('lists', () => {
  it('filters and pages newest first without duplicates or gaps while tickets are added', async () => {
    const customerId = await newCustomer(t);
    const before: string[] = [];
    for (let i = 0; i < 8; i++) before.push((await newTicket(t, customerId, { priority: i % 2 ? 'high' : 'low' })).id);

    const seen: string[] = [];
    const paging = (async () => {
      let cursor: string | null = null;
      do {
        const res: { body: any } = await api(ts, 'GET', `/api/tickets?customerId=${customerId}&limit=3${cursor ? `&cursor=${cursor}` : ''}`, {
          token: t.agent.token,
        });
        const ids = res.body.items.map((x: { id: string }) => x.id);
        expect(ids.length).toBeLessThanOrEqual(3);
        expect([...ids].sort().reverse()).toEqual(ids);
        seen.push(...ids);
        cursor = res.body.nextCursor;
        await sleep(5);
      } while (cursor);
    })();
    const inserting = Promise.all(Array.from({ length: 6 }, () => newTicket(t, customerId)));
    await Promise.all([paging, inserting]);

    expect(new Set(seen).size).toBe(seen.length);
    for (const id of before) expect(seen.filter((s) => s === id)).toHaveLength(1);

    const high = await api(ts, 'GET', `/api/tickets?customerId=${customerId}&priority=high&status=open&limit=200`, { token: t.agent.token });
    expect(high.body.items.map((x: { id: string }) => x.id)).toEqual(before.filter((_, i) => i % 2).reverse());
  });
});

describe('live updates', () => {
  it("sends each change once to every socket of the tenant and nothing to another tenant's", async () => {
    const customerId = await newCustomer(t);
    const [mine, theirs] = await Promise.all([connectSocket(ts, { token: t.agent.token }), connectSocket(ts, { token: other.agent.token })]);
    sockets.push(mine, theirs);
    const heard: { event: string; id: string }[] = [];
    const leaked: string[] = [];
    mine.onAny((event: string, change: { data: { id?: string } | null }) => heard.push({ event, id: change?.data?.id ?? '' }));
    theirs.onAny((event: string) => event !== 'heartbeat' && leaked.push(event));

    const ticket = await newTicket(t, customerId);
    await patch(t.agent.token, ticket.id, 1, { status: 'in_progress' });
    await api(ts, 'DELETE', `/api/tickets/${ticket.id}`, { token: t.supervisor.token });

    const about = () => heard.filter((h) => h.id === ticket.id).map((h) => h.event);
    for (let i = 0; i < 100 && about().length < 3; i++) await sleep(20);
    await sleep(300);
    expect(about()).toEqual(['ticket.created', 'ticket.updated', 'ticket.deleted']);
    expect(leaked).toEqual([]);
  });
});
