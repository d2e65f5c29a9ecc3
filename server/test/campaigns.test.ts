import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerCampaigns } from '../src/features/campaigns/service.ts';
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

async function newCustomer(who: TestTenant, name: string | null = 'Noura'): Promise<string> {
  const res = await api(ts, 'POST', '/api/customers', { token: who.agent.token, body: name ? { name } : {} });
  expect(res.status).toBe(201);
  return res.body.id;
}

async function newCampaign(who: TestTenant, name = 'Renewals Q4') {
  const res = await api(ts, 'POST', '/api/campaigns', { token: who.supervisor.token, body: { name, objective: 'renewals' } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

const addMembers = (token: string, id: string, customerIds: string[]) =>
  api(ts, 'POST', `/api/campaigns/${id}/members`, { token, body: { customerIds } });
const act = (token: string, id: string, action: string) => api(ts, 'POST', `/api/campaigns/${id}/${action}`, { token });
const patch = (token: string, id: string, version: number, set: Record<string, unknown>) =>
  api(ts, 'PATCH', `/api/campaigns/${id}`, { token, body: { version, set } });

const paths = (res: { body: any }) => res.body.error.details.map((d: { path: string }) => d.path).sort();

describe('campaigns', () => {
  it('lets a supervisor create and edit a draft and an agent only read it', async () => {
    expect((await api(ts, 'POST', '/api/campaigns', { token: t.agent.token, body: { name: 'x', objective: 'leadgen' } })).status).toBe(403);
    const created = await newCampaign(t);
    expect(created).toEqual({
      id: expect.any(String),
      name: 'Renewals Q4',
      objective: 'renewals',
      status: 'draft',
      stats: { members: 0, queued: 0, inProgress: 0, completed: 0, failed: 0 },
      version: 1,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    expect((await api(ts, 'GET', `/api/campaigns/${created.id}`, { token: t.agent.token })).body).toEqual(created);
    expect((await patch(t.agent.token, created.id, 1, { name: 'Mine' })).status).toBe(403);
    expect((await act(t.agent.token, created.id, 'start')).status).toBe(403);
    expect((await addMembers(t.agent.token, created.id, [await newCustomer(t)])).status).toBe(403);
    expect((await patch(t.supervisor.token, created.id, 1, { objective: 'upsell' })).body).toMatchObject({ objective: 'upsell', version: 2 });
  });

  it('refuses bad input with the path of each problem', async () => {
    const post = (body: unknown) => api(ts, 'POST', '/api/campaigns', { token: t.supervisor.token, body });
    expect(paths(await post({}))).toEqual(['name', 'objective']);
    expect(paths(await post({ name: 'x', objective: 'spam', status: 'running' }))).toEqual(['objective', 'status']);
    const campaign = await newCampaign(t);
    expect(paths(await patch(t.supervisor.token, campaign.id, 1, { name: ' ', stats: {} }))).toEqual(['set.name', 'set.stats']);
    expect(paths(await addMembers(t.supervisor.token, campaign.id, []))).toEqual(['customerIds']);
    expect(paths(await addMembers(t.supervisor.token, campaign.id, ['ok', 'not an id']))).toEqual(['customerIds.1']);
    expect(paths(await api(ts, 'GET', '/api/campaigns?status=live', { token: t.agent.token }))).toEqual(['status']);

    const mine = await newCustomer(t);
    const unknown = await addMembers(t.supervisor.token, campaign.id, [mine, 'nobody0000000000000000', await newCustomer(other), mine]);
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.details).toEqual([
      { path: 'customerIds.1', message: 'no such customer' },
      { path: 'customerIds.2', message: 'no such customer' },
    ]);
    const members = await api(ts, 'GET', `/api/campaigns/${campaign.id}/members`, { token: t.agent.token });
    expect(members.body).toEqual({ items: [], nextCursor: null });
  });
});

describe('members', () => {
  it('adds each customer once, keeps the count right under concurrent adds, and lists newest first', async () => {
    const campaign = await newCampaign(t);
    const [c1, c2, c3, c4] = [await newCustomer(t, 'Amal'), await newCustomer(t, null), await newCustomer(t, 'Omar'), await newCustomer(t, 'Lina')];
    expect((await addMembers(t.supervisor.token, campaign.id, [c1!, c2!, c1!])).body).toEqual({ added: 2, members: 2 });
    expect((await addMembers(t.supervisor.token, campaign.id, [c2!, c3!])).body).toEqual({ added: 1, members: 3 });
    const [x, y] = await Promise.all([
      addMembers(t.supervisor.token, campaign.id, [c3!, c4!]),
      addMembers(t.supervisor.token, campaign.id, [c4!, c1!]),
    ]);
    expect(x.body.added + y.body.added).toBe(1);
    const now = (await api(ts, 'GET', `/api/campaigns/${campaign.id}`, { token: t.agent.token })).body;
    expect(now.stats.members).toBe(4);
    expect(now.version).toBe(4);

    const first = await api(ts, 'GET', `/api/campaigns/${campaign.id}/members?limit=2`, { token: t.agent.token });
    expect(first.body.items).toHaveLength(2);
    expect(first.body.items[0]).toEqual({ customerId: c4, displayName: 'Lina', addedAt: expect.any(String) });
    const rest = await api(ts, 'GET', `/api/campaigns/${campaign.id}/members?limit=2&cursor=${first.body.nextCursor}`, { token: t.agent.token });
    expect(rest.body.nextCursor).toBeNull();
    const listed = [...first.body.items, ...rest.body.items];
    expect(listed.map((m: { customerId: string }) => m.customerId).sort()).toEqual([c1, c2, c3, c4].sort());
    expect(listed.find((m: { customerId: string }) => m.customerId === c2).displayName).toBe('Unknown caller');
  });

  it("lists a customer's campaigns, most recently joined first", async () => {
    const customer = await newCustomer(t);
    const [a, b, c] = [await newCampaign(t, 'A'), await newCampaign(t, 'B'), await newCampaign(t, 'C')];
    for (const campaign of [b, a, c]) await addMembers(t.supervisor.token, campaign.id, [customer]);
    const ctx = ts.server.ctx;
    const page1 = await customerCampaigns(ctx, t.tenant.id, customer, { limit: 2 });
    expect(page1.items.map((x) => x.name)).toEqual(['C', 'A']);
    const page2 = await customerCampaigns(ctx, t.tenant.id, customer, { limit: 2, cursor: page1.nextCursor! });
    expect(page2).toEqual({ items: [expect.objectContaining({ id: b.id, stats: expect.objectContaining({ members: 1 }) })], nextCursor: null });
    expect(await customerCampaigns(ctx, other.tenant.id, customer, { limit: 50 })).toEqual({ items: [], nextCursor: null });
  });
});

describe('status actions', () => {
  it('moves only by the actions, names a refused move, and lets one of two concurrent starts win', async () => {
    const campaign = await newCampaign(t);
    const refused = await act(t.supervisor.token, campaign.id, 'pause');
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({
      code: 'validation_failed',
      details: [{ path: 'status', message: 'cannot pause: cannot move from draft to paused' }],
    });
    expect((await act(t.supervisor.token, campaign.id, 'complete')).status).toBe(400);
    expect((await act(t.supervisor.token, campaign.id, 'launch')).status).toBe(404);

    const starts = await Promise.all([act(t.supervisor.token, campaign.id, 'start'), act(t.admin.token, campaign.id, 'start')]);
    expect(starts.map((s) => s.status).sort()).toEqual([200, 400]);
    expect(starts.find((s) => s.status === 200)!.body).toMatchObject({ status: 'running', version: 2 });
    expect((await act(t.supervisor.token, campaign.id, 'pause')).body).toMatchObject({ status: 'paused', version: 3 });
    expect((await act(t.supervisor.token, campaign.id, 'resume')).body).toMatchObject({ status: 'running', version: 4 });
    expect((await act(t.supervisor.token, campaign.id, 'complete')).body).toMatchObject({ status: 'completed', version: 5 });
    const after = await act(t.supervisor.token, campaign.id, 'resume');
    expect(after.body.error.details).toEqual([{ path: 'status', message: 'cannot resume: cannot move from completed to running' }]);
    const filtered = await api(ts, 'GET', '/api/campaigns?status=completed&limit=200', { token: t.agent.token });
    expect(filtered.body.items.map((x: { id: string }) => x.id)).toContain(campaign.id);
    expect(filtered.body.items.every((x: { status: string }) => x.status === 'completed')).toBe(true);
  });
});

describe('concurrent edits', () => {
  it('merges different fields and answers 409 with the current record on the same field', async () => {
    const campaign = await newCampaign(t);
    await act(t.supervisor.token, campaign.id, 'start');
    const merged = await patch(t.supervisor.token, campaign.id, 1, { name: 'Renewals Q4 (Riyadh)' });
    expect(merged.body).toMatchObject({ name: 'Renewals Q4 (Riyadh)', status: 'running', version: 3 });
    const clash = await patch(t.admin.token, campaign.id, 2, { name: 'Other', objective: 'bookings' });
    expect(clash.status).toBe(409);
    expect(clash.body.error.details).toEqual([{ path: 'name', message: 'changed since your version' }]);
    expect(clash.body.current).toMatchObject({ id: campaign.id, name: 'Renewals Q4 (Riyadh)', version: 3 });
  });
});

describe('tenant isolation', () => {
  it("answers another tenant's campaign ids with 404 on every route and leaves the campaign alone", async () => {
    const theirs = await newCampaign(other);
    const customer = await newCustomer(t);
    const me = t.admin.token;
    expect((await api(ts, 'GET', `/api/campaigns/${theirs.id}`, { token: me })).status).toBe(404);
    expect((await patch(me, theirs.id, 1, { name: 'hijacked' })).status).toBe(404);
    expect((await addMembers(me, theirs.id, [customer])).status).toBe(404);
    expect((await api(ts, 'GET', `/api/campaigns/${theirs.id}/members`, { token: me })).status).toBe(404);
    for (const action of ['start', 'pause', 'resume', 'complete']) expect((await act(me, theirs.id, action)).status, action).toBe(404);
    expect((await api(ts, 'GET', '/api/campaigns/%E2%9C%93', { token: me })).status).toBe(404);
    expect((await api(ts, 'GET', `/api/campaigns/${theirs.id}`, { token: other.agent.token })).body).toEqual(theirs);
  });
});

describe('lists', () => {
  it('pages newest first without duplicates or gaps while campaigns are added', async () => {
    const tenant = await createTenant(ts);
    const before: string[] = [];
    for (let i = 0; i < 8; i++) before.push((await newCampaign(tenant, `C${i}`)).id);
    const seen: string[] = [];
    const paging = (async () => {
      let cursor: string | null = null;
      do {
        const res: { body: any } = await api(ts, 'GET', `/api/campaigns?limit=3${cursor ? `&cursor=${cursor}` : ''}`, { token: tenant.agent.token });
        const ids = res.body.items.map((x: { id: string }) => x.id);
        expect(ids.length).toBeLessThanOrEqual(3);
        expect([...ids].sort().reverse()).toEqual(ids);
        seen.push(...ids);
        cursor = res.body.nextCursor;
        await sleep(5);
      } while (cursor);
    })();
    await Promise.all([paging, ...Array.from({ length: 6 }, (_, i) => newCampaign(tenant, `Late ${i}`))]);
    expect(new Set(seen).size).toBe(seen.length);
    for (const id of before) expect(seen.filter((s) => s === id)).toHaveLength(1);
  });
});

describe('live updates', () => {
  it("sends each change once to every socket of the tenant and nothing to another tenant's", async () => {
    const customer = await newCustomer(t);
    const [mine, theirs] = await Promise.all([connectSocket(ts, { token: t.agent.token }), connectSocket(ts, { token: other.agent.token })]);
    sockets.push(mine, theirs);
    const heard: { event: string; id: string; members: number }[] = [];
    mine.onAny((event: string, change: { data: { id?: string; stats?: { members: number } } | null }) =>
      heard.push({ event, id: change?.data?.id ?? '', members: change?.data?.stats?.members ?? -1 }),
    );
    const leaked: string[] = [];
    theirs.onAny((event: string) => event !== 'heartbeat' && leaked.push(event));

    const campaign = await newCampaign(t);
    await patch(t.supervisor.token, campaign.id, 1, { name: 'Spring' });
    await addMembers(t.supervisor.token, campaign.id, [customer]);
    await addMembers(t.supervisor.token, campaign.id, [customer]); // nothing changes, nothing is sent
    await act(t.supervisor.token, campaign.id, 'start');
    await act(t.supervisor.token, campaign.id, 'start'); // refused, nothing is sent

    const about = () => heard.filter((h) => h.id === campaign.id);
    for (let i = 0; i < 100 && about().length < 4; i++) await sleep(20);
    await sleep(300);
    expect(about().map((h) => `${h.event}:${h.members}`)).toEqual(['campaign.created:0', 'campaign.updated:0', 'campaign.updated:1', 'campaign.updated:1']);
    expect(leaked).toEqual([]);
  });
});
