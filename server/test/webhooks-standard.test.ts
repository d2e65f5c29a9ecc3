import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import type { Call, VoiceSession } from '@callboard/shared';
import { webhookCallId } from '../src/features/calls/service.ts';
import { conversationSessionId } from '../src/features/voice-sessions/service.ts';
import { api, connectSocket, createTenant, startTestServer, type TestServer, type TestTenant } from './helpers.ts';
import { createEndpoint, deliveriesOf, eventsOf, fixture, latestSeq, okAnswer, sendElevenLabs, sendStandard, sendTwilio, shuffle } from './webhooks-helpers.ts';

interface StandardDelivery {
  id: string;
  body: { type: string; data: Record<string, unknown> };
}
const { deliveries } = fixture<{ deliveries: StandardDelivery[] }>('standard-live-session');
const CONV = 'conv_live_7Hn2';
const CALL_SID = 'CA5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b';

let ts: TestServer;
beforeAll(async () => {
  ts = await startTestServer();
});
afterAll(() => ts?.close());

async function setUp() {
  const t = await createTenant(ts);
  const ep = await createEndpoint(ts, t, 'standard');
  return { t, ep };
}
const sessionOf = async (t: TestTenant, conv = CONV) =>
  api<VoiceSession>(ts, 'GET', `/api/voice-sessions/${conversationSessionId(t.tenant.id, conv)}`, { token: t.agent.token });
const callOf = async (t: TestTenant) => api<Call>(ts, 'GET', `/api/calls/${webhookCallId(t.tenant.id, CALL_SID)}`, { token: t.agent.token });
/** The session and call as every client sees them, without what differs between tenants. */
async function state(t: TestTenant) {
  const { id: _s, callId: _c, createdAt: _a, updatedAt: _u, ...session } = (await sessionOf(t)).body;
  const { id: _i, voiceSessionId, createdAt: _b, updatedAt: _v, ...call } = (await callOf(t)).body;
  return { session, call, linked: voiceSessionId === conversationSessionId(t.tenant.id, CONV) };
}

