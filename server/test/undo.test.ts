import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChangeEnvelope, Customer } from '@callboard/shared';
import { api, connectSocket, createTenant, startTestServer, type TestServer, type TestSocket, type TestTenant } from './helpers.ts';
import { coveringIndex, recordQueries, type RecordedQuery } from './index-coverage.ts';

let ts: TestServer;
let t: TestTenant;
let other: TestTenant;
let queries: RecordedQuery[];
const open: TestSocket[] = [];
beforeAll(async () => {
  ts = await startTestServer();
  [t, other] = await Promise.all([createTenant(ts), createTenant(ts)]);
  queries = recordQueries(ts.server.ctx.db.conn);
});
afterAll(async () => {
  for (const s of open) s.close();
  await ts?.close();
});

let phoneSeq = 0;
const freshPhone = () => `+9665${String(Date.now() % 1_000_000).padStart(6, '0')}${String(phoneSeq++ % 100).padStart(2, '0')}`;

async function createCustomer(token: string, body: Record<string, unknown>) {
  const res = await api<Customer>(ts, 'POST', '/api/customers', { token, body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}
async function patch(token: string, c: { id: string }, set: Record<string, unknown>) {
  const version = (await api<Customer>(ts, 'GET', `/api/customers/${c.id}`, { token })).body.version;
  const res = await api<Customer>(ts, 'PATCH', `/api/customers/${c.id}`, { token, body: { version, set } });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}
const undo = (token: string, id: string) => api(ts, 'POST', `/api/customers/${id}/undo`, { token });

/** Resolves with the next customer.updated of customer `id` on a socket. */
function updateOf(s: TestSocket, id: string): Promise<ChangeEnvelope<Customer>> {
  return new Promise((resolve) => {
    const listener = (e: ChangeEnvelope<Customer>) => {
      if (e.data.id !== id) return;
      s.off('customer.updated', listener);
      resolve(e);
    };
    s.on('customer.updated', listener);
  });
}

describe('undo of a customer change', () => {
  it('restores the previous values as a new version, on every socket of the tenant, and logs it; a second undo redoes', async () => {
    const c = await createCustomer(t.agent.token, { name: 'Before', tags: ['a'] });
    await patch(t.agent.token, c, { name: 'After', stage: 'qualified', tags: ['a', 'b'] });
    const sockets = await Promise.all([connectSocket(ts, { token: t.agent.token }), connectSocket(ts, { token: t.admin.token })]);
    open.push(...sockets);
    const heard = sockets.map((s) => updateOf(s, c.id));

    const res = await undo(t.agent.token, c.id);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ id: c.id, name: 'Before', stage: 'new', tags: ['a'], version: 3 });
    for (const e of await Promise.all(heard)) {
      expect(e.data).toMatchObject({ name: 'Before', stage: 'new', tags: ['a'], version: 3 });
      expect(e.actor).toEqual({ type: 'user', id: t.agent.id, name: t.agent.name });
    }
    const [latest] = (await api(ts, 'GET', `/api/customers/${c.id}/activity`, { token: t.agent.token })).body.items;
    expect(latest).toMatchObject({ action: 'updated', actor: { id: t.agent.id } });
    expect(latest.changes).toEqual([
      { field: 'name', before: 'After', after: 'Before' },
      { field: 'stage', before: 'qualified', after: 'new' },
      { field: 'tags', before: ['a', 'b'], after: ['a'] },
    ]);

    const redo = await undo(t.agent.token, c.id);
    expect(redo.status).toBe(200);
    expect(redo.body).toMatchObject({ name: 'After', stage: 'qualified', tags: ['a', 'b'], version: 4 });
  });

  it("undoes only the caller's own last change, keeping what others changed in other fields", async () => {
    const c = await createCustomer(t.agent.token, { name: 'Mine' });
    await patch(t.agent.token, c, { stage: 'booked' });
    await patch(t.supervisor.token, c, { notes: 'called back' });
    const res = await undo(t.agent.token, c.id);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ name: 'Mine', stage: 'new', notes: 'called back', version: 4 });
  });

  it('refuses when someone else changed one of those fields since, naming them, and changes nothing', async () => {
    const c = await createCustomer(t.agent.token, { name: 'Original' });
    await patch(t.agent.token, c, { name: 'Agent edit', email: 'a@example.com' });
    await patch(t.supervisor.token, c, { name: 'Supervisor edit' });
    const res = await undo(t.agent.token, c.id);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('conflict');
    expect(res.body.error.details).toEqual([{ path: 'name', message: `changed by ${t.supervisor.name} since your change` }]);
    expect(res.body.current).toMatchObject({ name: 'Supervisor edit', email: 'a@example.com', version: 3 });
    expect((await api<Customer>(ts, 'GET', `/api/customers/${c.id}`, { token: t.agent.token })).body.version).toBe(3);

    // changed and changed back by someone else is still their work
    const d = await createCustomer(t.agent.token, { stage: 'new' });
    await patch(t.agent.token, d, { stage: 'won' });
    await patch(t.supervisor.token, d, { stage: 'lost' });
    await patch(t.supervisor.token, d, { stage: 'won' });
    const again = await undo(t.agent.token, d.id);
    expect(again.status).toBe(409);
    expect(again.body.error.details).toEqual([{ path: 'stage', message: `changed by ${t.supervisor.name} since your change` }]);
  });

  it('answers 409 "nothing to undo" to a caller with no change to undo', async () => {
    const c = await createCustomer(t.agent.token, { name: 'Fresh' });
    for (const token of [t.agent.token, t.supervisor.token]) {
      const res = await undo(token, c.id);
      expect(res.status).toBe(409);
      expect(res.body.error).toEqual({ code: 'conflict', message: expect.stringContaining('nothing to undo') });
      expect(res.body.current).toMatchObject({ id: c.id, version: 1 });
    }
  });

  it('moves the phone claim back: the undone number is free again, the restored one held', async () => {
    const [p1, p2] = [freshPhone(), freshPhone()];
    const c = await createCustomer(t.agent.token, { phone: p1 });
    await patch(t.agent.token, c, { phone: p2 });
    expect((await undo(t.agent.token, c.id)).body).toMatchObject({ phone: p1, version: 3 });
    expect((await api(ts, 'POST', '/api/customers', { token: t.agent.token, body: { phone: p1 } })).status).toBe(409);
    const holder = await createCustomer(t.agent.token, { phone: p2 });
    // the redo now wants a number someone else holds: refused, nothing moves
    const redo = await undo(t.agent.token, c.id);
    expect(redo.status).toBe(409);
    expect(redo.body.error.details).toEqual([{ path: 'phone', message: 'already used by another customer' }]);
    expect((await api<Customer>(ts, 'GET', `/api/customers/${c.id}`, { token: t.agent.token })).body).toMatchObject({ phone: p1, version: 3 });
    expect((await api(ts, 'POST', '/api/customers', { token: t.agent.token, body: { phone: p1 } })).status).toBe(409);

    // undoing the addition of a phone frees it
    const p3 = freshPhone();
    await patch(t.supervisor.token, holder, { phone: null });
    await patch(t.supervisor.token, holder, { phone: p3 });
    expect((await undo(t.supervisor.token, holder.id)).body).toMatchObject({ phone: null });
    expect((await api(ts, 'POST', '/api/customers', { token: t.agent.token, body: { phone: p3 } })).status).toBe(201);
  });

  it("is a 404 for another tenant's agent and for an unknown id, and changes nothing", async () => {
    const c = await createCustomer(t.agent.token, { name: 'Private' });
    await patch(t.agent.token, c, { name: 'Edited' });
    const watcher = await connectSocket(ts, { token: other.agent.token });
    open.push(watcher);
    const heard: string[] = [];
    watcher.onAny((e) => heard.push(e));
    for (const id of [c.id, 'NoSuchCustomer0000000']) {
      const res = await undo(other.agent.token, id);
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('not_found');
    }
    expect((await api<Customer>(ts, 'GET', `/api/customers/${c.id}`, { token: t.agent.token })).body).toMatchObject({ name: 'Edited', version: 2 });
    await new Promise((r) => setTimeout(r, 200));
    expect(heard).toEqual([]);
  });

  it('finds the caller\'s last change through an index starting with tenantId', async () => {
    const c = await createCustomer(t.agent.token, { name: 'Indexed' });
    await patch(t.agent.token, c, { name: 'Changed' });
    const from = queries.length;
    expect((await undo(t.agent.token, c.id)).status).toBe(200);
    const activityQueries = queries.slice(from).filter((q) => q.collection === 'activities' && q.method === 'find');
    expect(activityQueries.length).toBe(2);
    const indexes = ts.server.ctx.models.activities.schema.indexes().map(([fields]) => fields as Record<string, unknown>);
    for (const q of activityQueries) expect(coveringIndex(q, indexes), JSON.stringify(q)).not.toBeNull();
  });
});
