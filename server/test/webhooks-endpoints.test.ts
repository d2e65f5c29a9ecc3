import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import twilio from 'twilio';
import { Webhook } from 'standardwebhooks';
import type { CreatedWebhookEndpoint, WebhookEndpoint } from '@callboard/shared';
import { startEmbeddedDb } from '../src/db/embedded.ts';
import { createLogger } from '../src/logger.ts';
import { DeliveryLog } from '../src/features/webhooks/deliveries.ts';
import { api, createTenant, startTestServer, type TestServer, type TestTenant } from './helpers.ts';
import { createEndpoint, deliveriesOf, fixture, sendStandard, sendTwilio } from './webhooks-helpers.ts';

const live = fixture('standard-live-session').deliveries[0];
const callback = fixture('twilio-status-callbacks').callbacks[0];

let ts: TestServer;
let t: TestTenant;
beforeAll(async () => {
  ts = await startTestServer();
  t = await createTenant(ts);
});
afterAll(() => ts?.close());

const rawDoc = (id: string) => ts.server.ctx.models.webhookEndpoints.findById(id).lean().exec();

describe('webhook endpoints', () => {
  it('are for admins: created with a given or generated secret shown once, sealed at rest, listed without it', async () => {
    const body = { provider: 'twilio', secret: 'a1b2c3d4e5f60718293a4b5c6d7e8f90' };
    expect((await api(ts, 'POST', '/api/webhook-endpoints', { token: t.supervisor.token, body })).status).toBe(403);
    expect((await api(ts, 'GET', '/api/webhook-endpoints', { token: t.agent.token })).status).toBe(403);
    const given = await api<CreatedWebhookEndpoint>(ts, 'POST', '/api/webhook-endpoints', { token: t.admin.token, body });
    expect(given.status).toBe(201);
    expect(given.body).toMatchObject({ provider: 'twilio', secret: body.secret, url: `${ts.server.ctx.config.publicUrl}/webhooks/twilio/${given.body.id}`, activeSecrets: 1, graceEndsAt: null });
    const generated = await createEndpoint(ts, t, 'standard');
    expect(generated.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(generated.secret.slice(6), 'base64')).toHaveLength(32);

    const list = await api<{ items: WebhookEndpoint[] }>(ts, 'GET', '/api/webhook-endpoints', { token: t.admin.token });
    expect(list.body.items.map((e) => e.id)).toEqual([generated.id, given.body.id]);
    const listed = JSON.stringify(list.body);
    expect(listed).not.toContain(body.secret);
    expect(listed).not.toContain(generated.secret.slice(6, 30));
    expect(list.body.items[0]).not.toHaveProperty('secret');

    for (const [id, secret] of [[given.body.id, body.secret], [generated.id, generated.secret]] as const) {
      const doc = await rawDoc(id);
      const stored = JSON.stringify(doc);
      expect(stored).not.toContain(secret);
      expect(stored).not.toContain(Buffer.from(secret).toString('base64'));
      expect(doc!.secrets[0]!.sealed).toMatch(/^v1\./);
      expect(ts.server.ctx.secrets.open(doc!.secrets[0]!.sealed)).toBe(secret);
    }
  });

  it('refuse bad requests with paths and another tenant’s endpoints with 404', async () => {
    const bad = await api(ts, 'POST', '/api/webhook-endpoints', { token: t.admin.token, body: { provider: 'pager', secret: 'short', extra: 1 } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['extra', 'provider', 'secret']);
    const notWhsec = await api(ts, 'POST', '/api/webhook-endpoints', { token: t.admin.token, body: { provider: 'standard', secret: 'plain-text-secret-value' } });
    expect(notWhsec.body.error.details).toEqual([{ path: 'secret', message: expect.stringMatching(/whsec_/) }]);
    const mine = await createEndpoint(ts, t, 'elevenlabs');
    const other = await createTenant(ts);
    expect((await api(ts, 'POST', `/api/webhook-endpoints/${mine.id}/rotate`, { token: other.admin.token, body: {} })).status).toBe(404);
    expect((await api(ts, 'DELETE', `/api/webhook-endpoints/${mine.id}`, { token: other.admin.token })).status).toBe(404);
    expect((await api(ts, 'POST', `/api/webhook-endpoints/${mine.id}/rotate`, { token: t.admin.token, body: { graceSeconds: -1 } })).body.error.details[0].path).toBe('graceSeconds');
    expect((await rawDoc(mine.id))!.secrets).toHaveLength(1);
  });

  it('rotate with a grace during which old and new secrets verify; after it only the new one does', async () => {
    const ep = await createEndpoint(ts, t, 'standard');
    const rotated = await api(ts, 'POST', `/api/webhook-endpoints/${ep.id}/rotate`, { token: t.admin.token, body: { graceSeconds: 6 } });
    expect(rotated.status).toBe(201);
    expect(rotated.body).toEqual({ id: ep.id, secret: expect.stringMatching(/^whsec_/), graceEndsAt: expect.any(String) });
    const fresh = rotated.body.secret as string;
    const body = JSON.stringify(live.body);
    // one instant for both signatures and the timestamp header, or a second boundary between them fails the check
    const signedAt = new Date();
    const bothSigned = `${new Webhook(ep.secret).sign('msg_g3', signedAt, body)} ${new Webhook(fresh).sign('msg_g3', signedAt, body)}`;
    expect((await sendStandard(ts, ep, 'msg_g1', live.body)).status).toBe(200);
    expect((await sendStandard(ts, ep, 'msg_g2', live.body, { secret: fresh })).status).toBe(200);
    expect((await sendStandard(ts, ep, 'msg_g3', live.body, { signature: bothSigned, at: signedAt })).status).toBe(200);
    const listed = (await api(ts, 'GET', '/api/webhook-endpoints', { token: t.admin.token })).body.items.find((e: WebhookEndpoint) => e.id === ep.id);
    expect(listed).toMatchObject({ activeSecrets: 2, graceEndsAt: rotated.body.graceEndsAt });
    // past the grace, however long the sends above took on a loaded machine
    await new Promise((r) => setTimeout(r, Math.max(0, Date.parse(rotated.body.graceEndsAt) - Date.now()) + 200));
    expect((await sendStandard(ts, ep, 'msg_g4', live.body)).status).toBe(401);
    expect((await sendStandard(ts, ep, 'msg_g5', live.body, { secret: fresh })).status).toBe(200);

    const tw = await createEndpoint(ts, t, 'twilio', 'twilio-auth-token-before-rotation');
    const now = await api(ts, 'POST', `/api/webhook-endpoints/${tw.id}/rotate`, { token: t.admin.token, body: { secret: 'twilio-auth-token-after-rotation', graceSeconds: 0 } });
    expect(now.body).toMatchObject({ secret: 'twilio-auth-token-after-rotation', graceEndsAt: null });
    expect((await sendTwilio(ts, tw, callback)).status).toBe(401);
    expect((await sendTwilio(ts, tw, callback, { secret: 'twilio-auth-token-after-rotation' })).status).toBe(200);
    expect(JSON.stringify(await rawDoc(tw.id))).not.toContain('after-rotation');
  });

  it('check Twilio signatures against PUBLIC_URL, not the address the request reached', async () => {
    const proxied = await startTestServer({ PUBLIC_URL: 'https://callboard.example.sa' });
    try {
      const pt = await createTenant(proxied);
      const ep = await createEndpoint(proxied, pt, 'twilio');
      expect(ep.url).toBe(`https://callboard.example.sa/webhooks/twilio/${ep.id}`);
      expect((await sendTwilio(proxied, ep, callback)).status).toBe(200);
      const withPort = twilio.getExpectedTwilioSignature(ep.secret, ep.url.replace('.sa/', '.sa:443/'), callback);
      expect((await sendTwilio(proxied, ep, callback, { signature: withPort })).status).toBe(200);
      const local = twilio.getExpectedTwilioSignature(ep.secret, `${proxied.url}/webhooks/twilio/${ep.id}`, callback);
      expect((await sendTwilio(proxied, ep, callback, { signature: local })).status).toBe(401);
    } finally {
      await proxied.close();
    }
  });

  it('can be created or rotated by the operator for a tenant slug (the simulator)', async () => {
    const path = `/api/admin/tenants/${t.tenant.slug}/webhook-endpoints`;
    expect((await api(ts, 'POST', path, { body: { provider: 'standard', label: 'simulator' } })).status).toBe(401);
    const first = await api(ts, 'POST', path, { token: ts.adminToken, body: { provider: 'standard', label: 'simulator' } });
    expect(first.status).toBe(201);
    const again = await api(ts, 'POST', path, { token: ts.adminToken, body: { provider: 'standard', label: 'simulator' } });
    expect(again.body).toMatchObject({ id: first.body.id, label: 'simulator', activeSecrets: 2 });
    expect(again.body.secret).not.toBe(first.body.secret);
    expect((await api(ts, 'POST', '/api/admin/tenants/no-such-tenant/webhook-endpoints', { token: ts.adminToken, body: { provider: 'twilio', label: 'x' } })).status).toBe(404);
  });
});

describe('the delivery log', () => {
  it('lists deliveries newest first by endpoint, pages, holds no secret, and is pruned', async () => {
    const lt = await createTenant(ts);
    const ep = await createEndpoint(ts, lt, 'twilio');
    const other = await createEndpoint(ts, lt, 'twilio');
    for (const seq of ['0', '1', '2']) await sendTwilio(ts, ep, { ...callback, CallSid: 'CAlog', SequenceNumber: seq });
    await sendTwilio(ts, ep, callback, { signature: 'forged' });
    await sendTwilio(ts, other, { ...callback, CallSid: 'CAlog2' });
    expect(await deliveriesOf(ts, lt)).toHaveLength(5);
    const page = await api(ts, 'GET', `/api/webhook-deliveries?endpointId=${ep.id}&limit=2`, { token: lt.admin.token });
    expect(page.body.items.map((l: any) => [l.providerKey, l.verified, l.result, l.errorCode])).toEqual([
      [null, false, 'rejected', 'invalid_signature'],
      ['CAlog#2', true, 'applied', null],
    ]);
    const next = await api(ts, 'GET', `/api/webhook-deliveries?endpointId=${ep.id}&cursor=${page.body.nextCursor}`, { token: lt.admin.token });
    expect(next.body.items.map((l: any) => l.providerKey)).toEqual(['CAlog#1', 'CAlog#0']);
    expect(next.body.nextCursor).toBeNull();
    expect(await deliveriesOf(ts, lt)).toHaveLength(5);
    expect(JSON.stringify(await deliveriesOf(ts, lt))).not.toContain(ep.secret);
    expect((await api(ts, 'GET', '/api/webhook-deliveries', { token: lt.supervisor.token })).status).toBe(403);
    expect(await deliveriesOf(ts, t, ep.id)).toEqual([]);
    await new Promise((r) => setTimeout(r, 5));
    expect(await new DeliveryLog(ts.server.ctx).prune(1)).toBeGreaterThanOrEqual(5);
    expect(await deliveriesOf(ts, lt)).toEqual([]);
  });
});

describe('a database outage', () => {
  it('answers 503 so the provider retries', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'callboard-webhook-outage-'));
    const db = await startEmbeddedDb(dir, createLogger('silent', 'test'));
    const node = await startTestServer({ MONGODB_URI: `${db.baseUri}callboard` });
    try {
      const nt = await createTenant(node);
      const ep = await createEndpoint(node, nt, 'twilio');
      await db.stop();
      const res = await sendTwilio(node, ep, callback);
      expect(res.status).toBe(503);
      expect(res.body.error.code).toBe('unavailable');
    } finally {
      await node.close().catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
