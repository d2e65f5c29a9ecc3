import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import twilio from 'twilio';
import type { Call } from '@callboard/shared';
import { webhookCallId } from '../src/features/calls/service.ts';
import { api, createTenant, startTestServer, type TestServer, type TestTenant } from './helpers.ts';
import { createEndpoint, deliveriesOf, eventsOf, fixture, latestSeq, okAnswer, sendTwilio, shuffle } from './webhooks-helpers.ts';

type Params = Record<string, string>;
const { callbacks, unanswered } = fixture<{ callbacks: Params[]; unanswered: Params }>('twilio-status-callbacks');
const SID = callbacks[0]!.CallSid!;

let ts: TestServer;
beforeAll(async () => {
  ts = await startTestServer();
});
afterAll(() => ts?.close());

/** A tenant with a Twilio endpoint (its Auth Token as the secret) and a customer holding the callee's number. */
async function setUp() {
  const t = await createTenant(ts);
  const ep = await createEndpoint(ts, t, 'twilio', 'f3c1a9d87e6b5a4c3d2e1f0a9b8c7d6e');
  const customer = (await api(ts, 'POST', '/api/customers', { token: t.agent.token, body: { name: 'Faisal', phone: '+966551234567' } })).body;
  return { t, ep, customer };
}

const getCall = async (t: TestTenant, sid: string) => api<Call>(ts, 'GET', `/api/calls/${webhookCallId(t.tenant.id, sid)}`, { token: t.agent.token });
/** The call as every client sees it, without what differs between tenants. */
const comparable = ({ id: _id, customerId: _c, createdAt: _a, updatedAt: _u, ...rest }: Call) => rest;

