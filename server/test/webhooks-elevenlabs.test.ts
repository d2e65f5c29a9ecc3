import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ElevenLabsClient } from '@elevenlabs/elevenlabs-js';
import type { Call, VoiceSession } from '@callboard/shared';
import { webhookCallId } from '../src/features/calls/service.ts';
import { conversationSessionId } from '../src/features/voice-sessions/service.ts';
import { api, createTenant, startTestServer, type TestServer } from './helpers.ts';
import {
  createEndpoint,
  deliveriesOf,
  elevenLabsSignature,
  eventsOf,
  fixture,
  latestSeq,
  okAnswer,
  sendElevenLabs,
  sendTwilio,
} from './webhooks-helpers.ts';

const transcription = fixture('elevenlabs-post-call-transcription');
const failure = fixture('elevenlabs-call-initiation-failure');
const { callbacks, unanswered } = fixture('twilio-status-callbacks');
const CONV = transcription.data.conversation_id as string;
const CALL_SID = transcription.data.metadata.phone_call.call_sid as string;

let ts: TestServer;
beforeAll(async () => {
  ts = await startTestServer();
});
afterAll(() => ts?.close());

async function setUp() {
  const t = await createTenant(ts);
  const ep = await createEndpoint(ts, t, 'elevenlabs', 'wsec_3b1f0c9d2e8a7b6c5d4e3f2a1b0c9d8e');
  return { t, ep };
}
const session = async (t: { tenant: { id: string }; agent: { token: string } }, conv = CONV) =>
  (await api<VoiceSession>(ts, 'GET', `/api/voice-sessions/${conversationSessionId(t.tenant.id, conv)}`, { token: t.agent.token })).body;
const call = async (t: { tenant: { id: string }; agent: { token: string } }, sid: string) =>
  (await api<Call>(ts, 'GET', `/api/calls/${webhookCallId(t.tenant.id, sid)}`, { token: t.agent.token })).body;

describe('ElevenLabs signatures', () => {
  it("are the scheme the provider's SDK verifies", async () => {
    const raw = JSON.stringify(transcription);
    const secret = 'wsec_cross_check_secret_0001';
    const client = new ElevenLabsClient({ apiKey: 'any' });
    await expect(client.webhooks.constructEvent(raw, elevenLabsSignature(secret, raw), secret)).resolves.toMatchObject({ type: 'post_call_transcription' });
    await expect(client.webhooks.constructEvent(raw, elevenLabsSignature('another-secret', raw), secret)).rejects.toThrow();
  });

  it('accept any v0 within 30 minutes either way and refuse the rest with 401 and a log line only', async () => {
    const { t, ep } = await setUp();
    const body = { ...failure, data: { ...failure.data, conversation_id: 'conv_sig' } };
    const raw = JSON.stringify(body);
    const min = 60_000;
    const good = elevenLabsSignature(ep.secret, raw, new Date(Date.now() - 29 * min));
    const wrong = elevenLabsSignature('not-the-secret-at-all', raw);
    const refused = [
      elevenLabsSignature(ep.secret, raw, new Date(Date.now() - 31 * min)),
      elevenLabsSignature(ep.secret, raw, new Date(Date.now() + 31 * min)),
      wrong,
      '',
      't=abc,v0=00',
      elevenLabsSignature(ep.secret, raw.replace('no-answer', 'busy')),
    ];
    for (const signature of refused) {
      const res = await sendElevenLabs(ts, ep, body, { signature });
      expect(res.status, signature).toBe(401);
      expect(res.body.error.code).toBe('invalid_signature');
    }
    expect(await ts.server.ctx.models.calls.countDocuments({ tenantId: t.tenant.id })).toBe(0);
    expect(await eventsOf(ts, t.tenant.id)).toEqual([]);
    const twoEntries = `${wrong},v0=${good.split('v0=')[1]}`;
    expect(okAnswer(await sendElevenLabs(ts, ep, body, { signature: twoEntries.replace(/^t=\d+/, good.split(',')[0]!) }))).toBe('applied');
    const lines = await deliveriesOf(ts, t, ep.id);
    expect(lines[0]).toMatchObject({ verified: true, providerKey: 'call_initiation_failure:conv_sig', result: 'applied' });
    for (const line of lines.slice(1)) expect(line).toMatchObject({ verified: false, providerKey: null, status: 401 });
  });
});

