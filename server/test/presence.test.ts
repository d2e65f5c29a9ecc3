import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { io as connectClient } from 'socket.io-client';
import type { Presence, PresenceViewer } from '@callboard/shared';
import { startLocalRedis, type LocalRedis } from '../src/cluster/redis-server.ts';
import { api, connectSocket, createTenant, signIn, startTestServer, type TestServer, type TestSocket, type TestTenant } from './helpers.ts';
import { killAll, run } from './spawn.ts';

const open: TestSocket[] = [];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Sends a message as an untyped client would, ack or not. */
const raw = (s: TestSocket) => s as unknown as { emit(event: string, ...args: unknown[]): void; emitWithAck(event: string, ...args: unknown[]): Promise<any> };

async function connect(node: { url: string }, token: string) {
  const s = await connectSocket(node, { token });
  open.push(s);
  return s;
}

/** Resolves with the next `presence` of record `id` whose viewers pass `test`. */
function presenceOf(s: TestSocket, id: string, test: (viewers: PresenceViewer[]) => boolean, ms = 5_000): Promise<Presence> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      s.off('presence', listener);
      reject(new Error(`no matching presence of ${id} within ${ms} ms`));
    }, ms);
    const listener = (p: Presence) => {
      if (p.id !== id || !test(p.viewers)) return;
      clearTimeout(timer);
      s.off('presence', listener);
      resolve(p);
    };
    s.on('presence', listener);
  });
}

/** Every `presence` a socket hears from now on. */
function heard(s: TestSocket) {
  const got: Presence[] = [];
  s.on('presence', (p) => got.push(p));
  return got;
}

const userIds = (p: Presence) => p.viewers.map((v) => v.userId);

afterAll(async () => {
  for (const s of open) s.close();
  killAll();
});

