import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, createTenant, signIn, startTestServer, type TestServer, type TestTenant } from './helpers.ts';

let ts: TestServer;
let t: TestTenant;
beforeAll(async () => {
  ts = await startTestServer();
  t = await createTenant(ts);
});
afterAll(() => ts?.close());

function sessionCookie(headers: Headers): string {
  const cookie = headers.getSetCookie().find((c) => c.startsWith('cb_session='));
  if (!cookie) throw new Error('no session cookie');
  return cookie.split(';')[0]!;
}

describe('login, me, logout', () => {
  it('signs in with a token and an httpOnly cookie, and me answers the same user', async () => {
    const res = await api(ts, 'POST', '/api/auth/login', { body: { email: t.agent.email.toUpperCase(), password: t.agent.password } });
    expect(res.status).toBe(200);
    expect(res.body.token).toMatch(/^cbs_/);
    expect(res.body.user).toEqual({ id: t.agent.id, email: t.agent.email, name: t.agent.name, role: 'agent' });
    expect(res.body.tenant).toMatchObject({ id: t.tenant.id, slug: t.tenant.slug, name: t.tenant.name });
    const setCookie = res.headers.getSetCookie().join('\n');
    expect(setCookie).toMatch(/cb_session=cbs_/);
    expect(setCookie).toMatch(/HttpOnly/i);

    const me = await api(ts, 'GET', '/api/auth/me', { token: res.body.token });
    expect(me.status).toBe(200);
    expect(me.body).toEqual({ user: res.body.user, tenant: res.body.tenant });
  });

  it('answers a wrong password and an unknown email the same way', async () => {
    const wrong = await api(ts, 'POST', '/api/auth/login', { body: { email: t.agent.email, password: 'not-the-password' } });
    const unknown = await api(ts, 'POST', '/api/auth/login', { body: { email: 'nobody@example.com', password: 'not-the-password' } });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual(unknown.body);
    expect(wrong.body.error.code).toBe('unauthorized');
  });

  it('throttles repeated failures with 429 and Retry-After', async () => {
    const email = `throttle-${Date.now()}@example.com`;
    const statuses: number[] = [];
    let last;
    for (let i = 0; i < 12; i++) {
      last = await api(ts, 'POST', '/api/auth/login', { body: { email, password: 'wrong-password' } });
      statuses.push(last.status);
    }
    expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
    expect(last!.status).toBe(429);
    expect(last!.body.error.code).toBe('rate_limited');
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  });

  it('ends the token on logout', async () => {
    const user = await signIn(ts, t.supervisor.email, t.supervisor.password);
    expect((await api(ts, 'GET', '/api/auth/me', { token: user.token })).status).toBe(200);
    expect((await api(ts, 'POST', '/api/auth/logout', { token: user.token })).status).toBe(204);
    const after = await api(ts, 'GET', '/api/auth/me', { token: user.token });
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe('unauthorized');
  });

  it('refuses missing, malformed and forged credentials with 401', async () => {
    expect((await api(ts, 'GET', '/api/auth/me')).status).toBe(401);
    expect((await api(ts, 'GET', '/api/auth/me', { token: 'cbs_forged' })).status).toBe(401);
    expect((await api(ts, 'GET', '/api/auth/me', { token: `${t.apiKey.slice(0, -4)}AAAA` })).status).toBe(401);
    expect((await api(ts, 'GET', '/api/auth/me', { headers: { authorization: 'Basic abc' } })).status).toBe(401);
  });
});

describe('the CSRF rule', () => {
  it('needs X-Requested-With on cookie-authenticated changes, not on bearer ones', async () => {
    const login = await api(ts, 'POST', '/api/auth/login', { body: { email: t.admin.email, password: t.admin.password } });
    const cookie = sessionCookie(login.headers);
    const read = await api(ts, 'GET', '/api/auth/me', { headers: { cookie } });
    expect(read.status).toBe(200);

    const body = { name: 'Via cookie', role: 'agent', email: `cookie-${Date.now()}@example.com`, password: 'long-enough-pass' };
    const bare = await api(ts, 'POST', '/api/users', { headers: { cookie }, body });
    expect(bare.status).toBe(403);
    expect(bare.body.error.code).toBe('forbidden');
    const guarded = await api(ts, 'POST', '/api/users', { headers: { cookie, 'x-requested-with': 'callboard' }, body });
    expect(guarded.status).toBe(201);
    const bearer = await api(ts, 'POST', '/api/users', { token: t.admin.token, body: { ...body, email: `bearer-${Date.now()}@example.com` } });
    expect(bearer.status).toBe(201);
  });
});

describe('password change', () => {
  it('needs the current password, then the new one works and the old does not', async () => {
    const tt = await createTenant(ts);
    const bad = await api(ts, 'POST', '/api/auth/password', { token: tt.agent.token, body: { current: 'wrong', password: 'brand-new-password' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].path).toBe('current');
    const short = await api(ts, 'POST', '/api/auth/password', { token: tt.agent.token, body: { current: tt.agent.password, password: 'short' } });
    expect(short.status).toBe(400);
    expect(short.body.error.details[0].path).toBe('password');

    const other = await signIn(ts, tt.agent.email, tt.agent.password);
    const ok = await api(ts, 'POST', '/api/auth/password', { token: tt.agent.token, body: { current: tt.agent.password, password: 'brand-new-password' } });
    expect(ok.status).toBe(204);
    // this session goes on; the user's other sessions end
    expect((await api(ts, 'GET', '/api/auth/me', { token: tt.agent.token })).status).toBe(200);
    expect((await api(ts, 'GET', '/api/auth/me', { token: other.token })).status).toBe(401);
    await expect(signIn(ts, tt.agent.email, tt.agent.password)).rejects.toThrow(/401/);
    await expect(signIn(ts, tt.agent.email, 'brand-new-password')).resolves.toMatchObject({ role: 'agent' });
  });
});
