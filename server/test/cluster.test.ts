import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { ChangeEnvelope, Customer, TenantSettings } from '@callboard/shared';
import { startLocalRedis, type LocalRedis } from '../src/cluster/redis-server.ts';
import { api, connectSocket, nextEvent, signIn, type TestSocket } from './helpers.ts';
import { killAll, run } from './spawn.ts';

// Two real server processes, one real redis-server, one database (DESIGN.md "Scaling").
let redis: LocalRedis;
const nodes: { url: string }[] = [];
const adminToken = `operator-${randomBytes(12).toString('hex')}`;
const sockets: TestSocket[] = [];
let admin: { token: string; email: string; password: string };

beforeAll(async () => {
  redis = await startLocalRedis();
  const env = {
    PORT: '0',
    MONGODB_URI: `${inject('mongoBaseUri')}callboard_cluster_${Date.now()}`,
    REDIS_URL: redis.url,
    ADMIN_TOKEN: adminToken,
    SECRETS_KEY: randomBytes(32).toString('base64'),
    DEMO: 'off',
  };
  const started = [run('server/src/main.ts', { ...env, NODE_ID: 'node-a' }), run('server/src/main.ts', { ...env, NODE_ID: 'node-b' })];
  for (const node of started) nodes.push({ url: (await node.waitFor(/Callboard is running at (http:\/\/\S+)/))[1]! });
  const slug = `cluster-${Date.now().toString(36)}`;
  const password = 'cluster-password-1';
  const res = await api(nodes[0]!, 'POST', '/api/admin/tenants', {
    token: adminToken,
    body: { name: 'Cluster', slug, admin: { email: `${slug}@example.com`, password, name: 'Cluster Admin' } },
  });
  expect(res.status).toBe(201);
  const signedIn = await signIn(nodes[1]!, `${slug}@example.com`, password);
  admin = { token: signedIn.token, email: signedIn.email, password };
}, 60_000);

afterAll(async () => {
  for (const s of sockets) s.close();
  killAll();
  await redis?.stop();
});

async function socketOn(node: { url: string }, token: string) {
  const s = await connectSocket(node, { token });
  sockets.push(s);
  return s;
}

describe('two nodes sharing Redis and the database', () => {
  it('report Redis up and their own node ids', async () => {
    const [a, b] = await Promise.all(nodes.map((n) => api(n, 'GET', '/healthz')));
    expect(a!.body).toMatchObject({ status: 'ok', db: 'up', redis: 'up', node: 'node-a' });
    expect(b!.body).toMatchObject({ status: 'ok', db: 'up', redis: 'up', node: 'node-b' });
  });

  it('deliver a change made on one node to a socket on the other', async () => {
    const onB = await socketOn(nodes[1]!, admin.token);
    const heard = nextEvent<ChangeEnvelope<Customer>>(onB, 'customer.created');
    const created = await api(nodes[0]!, 'POST', '/api/customers', { token: admin.token, body: { name: 'Across nodes' } });
    expect(created.status).toBe(201);
    expect((await heard).data.id).toBe(created.body.id);
  });

  it('keep seqs unique and gap-free while both nodes write at once', async () => {
    const onA = await socketOn(nodes[0]!, admin.token);
    const seqs: number[] = [];
    onA.onAny((_event, change: { seq?: number }) => {
      if (typeof change?.seq === 'number') seqs.push(change.seq);
    });
    const writes = Array.from({ length: 20 }, (_, i) =>
      api(nodes[i % 2]!, 'POST', '/api/customers', { token: admin.token, body: { name: `Parallel ${i}` } }),
    );
    expect((await Promise.all(writes)).every((r) => r.status === 201)).toBe(true);
    await new Promise((r) => setTimeout(r, 500));
    const sorted = [...seqs].sort((x, y) => x - y);
    expect(new Set(seqs).size).toBe(20);
    expect(sorted.at(-1)! - sorted[0]!).toBe(19);
  });

  it('merge concurrent edits made through different nodes without losing one', async () => {
    const v = (await api(nodes[0]!, 'GET', '/api/tenant', { token: admin.token })).body as TenantSettings;
    const [x, y] = await Promise.all([
      api(nodes[0]!, 'PATCH', '/api/tenant', { token: admin.token, body: { version: v.version, set: { name: 'Merged name' } } }),
      api(nodes[1]!, 'PATCH', '/api/tenant', { token: admin.token, body: { version: v.version, set: { timeZone: 'Asia/Dubai' } } }),
    ]);
    expect([x.status, y.status]).toEqual([200, 200]);
    const after = (await api(nodes[1]!, 'GET', '/api/tenant', { token: admin.token })).body as TenantSettings;
    expect(after).toMatchObject({ name: 'Merged name', timeZone: 'Asia/Dubai', version: v.version + 2 });
  });

  it('end a session on every node: logout on one disconnects its socket on the other', async () => {
    const session = await signIn(nodes[0]!, admin.email, admin.password);
    const onB = await socketOn(nodes[1]!, session.token);
    const gone = new Promise<string>((resolve) => onB.once('disconnect', resolve));
    expect((await api(nodes[0]!, 'POST', '/api/auth/logout', { token: session.token })).status).toBe(204);
    expect(await gone).toBe('io server disconnect');
    expect((await api(nodes[1]!, 'GET', '/api/auth/me', { token: session.token })).status).toBe(401);
  });

  it('share login throttling across nodes', async () => {
    const email = `nobody-${Date.now()}@example.com`;
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) {
      statuses.push((await api(nodes[i % 2]!, 'POST', '/api/auth/login', { body: { email, password: 'wrong-password' } })).status);
    }
    expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
    expect(statuses[10]).toBe(429);
  });
});
