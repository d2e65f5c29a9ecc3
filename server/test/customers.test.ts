import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Customer } from '@callboard/shared';
import { api, connectSocket, createTenant, startTestServer, type TestServer, type TestTenant } from './helpers.ts';

let ts: TestServer;
let t: TestTenant;
let other: TestTenant;
beforeAll(async () => {
  ts = await startTestServer();
  [t, other] = await Promise.all([createTenant(ts, { locale: 'ar' }), createTenant(ts)]);
});
afterAll(() => ts?.close());

let phoneSeq = 1000;
const freshPhone = () => `+9665${String(Date.now() % 1_000_000).padStart(6, '0')}${String(phoneSeq++ % 100).padStart(2, '0')}`;

async function createCustomer(who: TestTenant, body: Record<string, unknown>) {
  const res = await api<Customer>(ts, 'POST', '/api/customers', { token: who.agent.token, body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

describe('customers', () => {
  it('creates with a normalised phone, the tenant language and the display-name rule', async () => {
    const phone = freshPhone();
    const spaced = `${phone.slice(0, 4)} ${phone.slice(4, 6)} ${phone.slice(6, 9)} ${phone.slice(9)}`;
    const c = await createCustomer(t, { phone: spaced, email: 'Lama@Example.SA' });
    expect(c).toMatchObject({ name: null, phone, email: 'lama@example.sa', language: 'ar', stage: 'new', tags: [], version: 1 });
    expect(c.displayName).toBe(spaced);
    const named = await createCustomer(t, { name: '  لمى  الغامدي ', phone: freshPhone() });
    expect(named.displayName).toBe('لمى  الغامدي');
    const nobody = await createCustomer(t, {});
    expect(nobody.displayName).toBe('Unknown caller');
  });

  it('refuses bad values with paths and a phone another customer holds with 409', async () => {
    const bad = await api(ts, 'POST', '/api/customers', {
      token: t.agent.token,
      body: { phone: '0501234567', email: 'not-an-email', stage: 'vip', tags: ['ok', ''] },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['email', 'phone', 'stage', 'tags.1']);
    expect(bad.body.error.details.find((d: { path: string }) => d.path === 'phone').message).toBe('must be an E.164 number');

    const phone = freshPhone();
    await createCustomer(t, { phone });
    const dup = await api(ts, 'POST', '/api/customers', { token: t.agent.token, body: { phone } });
    expect(dup.status).toBe(409);
    expect(dup.body.error.details).toEqual([{ path: 'phone', message: 'already used by another customer' }]);
    // another tenant may hold the same number
    expect((await api(ts, 'POST', '/api/customers', { token: other.agent.token, body: { phone } })).status).toBe(201);
  });

  it('searches by case-insensitive prefix of name, phone or email and filters by stage', async () => {
    const tt = await createTenant(ts);
    const p1 = freshPhone();
    const a = (await api(ts, 'POST', '/api/customers', { token: tt.agent.token, body: { name: 'Noura Al-Otaibi', phone: p1, stage: 'qualified' } })).body;
    const b = (await api(ts, 'POST', '/api/customers', { token: tt.agent.token, body: { name: 'نورة السبيعي', email: 'NOURA.s@example.com' } })).body;
    const c = (await api(ts, 'POST', '/api/customers', { token: tt.agent.token, body: { name: 'Omar', stage: 'qualified' } })).body;
    const ids = async (qs: string) => (await api(ts, 'GET', `/api/customers?${qs}`, { token: tt.agent.token })).body.items.map((x: Customer) => x.id);
    expect(await ids('q=nOuRa')).toEqual([b.id, a.id]);
    expect(await ids('q=al-ot')).toEqual([a.id]);
    expect(await ids(`q=${encodeURIComponent(p1.slice(0, 7))}`)).toEqual([a.id]);
    expect(await ids(`q=${p1.slice(1, 8)}`)).toEqual([a.id]);
    expect(await ids(`q=${encodeURIComponent('نورة')}`)).toEqual([b.id]);
    expect(await ids('q=noura.s@')).toEqual([b.id]);
    expect(await ids('stage=qualified')).toEqual([c.id, a.id]);
    expect(await ids('stage=qualified&q=om')).toEqual([c.id]);
    expect(await ids(`q=${encodeURIComponent('.*')}`)).toEqual([]);
    const bad = await api(ts, 'GET', '/api/customers?stage=vip&sort=name', { token: tt.agent.token });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['sort', 'stage']);
  });

  it('pages newest first without duplicates or gaps while customers are added', async () => {
    const tt = await createTenant(ts);
    const before: string[] = [];
    for (let i = 0; i < 9; i++) before.push((await api(ts, 'POST', '/api/customers', { token: tt.agent.token, body: { name: `C${i}` } })).body.id);
    const seen: string[] = [];
    let cursor: string | null = null;
    let inserted = 0;
    do {
      const qs: string = cursor ? `limit=3&cursor=${cursor}` : 'limit=3';
      const [page] = await Promise.all([
        api(ts, 'GET', `/api/customers?${qs}`, { token: tt.agent.token }),
        api(ts, 'POST', '/api/customers', { token: tt.agent.token, body: { name: `during ${inserted++}` } }),
      ]);
      seen.push(...page.body.items.map((x: Customer) => x.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    for (const id of before) expect(seen).toContain(id);
    const expectedOrder = seen.filter((id) => before.includes(id));
    expect(expectedOrder).toEqual([...before].reverse());
  });

  it('merges edits of different fields, answers 409 on the same field, moves the phone claim and logs activity', async () => {
    const phone = freshPhone();
    const c = await createCustomer(t, { name: 'Faisal', phone });
    const [a, b] = await Promise.all([
      api(ts, 'PATCH', `/api/customers/${c.id}`, { token: t.agent.token, body: { version: 1, set: { stage: 'booked' } } }),
      api(ts, 'PATCH', `/api/customers/${c.id}`, { token: t.supervisor.token, body: { version: 1, set: { tags: ['vip'] } } }),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    const clash = await api(ts, 'PATCH', `/api/customers/${c.id}`, { token: t.admin.token, body: { version: 1, set: { stage: 'lost', notes: 'x' } } });
    expect(clash.status).toBe(409);
    expect(clash.body.error.details).toEqual([{ path: 'stage', message: 'changed since your version' }]);
    expect(clash.body.current).toMatchObject({ id: c.id, stage: 'booked', tags: ['vip'], version: 3, notes: null });

    const newPhone = freshPhone();
    const moved = await api(ts, 'PATCH', `/api/customers/${c.id}`, { token: t.agent.token, body: { version: 3, set: { phone: newPhone, name: '' } } });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ phone: newPhone, name: null, displayName: expect.stringMatching(/^\+966 /) });
    // the old number is free again, the new one is held
    expect((await api(ts, 'POST', '/api/customers', { token: t.agent.token, body: { phone } })).status).toBe(201);
    expect((await api(ts, 'POST', '/api/customers', { token: t.agent.token, body: { phone: newPhone } })).status).toBe(409);

    const activity = await api(ts, 'GET', `/api/customers/${c.id}/activity`, { token: t.agent.token });
    expect(activity.status).toBe(200);
    const [latest] = activity.body.items;
    expect(latest).toMatchObject({ recordType: 'customer', action: 'updated', actor: { type: 'user', id: t.agent.id } });
    expect(latest.changes).toEqual([
      { field: 'name', before: 'Faisal', after: null },
      { field: 'phone', before: phone, after: newPhone },
    ]);
    expect(activity.body.items.map((x: { action: string }) => x.action)).toEqual(['updated', 'updated', 'updated', 'created']);
  });

  it('lets a supervisor delete (not an agent), frees the phone and emits each change once to the tenant only', async () => {
    const mine = await connectSocket(ts, { token: t.agent.token });
    const theirs = await connectSocket(ts, { token: other.agent.token });
    const heard: string[] = [];
    const heardElsewhere: string[] = [];
    mine.onAny((e, payload: { data: { id: string } }) => heard.push(`${e}:${payload.data.id}`));
    theirs.onAny((e) => heardElsewhere.push(e));
    try {
      const phone = freshPhone();
      const c = await createCustomer(t, { phone });
      await api(ts, 'PATCH', `/api/customers/${c.id}`, { token: t.agent.token, body: { version: 1, set: { stage: 'won' } } });
      expect((await api(ts, 'DELETE', `/api/customers/${c.id}`, { token: t.agent.token })).status).toBe(403);
      expect((await api(ts, 'DELETE', `/api/customers/${c.id}`, { token: t.supervisor.token })).status).toBe(204);
      expect((await api(ts, 'GET', `/api/customers/${c.id}`, { token: t.agent.token })).status).toBe(404);
      expect((await api(ts, 'POST', '/api/customers', { token: t.agent.token, body: { phone } })).status).toBe(201);
      await new Promise((r) => setTimeout(r, 300));
      const about = heard.filter((h) => h.endsWith(`:${c.id}`));
      expect(about).toEqual([`customer.created:${c.id}`, `customer.updated:${c.id}`, `customer.deleted:${c.id}`]);
      expect(heardElsewhere).toEqual([]);
    } finally {
      mine.close();
      theirs.close();
    }
  });
});
