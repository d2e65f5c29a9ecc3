import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, createTenant, startTestServer, type TestServer, type TestTenant } from './helpers.ts';

let ts: TestServer;
let t: TestTenant;
beforeAll(async () => {
  ts = await startTestServer();
  t = await createTenant(ts);
});
afterAll(() => ts?.close());

describe('healthz and the error contract', () => {
  it('reports the database, redis and node', async () => {
    const res = await api(ts, 'GET', '/healthz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok', db: 'up', redis: 'off', node: expect.any(String) });
  });

  it('answers unknown API routes with a JSON 404 and a request id header', async () => {
    const res = await api(ts, 'GET', '/api/nope', { token: t.admin.token });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
    expect(res.headers.get('x-request-id')).toMatch(/^[\w-]+$/);
  });

  it('echoes a well-formed incoming x-request-id', async () => {
    const res = await api(ts, 'GET', '/api/auth/me', { token: t.admin.token, headers: { 'x-request-id': 'trace-123' } });
    expect(res.headers.get('x-request-id')).toBe('trace-123');
  });

  it('refuses malformed JSON with a 400', async () => {
    const res = await api(ts, 'POST', '/api/users', {
      token: t.admin.token,
      raw: '{"email": ',
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
  });

  it('refuses a body that is not JSON with a 415', async () => {
    const res = await api(ts, 'POST', '/api/users', {
      token: t.admin.token,
      raw: 'email=a@b.c',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.status).toBe(415);
    expect(res.body.error.code).toBe('unsupported_media_type');
  });

  it('refuses a body over 1 MB with a 413', async () => {
    const res = await api(ts, 'POST', '/api/users', {
      token: t.admin.token,
      body: { email: 'big@example.com', name: 'x'.repeat(1_100_000), role: 'agent', password: 'long-enough-pass' },
    });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('payload_too_large');
  });

  it('refuses unknown keys, operator objects and NUL with paths', async () => {
    const unknown = await api(ts, 'POST', '/api/users', {
      token: t.admin.token,
      body: { email: 'u@example.com', name: 'U', role: 'agent', password: 'long-enough-pass', isRoot: true },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.details).toEqual([{ path: 'isRoot', message: 'is not an allowed field' }]);

    const operator = await api(ts, 'POST', '/api/auth/login', { body: { email: { $gt: '' }, password: 'x' } });
    expect(operator.status).toBe(400);
    expect(operator.body.error.details[0].path).toBe('email');

    const nul = await api(ts, 'POST', '/api/users', {
      token: t.admin.token,
      body: { email: 'n@example.com', name: 'Bad\u0000Name', role: 'agent', password: 'long-enough-pass' },
    });
    expect(nul.status).toBe(400);
    expect(nul.body.error.details).toEqual([{ path: 'name', message: 'must not contain NUL characters' }]);
  });

  it('answers a malformed or unknown id with a 404, not a 500', async () => {
    for (const id of ['not%20an%20id', 'x'.repeat(80), '000000000000000000000']) {
      const res = await api(ts, 'GET', `/api/users/${id}`, { token: t.admin.token });
      expect(res.status, id).toBe(404);
    }
  });

  it('serves the dashboard shell for other paths when the web is built', async () => {
    const res = await fetch(`${ts.url}/customers`);
    expect([200, 404]).toContain(res.status);
    if (res.status === 200) expect(await res.text()).toMatch(/<html/i);
  });
});

describe('provisioning', () => {
  it('needs the operator token', async () => {
    const body = { name: 'X', slug: 'x-unauth', admin: { email: 'x-unauth@example.com', password: 'long-enough-pass', name: 'X' } };
    expect((await api(ts, 'POST', '/api/admin/tenants', { body })).status).toBe(401);
    expect((await api(ts, 'POST', '/api/admin/tenants', { body, token: 'wrong-token-wrong-token' })).status).toBe(401);
    // a tenant's own admin token is not the operator's
    expect((await api(ts, 'POST', '/api/admin/tenants', { body, token: t.admin.token })).status).toBe(401);
  });

  it('answers the contract shape and refuses a taken slug with 409', async () => {
    const slug = `acme-${Date.now().toString(36)}`;
    const body = { name: 'Acme', slug, admin: { email: `${slug}@example.com`, password: 'long-enough-pass', name: 'Ann' } };
    const res = await api(ts, 'POST', '/api/admin/tenants', { body, token: ts.adminToken });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      tenant: { id: expect.any(String), slug, name: 'Acme' },
      admin: { id: expect.any(String), email: `${slug}@example.com` },
      apiKey: { id: expect.any(String), key: expect.stringMatching(/^cbk_/), role: 'admin' },
    });
    const again = await api(ts, 'POST', '/api/admin/tenants', {
      body: { ...body, admin: { ...body.admin, email: `other-${slug}@example.com` } },
      token: ts.adminToken,
    });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('conflict');
    // the key works at once
    const me = await api(ts, 'GET', '/api/auth/me', { token: res.body.apiKey.key });
    expect(me.status).toBe(200);
    expect(me.body.tenant.slug).toBe(slug);
  });

  it('is a 404 when ADMIN_TOKEN is unset', async () => {
    const bare = await startTestServer({ ADMIN_TOKEN: '' });
    try {
      const res = await api(bare, 'POST', '/api/admin/tenants', { token: 'anything-at-all-here', body: {} });
      expect(res.status).toBe(404);
    } finally {
      await bare.close();
    }
  });
});

describe('the API document', () => {
  it('lists every route with its access and body schema', async () => {
    const res = await api(ts, 'GET', '/api/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    expect(res.body.paths['/api/users/{id}'].patch['x-access']).toBe('admin');
    expect(res.body.paths['/api/auth/login'].post.requestBody.content['application/json'].schema.required).toEqual(['email', 'password']);
    const docs = await fetch(`${ts.url}/api/docs`);
    expect(await docs.text()).toContain('/api/admin/tenants');
  });
});