describe('ElevenLabs post-call transcription', () => {
  it('creates the finished session, its customer from the external number, and answers a repeat as a duplicate', async () => {
    const { t, ep } = await setUp();
    expect(okAnswer(await sendElevenLabs(ts, ep, transcription))).toBe('applied');
    const s = await session(t);
    expect(s).toMatchObject({
      conversationId: CONV,
      agentId: 'agent_01jz8x4k2rental',
      status: 'done',
      direction: 'outbound',
      from: '+966112345678',
      to: '+966551234567',
      locale: 'ar',
      startedAt: new Date(1795683600 * 1000).toISOString(),
      endedAt: new Date((1795683600 + 143) * 1000).toISOString(),
      durationSec: 143,
      outcome: 'success',
      cost: 296,
      terminationReason: 'end_call tool was called',
      callId: webhookCallId(t.tenant.id, CALL_SID),
      displayName: '+966 55 123 4567',
    });
    expect(s.summary).toMatch(/two-bedroom flat in Al-Malqa/);
    expect(s.transcript).toHaveLength(6);
    expect(s.transcript.map((x) => x.atSec)).toEqual([0, 5, 11, 16, 24, 31]);
    expect(s.dataCollection).toEqual([
      { id: 'bedrooms', value: 2, rationale: 'Stated two bedrooms.' },
      { id: 'budget_sar', value: 50000, rationale: 'About fifty thousand riyals a year.' },
      { id: 'neighborhood', value: 'Al-Malqa', rationale: 'Named حي الملقا.' },
    ]);
    const customer = (await api(ts, 'GET', `/api/customers/${s.customerId}`, { token: t.agent.token })).body;
    expect(customer).toMatchObject({ name: null, phone: '+966551234567', displayName: '+966 55 123 4567', language: 'ar' });
    expect((await eventsOf(ts, t.tenant.id)).map((e) => e.event)).toEqual(['customer.created', 'voice_session.created']);

    const seq = await latestSeq(ts, t.tenant.id);
    expect(okAnswer(await sendElevenLabs(ts, ep, transcription))).toBe('duplicate');
    expect(await latestSeq(ts, t.tenant.id)).toBe(seq);
    expect(await ts.server.ctx.models.customers.countDocuments({ tenantId: t.tenant.id })).toBe(1);
  });

  it('links the customer named by customer_id, ignoring an empty one and another tenant’s', async () => {
    const { t, ep } = await setUp();
    const other = await createTenant(ts);
    const theirs = (await api(ts, 'POST', '/api/customers', { token: other.agent.token, body: { name: 'Not yours' } })).body;
    const mine = (await api(ts, 'POST', '/api/customers', { token: t.agent.token, body: { name: 'Noura' } })).body;
    const withVar = (conv: string, customerId: string) => ({
      ...transcription,
      data: {
        ...transcription.data,
        conversation_id: conv,
        conversation_initiation_client_data: { dynamic_variables: { ...transcription.data.conversation_initiation_client_data.dynamic_variables, customer_id: customerId } },
      },
    });
    okAnswer(await sendElevenLabs(ts, ep, withVar('conv_mine', mine.id)));
    expect((await session(t, 'conv_mine')).displayName).toBe('Noura');
    okAnswer(await sendElevenLabs(ts, ep, withVar('conv_theirs', theirs.id)));
    const byPhone = await session(t, 'conv_theirs');
    expect(byPhone.customerId).not.toBe(theirs.id);
    expect(byPhone.displayName).toBe('+966 55 123 4567');
    okAnswer(await sendElevenLabs(ts, ep, withVar('conv_empty', '')));
    expect((await session(t, 'conv_empty')).customerId).toBe(byPhone.customerId);
  });

  it('meets the call’s Twilio callbacks in one state whichever arrives first', async () => {
    const states = [];
    for (const first of ['twilio', 'elevenlabs'] as const) {
      const { t, ep } = await setUp();
      const tw = await createEndpoint(ts, t, 'twilio');
      const sendCallbacks = async () => {
        for (const cb of callbacks) okAnswer(await sendTwilio(ts, tw, cb));
      };
      if (first === 'twilio') await sendCallbacks();
      okAnswer(await sendElevenLabs(ts, ep, transcription));
      if (first === 'elevenlabs') await sendCallbacks();
      const s = await session(t);
      const c = await call(t, CALL_SID);
      expect(c.voiceSessionId).toBe(s.id);
      expect(c.customerId).toBe(s.customerId);
      expect(c.displayName).toBe('+966 55 123 4567');
      const { id: _i, customerId: _c, voiceSessionId: _v, createdAt: _a, updatedAt: _u, ...rest } = c;
      states.push(rest);
    }
    expect(states[0]).toEqual(states[1]);
  });

  it('refuses payloads without the required fields, with paths', async () => {
    const { t, ep } = await setUp();
    const { agent_id: _a, ...noAgent } = transcription.data;
    const res = await sendElevenLabs(ts, ep, { ...transcription, data: { ...noAgent, transcript: 'none' } });
    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['data.agent_id', 'data.transcript']);
    const noConv = await sendElevenLabs(ts, ep, { type: 'post_call_audio', data: {} });
    expect(noConv.body.error.details).toEqual([{ path: 'data.conversation_id', message: expect.any(String) }]);
    expect((await sendElevenLabs(ts, ep, null, { raw: '{"type":' })).status).toBe(400);
    expect(await ts.server.ctx.models.voiceSessions.countDocuments({ tenantId: t.tenant.id })).toBe(0);
  });
});