describe('Standard Webhooks live sessions', () => {
  it('streams the fixture into a live session, its turns and its call, one event per change', async () => {
    const { t, ep } = await setUp();
    const seen: string[][] = [];
    for (const d of deliveries) {
      const before = await latestSeq(ts, t.tenant.id);
      expect(okAnswer(await sendStandard(ts, ep, d.id, d.body))).toBe('applied');
      seen.push((await eventsOf(ts, t.tenant.id)).filter((e) => e.seq > before).map((e) => e.event));
    }
    expect(seen).toEqual([
      ['voice_session.created'],
      ['call.created'],
      ['voice_session.turn'],
      ['voice_session.turn'],
      ['voice_session.turn'],
      ['voice_session.updated'],
      ['call.updated'],
    ]);
    const s = (await sessionOf(t)).body;
    expect(s).toMatchObject({
      status: 'done',
      direction: 'inbound',
      from: '+966504443322',
      to: '+966112345678',
      locale: 'ar-SA',
      agentId: 'agent_support',
      startedAt: '2026-11-26T09:10:00.000Z',
      endedAt: '2026-11-26T09:10:41.000Z',
      durationSec: 41,
      outcome: 'success',
      summary: 'Leaking kitchen tap in MG13; urgent plumbing ticket opened.',
      callId: webhookCallId(t.tenant.id, CALL_SID),
      displayName: '+966 50 444 3322',
    });
    expect(s.transcript.map((x) => x.atSec)).toEqual([0.4, 4.1, 9.8]);
    expect((await callOf(t)).body).toMatchObject({
      status: 'completed',
      direction: 'inbound',
      from: '+966504443322',
      voiceSessionId: s.id,
      answeredAt: '2026-11-26T09:10:00.500Z',
      endedAt: '2026-11-26T09:10:41.200Z',
      durationSec: 41,
    });
    const turn = (await eventsOf(ts, t.tenant.id)).find((e) => e.event === 'voice_session.turn')!;
    expect(turn.data).toEqual({ sessionId: s.id, conversationId: CONV, turn: { role: 'agent', text: 'مرحباً، معك مساعد الصيانة. وش المشكلة؟', atSec: 0.4 } });
  });

  it('ends in the in-order state whatever the order; repeats emit nothing and turns are never doubled', async () => {
    const reference = await setUp();
    for (const d of deliveries) okAnswer(await sendStandard(ts, reference.ep, d.id, d.body));
    const expected = await state(reference.t);
    for (const seed of [3, 11, 2024]) {
      const { t, ep } = await setUp();
      // Repeats under the same webhook-id, and the same event again under a new id (a bridge that re-sent it).
      const resent = deliveries.map((d) => ({ ...d, id: `${d.id}-again` }));
      for (const d of shuffle([...deliveries, ...deliveries, ...resent], seed)) {
        const before = await latestSeq(ts, t.tenant.id);
        const result = okAnswer(await sendStandard(ts, ep, d.id, d.body));
        const emitted = (await latestSeq(ts, t.tenant.id)) - before;
        if (result === 'duplicate') expect(emitted, `${d.id} (seed ${seed})`).toBe(0);
        else expect(emitted, `${d.id} (seed ${seed})`).toBeGreaterThan(0);
      }
      const got = await state(t);
      expect(got, `seed ${seed}`).toEqual(expected);
      expect(got.linked).toBe(true);
      const events = await eventsOf(ts, t.tenant.id);
      const count = (name: string) => events.filter((e) => e.event === name).length;
      expect([count('voice_session.created'), count('voice_session.turn'), count('call.created')]).toEqual([1, 3, 1]);
    }
  });

  it('keeps turns that arrive before their session started, in atSec order, and drops tool turns without text', async () => {
    const { t, ep } = await setUp();
    const turn = (id: string, atSec: number, role: string, text: string | null) =>
      sendStandard(ts, ep, id, { type: 'voice_session.turn', data: { conversationId: 'conv_early', role, text, atSec } });
    okAnswer(await turn('e1', 7.5, 'user', 'ثانياً'));
    expect((await sessionOf(t, 'conv_early')).body).toMatchObject({ status: 'live', transcript: [{ role: 'user', text: 'ثانياً', atSec: 7.5 }] });
    for (const [id, res] of [['e2', await turn('e2', 3, 'tool', null)], ['e3', await turn('e3', 1, 'agent', '')]] as const) {
      expect(res.body, id).toEqual({ ok: true });
    }
    expect((await deliveriesOf(ts, t, ep.id)).slice(0, 2).map((l) => l.result)).toEqual(['ignored', 'ignored']);
    okAnswer(await turn('e4', 2.25, 'agent', 'First'));
    const started = { ...deliveries[0]!.body, data: { ...deliveries[0]!.body.data, conversationId: 'conv_early', callSid: undefined } };
    expect(okAnswer(await sendStandard(ts, ep, 'e5', started))).toBe('applied');
    const s = (await sessionOf(t, 'conv_early')).body;
    expect(s.transcript.map((x) => x.text)).toEqual(['First', 'ثانياً']);
    expect(s.startedAt).toBe('2026-11-26T09:10:00.000Z');
  });

  it('gives way to the post-call transcript, whichever comes first', async () => {
    const transcription = fixture('elevenlabs-post-call-transcription');
    const post = { ...transcription, data: { ...transcription.data, conversation_id: CONV, metadata: { ...transcription.data.metadata, phone_call: null } } };
    const results = [];
    for (const postFirst of [true, false]) {
      const { t, ep } = await setUp();
      const el = await createEndpoint(ts, t, 'elevenlabs');
      if (postFirst) okAnswer(await sendElevenLabs(ts, el, post));
      for (const d of deliveries) okAnswer(await sendStandard(ts, ep, d.id, d.body));
      if (!postFirst) okAnswer(await sendElevenLabs(ts, el, post));
      const s = (await sessionOf(t)).body;
      expect(s.transcript).toHaveLength(6);
      expect(s.durationSec).toBe(143);
      const { id: _i, customerId: _c, createdAt: _a, updatedAt: _u, callId: _l, ...rest } = s;
      results.push(rest);
    }
    expect(results[0]).toEqual(results[1]);
  });

  it('refuses bad, stale and future signatures and another secret with 401, and invalid events with paths', async () => {
    const { t, ep } = await setUp();
    const other = await createEndpoint(ts, await createTenant(ts), 'standard');
    const d = deliveries[0]!;
    const min = 60_000;
    const refused = [
      sendStandard(ts, ep, d.id, d.body, { secret: other.secret }),
      sendStandard(ts, ep, d.id, d.body, { at: new Date(Date.now() - 6 * min) }),
      sendStandard(ts, ep, d.id, d.body, { at: new Date(Date.now() + 6 * min) }),
      sendStandard(ts, ep, d.id, d.body, { signature: '' }),
      sendStandard(ts, ep, d.id, d.body, { signature: 'v1,bm90IGEgc2lnbmF0dXJlIGF0IGFsbCwgbm90IGF0IGFsbA==' }),
      sendStandard(ts, ep, 'msg_other', d.body, { signature: new Webhook(ep.secret).sign(d.id, new Date(), JSON.stringify(d.body)) }),
    ];
    for (const res of await Promise.all(refused)) expect(res.body.error?.code).toBe('invalid_signature');
    const ok = await sendStandard(ts, ep, d.id, d.body, { at: new Date(Date.now() - 4 * min) });
    expect(ok.status).toBe(200);

    const bad = await sendStandard(ts, ep, 'b1', { type: 'voice_session.turn', data: { conversationId: CONV, role: 'user', text: 'a\u0000b', atSec: 'soon' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details).toEqual([{ path: 'data.text', message: 'must not contain NUL characters' }]);
    const wrongTypes = await sendStandard(ts, ep, 'b2', { type: 'voice_session.turn', data: { conversationId: CONV, role: 'user', text: 'x', atSec: 'soon' } });
    expect(wrongTypes.body.error.details.map((x: { path: string }) => x.path)).toEqual(['data.atSec']);
    const unknown = await sendStandard(ts, ep, 'b3', { type: 'voice_session.paused', data: {} });
    expect(unknown.body.error.details[0].path).toBe('type');
    const lines = await deliveriesOf(ts, t, ep.id);
    expect(lines.filter((l) => l.status === 401).every((l) => !l.verified && l.providerKey === null)).toBe(true);
    expect(lines.filter((l) => l.status === 400).map((l) => l.providerKey)).toEqual(['b3', 'b2', 'b1']);
  });

  it("sends each step of a call to its tenant's sockets, and none to another tenant's", async () => {
    const a = await setUp();
    const b = await setUp();
    const [sa, sb] = await Promise.all([connectSocket(ts, { token: a.t.supervisor.token }), connectSocket(ts, { token: b.t.supervisor.token })]);
    const heardA: { event: string; seq: number; data: any }[] = [];
    const heardB: string[] = [];
    sa.onAny((event, env) => heardA.push({ event, seq: env?.seq, data: env?.data }));
    sb.onAny((event) => heardB.push(event));
    try {
      const tw = await createEndpoint(ts, a.t, 'twilio');
      const callback = (status: string, seq: number) => ({ CallSid: CALL_SID, CallStatus: status, SequenceNumber: String(seq), From: '+966504443322', To: '+966112345678', Direction: 'inbound', Timestamp: new Date().toUTCString() });
      okAnswer(await sendTwilio(ts, tw, callback('ringing', 1)));
      for (const d of deliveries) okAnswer(await sendStandard(ts, a.ep, d.id, d.body));
      const expected = ['call.created', 'voice_session.created', 'call.updated', 'call.updated', 'voice_session.turn', 'voice_session.turn', 'voice_session.turn', 'voice_session.updated', 'call.updated'];
      await expect.poll(() => heardA.filter((e) => e.event !== 'heartbeat').map((e) => e.event), { timeout: 5_000 }).toEqual(expected);
      const statuses = heardA.filter((e) => e.event.startsWith('call.')).map((e) => e.data.status);
      expect(statuses).toEqual(['ringing', 'ringing', 'in-progress', 'completed']);
      const seqs = heardA.filter((e) => e.event !== 'heartbeat').map((e) => e.seq);
      expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
      await new Promise((r) => setTimeout(r, 300));
      expect(heardB.filter((e) => e !== 'heartbeat')).toEqual([]);
    } finally {
      sa.close();
      sb.close();
    }
  });
});