describe('presence on one node', () => {
  let ts: TestServer;
  let a: TestTenant;
  let b: TestTenant;
  const customerOf = async (who: TestTenant) => (await api(ts, 'POST', '/api/customers', { token: who.agent.token, body: { name: 'Viewed' } })).body.id as string;

  beforeAll(async () => {
    ts = await startTestServer();
    [a, b] = await Promise.all([createTenant(ts), createTenant(ts)]);
  });
  afterAll(() => ts?.close());

  it('acknowledges join, focus and leave and tells every socket of the tenant, and no other', async () => {
    const id = await customerOf(a);
    const [agent, admin, outsider] = await Promise.all([connect(ts, a.agent.token), connect(ts, a.admin.token), connect(ts, b.agent.token)]);
    const outsiderHeard = heard(outsider);

    const joined = [agent, admin].map((s) => presenceOf(s, id, (v) => v.length === 1));
    expect(await agent.emitWithAck('presence.join', { entity: 'customer', id })).toEqual({ ok: true });
    for (const p of await Promise.all(joined)) {
      expect(p).toEqual({ entity: 'customer', id, viewers: [{ userId: a.agent.id, name: a.agent.name, field: null }] });
    }

    const focused = [agent, admin].map((s) => presenceOf(s, id, (v) => v[0]?.field === 'phone'));
    expect(await agent.emitWithAck('presence.focus', { entity: 'customer', id, field: 'phone' })).toEqual({ ok: true });
    await Promise.all(focused);

    const both = presenceOf(agent, id, (v) => v.length === 2);
    expect(await admin.emitWithAck('presence.join', { entity: 'customer', id })).toEqual({ ok: true });
    expect((await both).viewers).toEqual([
      { userId: a.agent.id, name: a.agent.name, field: 'phone' },
      { userId: a.admin.id, name: a.admin.name, field: null },
    ]);

    const left = [agent, admin].map((s) => presenceOf(s, id, (v) => v.length === 1 && v[0]!.userId === a.admin.id));
    expect(await agent.emitWithAck('presence.leave', { entity: 'customer', id })).toEqual({ ok: true });
    await Promise.all(left);
    const empty = presenceOf(agent, id, (v) => v.length === 0);
    expect(await admin.emitWithAck('presence.leave', { entity: 'customer', id })).toEqual({ ok: true });
    await empty;
    await sleep(300);
    expect(outsiderHeard).toEqual([]);
  });

  it("refuses another tenant's id and an unknown id in the ack and announces nothing", async () => {
    const theirs = await customerOf(b);
    const [attacker, sameTenant, owner] = await Promise.all([connect(ts, a.agent.token), connect(ts, a.admin.token), connect(ts, b.admin.token)]);
    const got = [attacker, sameTenant, owner].map(heard);
    const refused = [theirs, 'NoSuchCustomer0000000'];
    for (const id of refused) {
      for (const [event, extra] of [['presence.join', {}], ['presence.focus', { field: 'name' }], ['presence.leave', {}]] as const) {
        const answer = await raw(attacker).emitWithAck(event, { entity: 'customer', id, ...extra });
        expect(answer, `${event} ${id}`).toEqual({ error: { code: 'not_found', message: 'customer not found' } });
      }
    }
    await sleep(1_500);
    // tenant A may still hear about its own records from earlier tests; never about these
    expect(got.flat().filter((p) => refused.includes(p.id))).toEqual([]);
    expect(got[2]).toEqual([]);
  });

  it('answers malformed messages with validation errors, ignores ones without an ack, and keeps serving', async () => {
    const id = await customerOf(a);
    const s = await connect(ts, a.agent.token);
    const cases: [string, unknown, string][] = [
      ['presence.focus', { entity: 'customer', id, field: 'password' }, 'field'],
      ['presence.focus', { entity: 'customer', id }, 'field'],
      ['presence.join', { entity: 'customer', id, room: `tenant:${b.tenant.id}` }, 'room: is not an allowed field'],
      ['presence.join', { entity: 'ticket', id }, 'entity'],
      ['presence.join', { entity: 'customer', id: 'not an id' }, 'id'],
      ['presence.join', { entity: 'customer', id: 'a\u0000b' }, 'id: must not contain NUL'],
      ['presence.leave', 'customer', ''],
      ['presence.leave', null, ''],
    ];
    for (const [event, payload, message] of cases) {
      const answer = await raw(s).emitWithAck(event, payload);
      expect(answer, `${event} ${JSON.stringify(payload)}`).toEqual({ error: { code: 'validation_failed', message: expect.stringContaining(message) } });
    }
    const got = heard(s);
    raw(s).emit('presence.join', { entity: 'customer', id });
    raw(s).emit('presence.join');
    raw(s).emit('presence.focus', { entity: 'customer', id, field: 'name' }, 'not a callback');
    await sleep(500);
    expect(got).toEqual([]);
    expect(s.connected).toBe(true);
    expect(await s.emitWithAck('presence.focus', { entity: 'customer', id, field: 'name' })).toEqual({
      error: { code: 'conflict', message: expect.stringContaining('join the record') },
    });
    expect(await s.emitWithAck('presence.join', { entity: 'customer', id })).toEqual({ ok: true });
  });

  it('removes a socket that disconnects from every record it viewed', async () => {
    const [x, y] = [await customerOf(a), await customerOf(a)];
    const [watcher, leaver] = await Promise.all([connect(ts, a.admin.token), connect(ts, a.supervisor.token)]);
    for (const id of [x, y]) expect(await leaver.emitWithAck('presence.join', { entity: 'customer', id })).toEqual({ ok: true });
    const gone = [x, y].map((id) => presenceOf(watcher, id, (v) => v.length === 0));
    leaver.close();
    await Promise.all(gone);
  });

  it('lists a user with two tabs once, with the field focused last, until both tabs leave', async () => {
    const id = await customerOf(a);
    const [tab1, tab2, watcher] = await Promise.all([connect(ts, a.agent.token), connect(ts, a.agent.token), connect(ts, a.admin.token)]);
    await tab1.emitWithAck('presence.join', { entity: 'customer', id });
    await tab1.emitWithAck('presence.focus', { entity: 'customer', id, field: 'email' });
    const afterTab2 = presenceOf(watcher, id, () => true);
    await tab2.emitWithAck('presence.join', { entity: 'customer', id });
    expect((await afterTab2).viewers).toEqual([{ userId: a.agent.id, name: a.agent.name, field: 'email' }]);
    const tags = presenceOf(watcher, id, (v) => v[0]?.field === 'tags');
    await tab2.emitWithAck('presence.focus', { entity: 'customer', id, field: 'tags' });
    expect((await tags).viewers).toHaveLength(1);
    const oneTab = presenceOf(watcher, id, (v) => v[0]?.field === 'email');
    tab2.close();
    expect((await oneTab).viewers).toEqual([{ userId: a.agent.id, name: a.agent.name, field: 'email' }]);
    const none = presenceOf(watcher, id, (v) => v.length === 0);
    tab1.close();
    await none;
  });

  it("tells a socket that connects who is already on the tenant's records, and no one else", async () => {
    const id = await customerOf(a);
    const viewer = await connect(ts, a.supervisor.token);
    await viewer.emitWithAck('presence.join', { entity: 'customer', id });
    await sleep(1_200); // the join's own announcements are over: what comes next is the snapshot
    // listeners go on before connecting: the snapshot follows the handshake at once
    const late = [a, b].map((who) => {
      const s: TestSocket = connectClient(ts.url, { path: '/socket.io', transports: ['websocket'], reconnection: false, forceNew: true, autoConnect: false, auth: { token: who.admin.token } });
      open.push(s);
      const got = heard(s);
      s.connect();
      return got;
    });
    await sleep(1_000);
    const [mine, theirs] = late;
    expect(mine!.filter((p) => p.id === id)).toEqual([{ entity: 'customer', id, viewers: [{ userId: a.supervisor.id, name: a.supervisor.name, field: null }] }]);
    expect(theirs).toEqual([]);
  });
});