describe('Twilio status callbacks', () => {
  it('creates the call from the first callback, links the customer by phone and moves it in order, one event each', async () => {
    const { t, ep, customer } = await setUp();
    for (const [i, cb] of callbacks.entries()) {
      const before = await latestSeq(ts, t.tenant.id);
      expect(okAnswer(await sendTwilio(ts, ep, cb))).toBe('applied');
      const events = (await eventsOf(ts, t.tenant.id)).filter((e) => e.seq > before);
      expect(events.map((e) => e.event)).toEqual([i === 0 ? 'call.created' : 'call.updated']);
      expect(events[0]!.actor).toEqual({ type: 'webhook', id: ep.id, name: 'twilio' });
    }
    const call = (await getCall(t, SID)).body;
    expect(call).toMatchObject({
      status: 'completed',
      direction: 'outbound',
      provider: 'twilio',
      providerCallId: SID,
      customerId: customer.id,
      displayName: 'Faisal',
      from: '+966112345678',
      to: '+966551234567',
      startedAt: '2026-11-26T09:00:00.000Z',
      answeredAt: '2026-11-26T09:00:09.000Z',
      endedAt: '2026-11-26T09:02:32.000Z',
      durationSec: 143,
      failureReason: null,
    });
  });

  it('ends in the in-order state whatever the order and repeats; repeats and stale callbacks emit nothing', async () => {
    const reference = await setUp();
    for (const cb of callbacks) okAnswer(await sendTwilio(ts, reference.ep, cb));
    const expected = comparable((await getCall(reference.t, SID)).body);
    for (const seed of [1, 7, 42, 1234]) {
      const { t, ep, customer } = await setUp();
      const deliveries = shuffle([...callbacks, ...callbacks, callbacks[seed % 4]!], seed);
      for (const cb of deliveries) {
        const before = await latestSeq(ts, t.tenant.id);
        const result = okAnswer(await sendTwilio(ts, ep, cb));
        const after = await latestSeq(ts, t.tenant.id);
        expect(after - before, `${result} of ${cb.CallStatus} (seed ${seed})`).toBe(result === 'applied' ? 1 : 0);
      }
      const call = (await getCall(t, SID)).body;
      expect(comparable(call), `seed ${seed}`).toEqual(expected);
      expect(call.customerId).toBe(customer.id);
      expect(await ts.server.ctx.models.calls.countDocuments({ tenantId: t.tenant.id })).toBe(1);
    }
  });

  it('keeps a terminal status final and records why an unanswered call failed', async () => {
    const { t, ep } = await setUp();
    expect(okAnswer(await sendTwilio(ts, ep, unanswered))).toBe('applied');
    const later = { ...unanswered, CallStatus: 'completed', SequenceNumber: '9', CallDuration: '30' };
    expect(okAnswer(await sendTwilio(ts, ep, later))).toBe('duplicate');
    const ringing = { ...unanswered, CallStatus: 'ringing', SequenceNumber: '1', Timestamp: 'Thu, 26 Nov 2026 09:05:10 +0000' };
    expect(okAnswer(await sendTwilio(ts, ep, ringing))).toBe('applied'); // a late callback fills the earlier start time only
    expect(okAnswer(await sendTwilio(ts, ep, ringing))).toBe('duplicate');
    expect((await getCall(t, unanswered.CallSid!)).body).toMatchObject({
      status: 'no-answer',
      failureReason: 'no-answer',
      durationSec: 0,
      startedAt: '2026-11-26T09:05:10.000Z',
      endedAt: '2026-11-26T09:05:30.000Z',
      customerId: null,
      displayName: '+966 53 111 2233',
    });
  });

  it('takes the JSON variant with bodySHA256 and GET callbacks', async () => {
    const { t, ep } = await setUp();
    const raw = JSON.stringify({ ...callbacks[1], CallSid: 'CAjson0001' });
    const hash = createHash('sha256').update(raw).digest('hex');
    const url = `${ep.url}?bodySHA256=${hash}`;
    const send = (body: string, signature: string) =>
      api(ts, 'POST', new URL(url).pathname + new URL(url).search, { raw: body, headers: { 'content-type': 'application/json', 'x-twilio-signature': signature } });
    expect((await send(raw, twilio.getExpectedTwilioSignature(ep.secret, url, {}))).status).toBe(200);
    expect((await send(raw.replace('ringing', 'busy'), twilio.getExpectedTwilioSignature(ep.secret, url, {}))).status).toBe(401);
    expect((await getCall(t, 'CAjson0001')).body.status).toBe('ringing');

    const query = new URLSearchParams({ ...callbacks[2]!, CallSid: 'CAget0001' }).toString();
    const getUrl = `${ep.url}?${query}`;
    const res = await api(ts, 'GET', new URL(getUrl).pathname + new URL(getUrl).search, {
      headers: { 'x-twilio-signature': twilio.getExpectedTwilioSignature(ep.secret, getUrl, {}) },
    });
    expect(res.status).toBe(200);
    expect((await getCall(t, 'CAget0001')).body.status).toBe('in-progress');
  });

  it("refuses bad, missing, another endpoint's and another tenant's signatures with 401 and stores only a log line", async () => {
    const { t, ep } = await setUp();
    const other = await createEndpoint(ts, t, 'twilio');
    const stranger = await createEndpoint(ts, await createTenant(ts), 'twilio');
    const cb = callbacks[0]!;
    const attempts = [
      sendTwilio(ts, ep, cb, { signature: 'bm90IGEgc2lnbmF0dXJl' }),
      sendTwilio(ts, ep, cb, { signature: '' }),
      sendTwilio(ts, ep, cb, { secret: other.secret }),
      sendTwilio(ts, ep, cb, { secret: stranger.secret }),
      sendTwilio(ts, ep, { ...cb, CallStatus: 'completed' }, { signature: twilio.getExpectedTwilioSignature(ep.secret, ep.url, cb) }),
      sendTwilio(ts, ep, cb, { signature: twilio.getExpectedTwilioSignature(ep.secret, ep.url.replace(/^http:\/\/[^/]+/, 'https://elsewhere.example'), cb) }),
    ];
    for (const [i, res] of (await Promise.all(attempts)).entries()) {
      expect(res.status, `attempt ${i}`).toBe(401);
      expect(res.body.error.code).toBe('invalid_signature');
    }
    expect(await ts.server.ctx.models.calls.countDocuments({ tenantId: t.tenant.id })).toBe(0);
    expect((await eventsOf(ts, t.tenant.id)).filter((e) => e.event.startsWith('call.'))).toEqual([]);
    const lines = await deliveriesOf(ts, t, ep.id);
    expect(lines).toHaveLength(6);
    for (const line of lines) expect(line).toMatchObject({ verified: false, providerKey: null, result: 'rejected', status: 401, errorCode: 'invalid_signature' });
  });

  it('answers 404 for unknown, deleted and wrong-provider endpoints', async () => {
    const { t, ep } = await setUp();
    const cb = callbacks[0]!;
    expect((await sendTwilio(ts, { ...ep, url: ep.url.replace(ep.id, '0000000000000notthere') }, cb)).status).toBe(404);
    expect((await sendTwilio(ts, { ...ep, url: ep.url.replace(ep.id, 'bad%20id') }, cb)).status).toBe(404);
    expect((await sendTwilio(ts, { ...ep, url: ep.url.replace('/twilio/', '/standard/') }, cb)).status).toBe(404);
    expect((await api(ts, 'DELETE', `/api/webhook-endpoints/${ep.id}`, { token: t.admin.token })).status).toBe(204);
    const gone = await sendTwilio(ts, ep, cb);
    expect(gone.status).toBe(404);
    expect(gone.body.error.code).toBe('not_found');
  });

  it('refuses invalid payloads with paths, oversized bodies with 413 and other media types with 415', async () => {
    const { t, ep } = await setUp();
    const bad = await sendTwilio(ts, ep, { ...callbacks[0]!, CallStatus: 'answered-ish', SequenceNumber: 'x' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['CallStatus', 'SequenceNumber']);
    const { CallSid: _drop, ...noSid } = callbacks[0]!;
    expect((await sendTwilio(ts, ep, noSid)).body.error.details).toEqual([{ path: 'CallSid', message: expect.any(String) }]);
    const nul = await sendTwilio(ts, ep, { ...callbacks[0]!, From: '+9661\u00002' });
    expect(nul.status).toBe(400);
    expect(nul.body.error.details[0].path).toBe('From');
    const big = await sendTwilio(ts, ep, { ...callbacks[0]!, Padding: 'x'.repeat(1_100_000) });
    expect(big.status).toBe(413);
    expect(big.body.error.code).toBe('payload_too_large');
    const text = await api(ts, 'POST', new URL(ep.url).pathname, { raw: 'hello', headers: { 'content-type': 'text/plain' } });
    expect(text.status).toBe(415);
    const lines = await deliveriesOf(ts, t, ep.id);
    expect(lines.map((l) => [l.status, l.verified])).toEqual([[415, false], [413, false], [400, true], [400, true], [400, true]]);
    expect(await ts.server.ctx.models.calls.countDocuments({ tenantId: t.tenant.id })).toBe(0);
  });

  it('files the call under the endpoint tenant only, whatever the payload says', async () => {
    const a = await setUp();
    const b = await setUp();
    okAnswer(await sendTwilio(ts, a.ep, { ...callbacks[0]!, AccountSid: 'AC-of-tenant-b', CallSid: 'CAtenant01' }));
    expect((await getCall(a.t, 'CAtenant01')).status).toBe(200);
    expect((await api(ts, 'GET', `/api/calls/${webhookCallId(a.t.tenant.id, 'CAtenant01')}`, { token: b.t.agent.token })).status).toBe(404);
    expect((await getCall(b.t, 'CAtenant01')).status).toBe(404);
    const lines = await deliveriesOf(ts, a.t, a.ep.id);
    expect(lines[0]).toMatchObject({ providerKey: 'CAtenant01#0', verified: true, result: 'applied', status: 200, errorCode: null });
    expect(await deliveriesOf(ts, b.t)).toEqual([]);
  });
});