describe('ElevenLabs call initiation failure and audio', () => {
  it('marks the call failed unless it already ended, and meets the direct Twilio callback in either order', async () => {
    const results = [];
    for (const first of ['twilio', 'elevenlabs'] as const) {
      const { t, ep } = await setUp();
      const tw = await createEndpoint(ts, t, 'twilio');
      if (first === 'twilio') okAnswer(await sendTwilio(ts, tw, unanswered));
      okAnswer(await sendElevenLabs(ts, ep, failure));
      if (first === 'elevenlabs') expect(okAnswer(await sendTwilio(ts, tw, unanswered))).toBe('duplicate');
      const { id: _i, createdAt: _c, updatedAt: _u, ...rest } = await call(t, unanswered.CallSid);
      results.push(rest);
      expect(okAnswer(await sendElevenLabs(ts, ep, failure))).toBe('duplicate');
    }
    expect(results[0]).toEqual(results[1]);
    expect(results[0]).toMatchObject({ status: 'no-answer', failureReason: 'no-answer', direction: 'outbound', to: '+966531112233' });

    const { t, ep } = await setUp();
    const sip = { type: 'call_initiation_failure', data: { conversation_id: 'conv_sip', agent_id: 'a', failure_reason: 'busy', metadata: { type: 'sip', body: { call_sid: 'CAsip01', from_number: '+966112345678', to_number: '+966501110000', sip_status_code: 486 } } } };
    okAnswer(await sendElevenLabs(ts, ep, sip));
    expect(await call(t, 'CAsip01')).toMatchObject({ status: 'failed', failureReason: 'busy', to: '+966501110000' });
    const tw = await createEndpoint(ts, t, 'twilio');
    for (const cb of callbacks) okAnswer(await sendTwilio(ts, tw, cb));
    const ended = { ...failure, data: { ...failure.data, conversation_id: 'conv_late', metadata: { type: 'sip', body: { call_sid: callbacks[0].CallSid } } } };
    expect(okAnswer(await sendElevenLabs(ts, ep, ended))).toBe('duplicate');
    expect((await call(t, callbacks[0].CallSid)).status).toBe('completed');
  });

  it('acknowledges post-call audio while streaming it, once per conversation; refuses other large bodies and over 50 MB', async () => {
    const { t, ep } = await setUp();
    const audio = (conv: string, mb: number) =>
      `{"type":"post_call_audio","event_timestamp":1795683800,"data":{"agent_id":"a","conversation_id":"${conv}","full_audio":"${'A'.repeat(mb * 1024 * 1024)}"}}`;
    const raw = audio('conv_audio', 3);
    expect(okAnswer(await sendElevenLabs(ts, ep, null, { raw }))).toBe('applied');
    expect(okAnswer(await sendElevenLabs(ts, ep, null, { raw }))).toBe('duplicate');
    const small = audio('conv_audio_small', 0);
    expect(okAnswer(await sendElevenLabs(ts, ep, null, { raw: small }))).toBe('applied');
    const bigTranscript = JSON.stringify({ ...transcription, data: { ...transcription.data, padding: 'x'.repeat(2 * 1024 * 1024) } });
    expect((await sendElevenLabs(ts, ep, null, { raw: bigTranscript })).status).toBe(413);
    const tooBig = await sendElevenLabs(ts, ep, null, { raw: audio('conv_huge', 51) });
    expect(tooBig.status).toBe(413);
    expect(tooBig.body.error.code).toBe('payload_too_large');
    const lines = await deliveriesOf(ts, t, ep.id);
    expect(lines.map((l) => [l.status, l.result, l.providerKey])).toEqual([
      [413, 'rejected', null],
      [413, 'rejected', null],
      [200, 'ignored', 'post_call_audio:conv_audio_small'],
      [200, 'duplicate', 'post_call_audio:conv_audio'],
      [200, 'ignored', 'post_call_audio:conv_audio'],
    ]);
    expect(await eventsOf(ts, t.tenant.id)).toEqual([]);
  });
});