describe('presence across two nodes sharing Redis', () => {
  let redis: LocalRedis;
  let nodeA: ReturnType<typeof run>;
  const nodes: { url: string }[] = [];
  const adminToken = `operator-${randomBytes(12).toString('hex')}`;
  let users: { first: { id: string; token: string }; second: { id: string; token: string } };
  let customerId: string;

  beforeAll(async () => {
    redis = await startLocalRedis();
    const env = {
      PORT: '0',
      MONGODB_URI: `${inject('mongoBaseUri')}callboard_presence_${Date.now()}`,
      REDIS_URL: redis.url,
      ADMIN_TOKEN: adminToken,
      SECRETS_KEY: randomBytes(32).toString('base64'),
      DEMO: 'off',
    };
    nodeA = run('server/src/main.ts', { ...env, NODE_ID: 'node-a' });
    const started = [nodeA, run('server/src/main.ts', { ...env, NODE_ID: 'node-b' })];
    for (const node of started) nodes.push({ url: (await node.waitFor(/Callboard is running at (http:\/\/\S+)/))[1]! });
    const slug = `presence-${Date.now().toString(36)}`;
    const password = 'presence-password-1';
    const res = await api(nodes[0]!, 'POST', '/api/admin/tenants', {
      token: adminToken,
      body: { name: 'Presence', slug, admin: { email: `${slug}@example.com`, password, name: 'First Admin' } },
    });
    expect(res.status).toBe(201);
    const first = await signIn(nodes[0]!, `${slug}@example.com`, password);
    const made = await api(nodes[0]!, 'POST', '/api/users', {
      token: first.token,
      body: { email: `second-${slug}@example.com`, name: 'Second Agent', role: 'agent', password },
    });
    expect(made.status).toBe(201);
    const second = await signIn(nodes[1]!, `second-${slug}@example.com`, password);
    users = { first, second };
    customerId = (await api(nodes[0]!, 'POST', '/api/customers', { token: first.token, body: { name: 'Shared' } })).body.id;
  }, 60_000);

  afterAll(async () => {
    killAll();
    await redis?.stop();
  });

  it('shows a viewer on node A to a socket on node B, and a disconnect on A too', async () => {
    const [onA, onB] = await Promise.all([connect(nodes[0]!, users.first.token), connect(nodes[1]!, users.second.token)]);
    const seen = presenceOf(onB, customerId, (v) => v.some((x) => x.userId === users.first.id && x.field === 'stage'));
    expect(await onA.emitWithAck('presence.join', { entity: 'customer', id: customerId })).toEqual({ ok: true });
    expect(await onA.emitWithAck('presence.focus', { entity: 'customer', id: customerId, field: 'stage' })).toEqual({ ok: true });
    await seen;
    const gone = presenceOf(onB, customerId, (v) => v.length === 0);
    onA.close();
    await gone;
  });

  it("drops a killed node's viewers within 30 seconds and keeps the others", async () => {
    const [onA, onB] = await Promise.all([connect(nodes[0]!, users.first.token), connect(nodes[1]!, users.second.token)]);
    await onB.emitWithAck('presence.join', { entity: 'customer', id: customerId });
    const both = presenceOf(onB, customerId, (v) => v.length === 2);
    await onA.emitWithAck('presence.join', { entity: 'customer', id: customerId });
    expect(userIds(await both)).toEqual([users.second.id, users.first.id]);

    const onlyB = presenceOf(onB, customerId, (v) => v.length === 1 && v[0]!.userId === users.second.id, 32_000);
    const killedAt = Date.now();
    nodeA.child.kill('SIGKILL');
    await onlyB;
    expect(Date.now() - killedAt).toBeLessThan(30_000);
  }, 45_000);
});
