import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, createTenant, startTestServer, type TestServer, type TestTenant } from './helpers.ts';

let ts: TestServer;
let t: TestTenant;
beforeAll(async () => {
  ts = await startTestServer();
  t = await createTenant(ts, { locale: 'ar' });
});
afterAll(() => ts?.close());

describe('tenant settings', () => {
  it('answers defaults for a new tenant', async () => {
    const res = await api(ts, 'GET', '/api/tenant', { token: t.admin.token });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: t.tenant.id,
      slug: t.tenant.slug,
      locale: 'ar',
      timeZone: 'Asia/Riyadh',
      callingHours: { days: [0, 1, 2, 3, 4], start: '09:00', end: '21:00' },
      limits: { bulkPerMinute: 60, maxInFlight: 5, dialsPerSecond: 1 },
      telephony: { provider: 'simulated', accountSid: null, fromNumber: null, authTokenSet: false },
      version: 1,
    });
  });

  it('keeps telephony credentials write-only and sealed at rest', async () => {
    const current = (await api(ts, 'GET', '/api/tenant', { token: t.admin.token })).body;
    const authToken = 'twilio-auth-token-0123456789abcdef';
    const res = await api(ts, 'PATCH', '/api/tenant', {
      token: t.admin.token,
      body: { version: current.version, set: { telephony: { provider: 'twilio', accountSid: 'AC123', authToken, fromNumber: '+966112345678' } } },
    });
    expect(res.status).toBe(200);
    expect(res.body.telephony).toEqual({ provider: 'twilio', accountSid: 'AC123', fromNumber: '+966112345678', authTokenSet: true });
    expect(JSON.stringify(res.body)).not.toContain(authToken);
    const stored = await ts.server.ctx.models.tenants.findById(t.tenant.id).lean().exec();
    expect(JSON.stringify(stored)).not.toContain(authToken);
    expect(ts.server.ctx.secrets.open(stored!.telephony.authTokenSealed!)).toBe(authToken);

    // changing the number keeps the stored token
    const again = await api(ts, 'PATCH', '/api/tenant', {
      token: t.admin.token,
      body: { version: res.body.version, set: { telephony: { provider: 'twilio', accountSid: 'AC123', fromNumber: '+966112345679' } } },
    });
    expect(again.body.telephony.authTokenSet).toBe(true);
  });

  it('validates settings with paths and platform maximums', async () => {
    const current = (await api(ts, 'GET', '/api/tenant', { token: t.admin.token })).body;
    const res = await api(ts, 'PATCH', '/api/tenant', {
      token: t.admin.token,
      body: {
        version: current.version,
        set: { timeZone: 'Mars/Olympus', limits: { bulkPerMinute: 601, maxInFlight: 5, dialsPerSecond: 1 }, callingHours: { days: [7], start: '25:00', end: '10:00' } },
      },
    });
    expect(res.status).toBe(400);
    const paths = res.body.error.details.map((d: { path: string }) => d.path).sort();
    expect(paths).toEqual(['set.callingHours.days.0', 'set.callingHours.start', 'set.limits.bulkPerMinute', 'set.timeZone']);
    expect((await api(ts, 'GET', '/api/tenant', { token: t.admin.token })).body.version).toBe(current.version);
  });

  it('merges concurrent edits of different settings and refuses a stale edit of the same one', async () => {
    const v = (await api(ts, 'GET', '/api/tenant', { token: t.admin.token })).body.version;
    const [a, b] = await Promise.all([
      api(ts, 'PATCH', '/api/tenant', { token: t.admin.token, body: { version: v, set: { name: 'Renamed Rentals' } } }),
      api(ts, 'PATCH', '/api/tenant', { token: t.admin.token, body: { version: v, set: { timeZone: 'Asia/Dubai' } } }),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    const now = (await api(ts, 'GET', '/api/tenant', { token: t.admin.token })).body;
    expect(now).toMatchObject({ name: 'Renamed Rentals', timeZone: 'Asia/Dubai', version: v + 2 });
    const stale = await api(ts, 'PATCH', '/api/tenant', { token: t.admin.token, body: { version: v, set: { name: 'Mine' } } });
    expect(stale.status).toBe(409);
    expect(stale.body.current.name).toBe('Renamed Rentals');
  });
});
