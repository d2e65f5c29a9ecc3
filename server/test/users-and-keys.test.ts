import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, createTenant, signIn, startTestServer, type TestServer, type TestTenant } from './helpers.ts';

let ts: TestServer;
let t: TestTenant;
let other: TestTenant;
beforeAll(async () => {
  ts = await startTestServer();
  [t, other] = await Promise.all([createTenant(ts), createTenant(ts)]);
});
afterAll(() => ts?.close());

const newUser = (role = 'agent') => ({
  email: `u-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}@example.com`,
  name: 'New Person',
  role,
  password: 'long-enough-pass',
});

describe('roles', () => {
  it.each([
    ['GET', '/api/users'],
    ['POST', '/api/users'],
    ['GET', '/api/api-keys'],
    ['POST', '/api/api-keys'],
    ['GET', '/api/tenant'],
    ['PATCH', '/api/tenant'],
  ])('%s %s is for admins only', async (method, path) => {
    for (const who of [t.agent, t.supervisor]) {
      const res = await api(ts, method, path, { token: who.token, body: method === 'GET' ? undefined : {} });
      expect(res.status, who.role).toBe(403);
      expect(res.body.error.code).toBe('forbidden');
    }
  });

  it('lets an API key act with its own role', async () => {
    const created = await api(ts, 'POST', '/api/api-keys', { token: t.admin.token, body: { name: 'Agent bot', role: 'agent' } });
    expect(created.status).toBe(201);
    expect((await api(ts, 'GET', '/api/auth/me', { token: created.body.key })).body.user.role).toBe('agent');
    expect((await api(ts, 'GET', '/api/users', { token: created.body.key })).status).toBe(403);
  });
});

describe('users', () => {
  it('creates, lists newest first with cursors, and refuses a taken email', async () => {
    const u = newUser('supervisor');
    const created = await api(ts, 'POST', '/api/users', { token: t.admin.token, body: u });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ email: u.email, name: u.name, role: 'supervisor', disabled: false, version: 1 });
    expect(created.body).not.toHaveProperty('passwordHash');

    const dup = await api(ts, 'POST', '/api/users', { token: other.admin.token, body: { ...u, email: u.email.toUpperCase() } });
    expect(dup.status).toBe(409);
    expect(dup.body.error.details).toEqual([{ path: 'email', message: 'already used' }]);

    const page1 = await api(ts, 'GET', '/api/users?limit=2', { token: t.admin.token });
    expect(page1.status).toBe(200);
    expect(page1.body.items).toHaveLength(2);
    expect(page1.body.items[0].id).toBe(created.body.id);
    const page2 = await api(ts, 'GET', `/api/users?limit=200&cursor=${page1.body.nextCursor}`, { token: t.admin.token });
    const ids = [...page1.body.items, ...page2.body.items].map((x: { id: string }) => x.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(expect.arrayContaining([t.admin.id, t.agent.id, t.supervisor.id, created.body.id]));
    expect(page2.body.nextCursor).toBeNull();
    const bad = await api(ts, 'GET', '/api/users?limit=500', { token: t.admin.token });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].path).toBe('limit');
  });

  it('merges edits of different fields and answers 409 with the current record on the same field', async () => {
    const created = (await api(ts, 'POST', '/api/users', { token: t.admin.token, body: newUser() })).body;
    const a = await api(ts, 'PATCH', `/api/users/${created.id}`, { token: t.admin.token, body: { version: 1, set: { name: 'Renamed' } } });
    expect(a.status).toBe(200);
    expect(a.body.version).toBe(2);
    // based on version 1, but role was not changed since: merged
    const b = await api(ts, 'PATCH', `/api/users/${created.id}`, { token: t.admin.token, body: { version: 1, set: { role: 'supervisor' } } });
    expect(b.status).toBe(200);
    expect(b.body).toMatchObject({ name: 'Renamed', role: 'supervisor', version: 3 });
    // name changed at version 2, after version 1: conflict
    const c = await api(ts, 'PATCH', `/api/users/${created.id}`, { token: t.admin.token, body: { version: 1, set: { name: 'Mine' } } });
    expect(c.status).toBe(409);
    expect(c.body.error.details).toEqual([{ path: 'name', message: 'changed since your version' }]);
    expect(c.body.current).toMatchObject({ id: created.id, name: 'Renamed', version: 3 });
    const empty = await api(ts, 'PATCH', `/api/users/${created.id}`, { token: t.admin.token, body: { version: 3, set: {} } });
    expect(empty.status).toBe(400);
  });

  it('ends a disabled user at once and lets an admin reset a password', async () => {
    const u = newUser();
    const created = (await api(ts, 'POST', '/api/users', { token: t.admin.token, body: u })).body;
    const session = await signIn(ts, u.email, u.password);
    expect((await api(ts, 'GET', '/api/auth/me', { token: session.token })).status).toBe(200);

    const reset = await api(ts, 'POST', `/api/users/${created.id}/password`, { token: t.admin.token, body: { password: 'reset-by-admin-1' } });
    expect(reset.status).toBe(204);
    expect((await api(ts, 'GET', '/api/auth/me', { token: session.token })).status).toBe(401);
    const again = await signIn(ts, u.email, 'reset-by-admin-1');

    const disabled = await api(ts, 'PATCH', `/api/users/${created.id}`, { token: t.admin.token, body: { version: 1, set: { disabled: true } } });
    expect(disabled.status).toBe(200);
    expect((await api(ts, 'GET', '/api/auth/me', { token: again.token })).status).toBe(401);
    await expect(signIn(ts, u.email, 'reset-by-admin-1')).rejects.toThrow(/401/);
  });

  it('does not let an admin demote or disable themselves', async () => {
    const res = await api(ts, 'PATCH', `/api/users/${t.admin.id}`, { token: t.admin.token, body: { version: 1, set: { role: 'agent' } } });
    expect(res.status).toBe(403);
  });

  it("answers another tenant's user ids with 404", async () => {
    const id = other.agent.id;
    expect((await api(ts, 'GET', `/api/users/${id}`, { token: t.admin.token })).status).toBe(404);
    expect((await api(ts, 'PATCH', `/api/users/${id}`, { token: t.admin.token, body: { version: 1, set: { name: 'x' } } })).status).toBe(404);
    expect((await api(ts, 'POST', `/api/users/${id}/password`, { token: t.admin.token, body: { password: 'long-enough-pass' } })).status).toBe(404);
    // and the other tenant's user is untouched
    expect((await api(ts, 'GET', '/api/auth/me', { token: other.agent.token })).status).toBe(200);
  });
});

