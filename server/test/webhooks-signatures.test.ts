import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import twilio from 'twilio';
import { Webhook } from 'standardwebhooks';
import { ElevenLabsClient } from '@elevenlabs/elevenlabs-js';
import type { Call, VoiceSession } from '@callboard/shared';
import { elevenLabsVerifier, twilioSignedUrls, verifyStandard, verifyTwilio } from '../src/features/webhooks/verify.ts';
import { generateWebhookSecret } from '../src/features/webhook-endpoints/service.ts';
import { callScenario, type SimDelivery } from '../src/simulate/scenario.ts';
import { signElevenLabs, signStandard, signTwilio } from '../src/simulate/signers.ts';
import { api, createTenant, startTestServer, type TestServer } from './helpers.ts';
import { createEndpoint } from './webhooks-helpers.ts';

const URL_ = 'https://callboard.example.sa/webhooks/twilio/0abc';
const params = { CallSid: 'CA1', CallStatus: 'ringing', Caller: '+966500000001', SequenceNumber: '1', Note: 'مرحبا & co' };

describe('signature checks against the providers’ own libraries', () => {
  it('Twilio: verifies what getExpectedTwilioSignature makes, with and without the default port, and nothing altered', () => {
    const secret = 'twilio-auth-token-0123456789abcdef';
    const sig = twilio.getExpectedTwilioSignature(secret, URL_, params);
    const urls = twilioSignedUrls('https://callboard.example.sa', '/webhooks/twilio/0abc');
    expect(urls).toEqual([URL_, 'https://callboard.example.sa:443/webhooks/twilio/0abc']);
    expect(verifyTwilio(['another-token', secret], sig, urls, params)).toBe(true);
    expect(verifyTwilio([secret], twilio.getExpectedTwilioSignature(secret, urls[1]!, params), urls, params)).toBe(true);
    expect(verifyTwilio([secret], sig, urls, { ...params, CallStatus: 'completed' })).toBe(false);
    expect(verifyTwilio([secret], sig, ['https://elsewhere.example/webhooks/twilio/0abc'], params)).toBe(false);
    expect(verifyTwilio([secret], undefined, urls, params)).toBe(false);
    const repeated = { ...params, Tag: ['b', 'a', 'b'] };
    expect(verifyTwilio([secret], twilio.getExpectedTwilioSignature(secret, URL_, repeated), urls, repeated)).toBe(true);
    // The simulator's signer is the same scheme.
    expect(signTwilio(secret, URL_, params).headers['x-twilio-signature']).toBe(sig);
    expect(twilio.validateRequest(secret, signTwilio(secret, URL_, params).headers['x-twilio-signature']!, URL_, params)).toBe(true);
  });

  it('Standard Webhooks: verifies what Webhook.sign makes, any v1 entry, within five minutes', () => {
    const secret = generateWebhookSecret();
    const body = '{"type":"voice_session.turn"}';
    const now = Date.now();
    const headers = (at: number, signature: string) => ({ id: 'msg_1', timestamp: String(Math.floor(at / 1000)), signature });
    const sig = new Webhook(secret).sign('msg_1', new Date(now), body);
    expect(verifyStandard(headers(now, sig), Buffer.from(body), [secret], now)).toBe(true);
    expect(verifyStandard(headers(now, `v1,AAAA ${sig}`), Buffer.from(body), [generateWebhookSecret(), secret], now)).toBe(true);
    expect(verifyStandard(headers(now, sig), Buffer.from(`${body} `), [secret], now)).toBe(false);
    expect(verifyStandard(headers(now, sig), Buffer.from(body), [secret], now + 5 * 60_000 + 1_000)).toBe(false);
    expect(verifyStandard(headers(now, sig), Buffer.from(body), [secret], now - 5 * 60_000 - 1_000)).toBe(false);
    expect(verifyStandard(headers(now, sig.replace('v1,', 'v2,')), Buffer.from(body), [secret], now)).toBe(false);
    const signed = signStandard(secret, 'msg_2', { type: 'x' });
    expect(() => new Webhook(secret).verify(signed.body, signed.headers)).not.toThrow();
  });

  it('ElevenLabs: its SDK accepts what the simulator signs, and the server accepts what the SDK accepts', async () => {
    const secret = 'wsec_elevenlabs_webhook_secret_01';
    const signed = signElevenLabs(secret, { type: 'post_call_audio', data: { conversation_id: 'c1' } });
    const client = new ElevenLabsClient({ apiKey: 'any' });
    await expect(client.webhooks.constructEvent(signed.body, signed.headers['elevenlabs-signature']!, secret)).resolves.toMatchObject({ type: 'post_call_audio' });
    const check = elevenLabsVerifier(signed.headers['elevenlabs-signature'], ['other-secret', secret], Date.now())!;
    check.update(Buffer.from(signed.body.slice(0, 10)));
    check.update(Buffer.from(signed.body.slice(10)));
    expect(check.verify()).toBe(true);
    expect(elevenLabsVerifier(signed.headers['elevenlabs-signature'], [secret], Date.now() + 31 * 60_000)).toBeNull();
    expect(elevenLabsVerifier('v0=abc', [secret], Date.now())).toBeNull();
  });
});

describe('the traffic simulator', () => {
  let ts: TestServer;
  beforeAll(async () => {
    ts = await startTestServer();
  });
  afterAll(() => ts?.close());

  it('sends deliveries the server accepts: an answered call with its live session and summary, and an unanswered one', async () => {
    const t = await createTenant(ts);
    const eps = { twilio: await createEndpoint(ts, t, 'twilio'), standard: await createEndpoint(ts, t, 'standard'), elevenlabs: await createEndpoint(ts, t, 'elevenlabs') };
    const send = (d: SimDelivery) => {
      const ep = eps[d.provider];
      const s = d.provider === 'twilio' ? signTwilio(ep.secret, ep.url, d.params) : d.provider === 'standard' ? signStandard(ep.secret, d.id, d.event) : signElevenLabs(ep.secret, d.event);
      return api(ts, 'POST', new URL(ep.url).pathname, { raw: s.body, headers: s.headers });
    };
    let n = 0.37;
    const rand = () => (n = (n * 9301 + 0.49297) % 1);
    for (const outcome of ['answered', 'no-answer'] as const) {
      for (const step of callScenario(rand, Date.now(), outcome)) expect((await send(step.delivery)).status).toBe(200);
    }
    const calls = (await api<{ items: Call[] }>(ts, 'GET', '/api/calls', { token: t.agent.token })).body.items;
    expect(calls.map((c) => c.status).sort()).toEqual(['completed', 'no-answer']);
    const sessions = (await api<{ items: VoiceSession[] }>(ts, 'GET', '/api/voice-sessions', { token: t.agent.token })).body.items;
    expect(sessions).toHaveLength(1);
    expect(sessions[0]).toMatchObject({ status: 'done', outcome: 'success', summary: expect.any(String) });
    const answered = calls.find((c) => c.status === 'completed')!;
    expect(answered.voiceSessionId).toBe(sessions[0]!.id);
    expect(answered.customerId).toBe(sessions[0]!.customerId);
    const full = (await api<VoiceSession>(ts, 'GET', `/api/voice-sessions/${sessions[0]!.id}`, { token: t.agent.token })).body;
    expect(full.transcript.length).toBeGreaterThanOrEqual(6);
  });
});