describe('API keys', () => {
  it('creates a key shown once, lists it by prefix without secrets, and refuses it at once when deleted', async () => {
    const created = await api(ts, 'POST', '/api/api-keys', { token: t.admin.token, body: { name: 'CRM sync', role: 'supervisor' } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'CRM sync', role: 'supervisor', prefix: expect.stringMatching(/^cbk_/) });
    expect(created.body.key.startsWith(created.body.prefix)).toBe(true);

    const me = await api(ts, 'GET', '/api/auth/me', { token: created.body.key });
    expect(me.status).toBe(200);
    const list = await api(ts, 'GET', '/api/api-keys', { token: t.admin.token });
    const listed = list.body.items.find((k: { id: string }) => k.id === created.body.id);
    expect(listed).toEqual({
      id: created.body.id,
      name: 'CRM sync',
      role: 'supervisor',
      prefix: created.body.prefix,
      createdAt: expect.any(String),
      lastUsedAt: expect.any(String),
      expiresAt: null,
    });
    expect(JSON.stringify(list.body)).not.toContain(created.body.key);

    expect((await api(ts, 'DELETE', `/api/api-keys/${created.body.id}`, { token: other.admin.token })).status).toBe(404);
    expect((await api(ts, 'DELETE', `/api/api-keys/${created.body.id}`, { token: t.admin.token })).status).toBe(204);
    expect((await api(ts, 'GET', '/api/auth/me', { token: created.body.key })).status).toBe(401);
    expect((await api(ts, 'DELETE', `/api/api-keys/${created.body.id}`, { token: t.admin.token })).status).toBe(404);
  });

  it('refuses an expired key', async () => {
    const soon = new Date(Date.now() + 1500).toISOString();
    const created = await api(ts, 'POST', '/api/api-keys', { token: t.admin.token, body: { name: 'Short', role: 'agent', expiresAt: soon } });
    expect(created.status).toBe(201);
    expect((await api(ts, 'GET', '/api/auth/me', { token: created.body.key })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1700));
    expect((await api(ts, 'GET', '/api/auth/me', { token: created.body.key })).status).toBe(401);
  });

  it('validates the request', async () => {
    const res = await api(ts, 'POST', '/api/api-keys', { token: t.admin.token, body: { name: '', role: 'root' } });
    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['name', 'role']);
  });
});

describe('signing in again after changes', () => {
  it('keeps logins separate per tenant', async () => {
    const a = await signIn(ts, t.agent.email, t.agent.password);
    const me = await api(ts, 'GET', '/api/auth/me', { token: a.token });
    expect(me.body.tenant.id).toBe(t.tenant.id);
  });
});
