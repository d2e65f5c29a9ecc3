import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Call, CreatedWebhookEndpoint, VoiceSession } from '@callboard/shared';
import { conversationSessionId } from '../src/features/voice-sessions/service.ts';
import { api, createTenant, startTestServer, type TestServer, type TestTenant } from './helpers.ts';
import { createEndpoint, eventsOf, okAnswer, sendElevenLabs, sendStandard, sendTwilio, shuffle } from './webhooks-helpers.ts';

type Payload = { kind: 'twilio'; params: Record<string, string> } | { kind: 'standard'; id: string; body: unknown } | { kind: 'elevenlabs'; body: unknown };
/** One delivery and the call it belongs to. */
type Delivery = Payload & { call: number };

const BASE = Date.parse('2026-11-26T08:00:00Z');
const AGENT = '+966112345678';
const rfc2822 = (ms: number) => new Date(ms).toUTCString().replace('GMT', '+0000');
const LINES = ['السلام عليكم، عندي مشكلة في المكيف.', 'Hello, I would like to book a viewing.', 'تمام، أرسل لي الموقع.', 'Can someone come tomorrow morning?'];

/**
 * 50 calls and their sessions, as the providers fire them: 45 answered calls that
 * stream a live session (Arabic and English turns, a tool turn) and end, every
 * fifth with a post-call transcript; 5 unanswered outbound calls whose initiation
 * failure also comes from the voice platform.
 */
function traffic(): Delivery[] {
  const out: Delivery[] = [];
  for (let i = 0; i < 50; i++) {
    const mine: Payload[] = [];
    const sid = `CAprop${String(i).padStart(4, '0')}`;
    const conv = `conv_prop_${i}`;
    const caller = `+9665${String(10_000_000 + i * 7919).slice(0, 8)}`;
    const t0 = BASE + i * 60_000;
    const cb = (status: string, seq: number, at: number, extra: Record<string, string> = {}) => ({
      kind: 'twilio' as const,
      params: { CallSid: sid, AccountSid: 'ACprop', CallStatus: status, SequenceNumber: String(seq), Timestamp: rfc2822(at), ...extra },
    });
    if (i % 10 === 9) {
      const parties = { From: AGENT, To: caller, Direction: 'outbound-api' };
      mine.push(cb('initiated', 0, t0, parties), cb('ringing', 1, t0 + 2_000, parties), cb('no-answer', 2, t0 + 30_000, { ...parties, CallDuration: '0' }));
      mine.push({
        kind: 'elevenlabs',
        body: { type: 'call_initiation_failure', event_timestamp: (t0 + 31_000) / 1000, data: { agent_id: 'agent_p', conversation_id: conv, failure_reason: 'no-answer', metadata: { type: 'twilio', body: cb('no-answer', 2, t0 + 30_000, parties).params } } },
      });
      out.push(...mine.map((d) => ({ ...d, call: i })));
      continue;
    }
    const parties = { From: caller, To: AGENT, Direction: 'inbound' };
    const talk = 20 + i;
    mine.push(cb('initiated', 0, t0, parties), cb('ringing', 1, t0 + 1_000, parties), cb('in-progress', 2, t0 + 4_000, parties));
    mine.push(cb('completed', 3, t0 + 4_000 + talk * 1000, { ...parties, CallDuration: String(talk) }));
    const std = (n: number, type: string, data: Record<string, unknown>) => ({ kind: 'standard' as const, id: `msg_${i}_${n}`, body: { type, data: { conversationId: conv, ...data } } });
    mine.push(std(0, 'voice_session.started', { direction: 'inbound', from: caller, to: AGENT, callSid: sid, locale: i % 2 ? 'en' : 'ar-SA', startedAt: new Date(t0 + 4_000).toISOString() }));
    for (let k = 0; k < 10; k++) {
      const tool = k === 5;
      mine.push(std(k + 1, 'voice_session.turn', { role: tool ? 'tool' : k % 2 ? 'user' : 'agent', text: tool ? null : `${LINES[(i + k) % 4]} (${k})`, atSec: k * 1.5 + (k === 3 ? 0.25 : 0) }));
    }
    mine.push(std(11, 'voice_session.ended', { endedAt: new Date(t0 + 4_000 + talk * 1000).toISOString(), summary: `Call ${i}`, outcome: i % 3 ? 'success' : 'unknown' }));
    if (i % 5 === 0) {
      mine.push({
        kind: 'elevenlabs',
        body: {
          type: 'post_call_transcription',
          event_timestamp: (t0 + 200_000) / 1000,
          data: {
            agent_id: 'agent_p',
            conversation_id: conv,
            status: 'done',
            transcript: [
              { role: 'agent', message: 'أهلاً بك', time_in_call_secs: 0 },
              { role: 'agent', message: null, time_in_call_secs: 3, tool_calls: [{ tool_name: 'lookup' }] },
              { role: 'user', message: 'I need a plumber.', time_in_call_secs: 4 },
            ],
            metadata: { start_time_unix_secs: (t0 + 4_000) / 1000, call_duration_secs: talk, cost: 100 + i, termination_reason: 'hangup', phone_call: { type: 'twilio', direction: 'inbound', agent_number: AGENT, external_number: caller, call_sid: sid } },
            analysis: { call_successful: 'success', transcript_summary: `Summary ${i}`, data_collection_results: { unit: { data_collection_id: 'unit', value: `MG${i}`, rationale: null } } },
            conversation_initiation_client_data: { dynamic_variables: { customer_id: '' } },
          },
        },
      });
    }
    out.push(...mine.map((d) => ({ ...d, call: i })));
  }
  return out;
}

/** Runs `work` over `items`, `n` at a time. */
async function inParallel<T>(n: number, items: T[], work: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(Array.from({ length: n }, async () => {
    while (next < items.length) await work(items[next++]!);
  }));
}

let ts: TestServer;
beforeAll(async () => {
  ts = await startTestServer();
});
afterAll(() => ts?.close());

interface Endpoints {
  twilio: CreatedWebhookEndpoint;
  standard: CreatedWebhookEndpoint;
  elevenlabs: CreatedWebhookEndpoint;
}

function send(ep: Endpoints, d: Delivery) {
  if (d.kind === 'twilio') return sendTwilio(ts, ep.twilio, d.params);
  if (d.kind === 'standard') return sendStandard(ts, ep.standard, d.id, d.body);
  return sendElevenLabs(ts, ep.elevenlabs, d.body);
}

async function tenantWithEndpoints(): Promise<{ t: TestTenant; ep: Endpoints }> {
  const t = await createTenant(ts);
  const [twilio, standard, elevenlabs] = await Promise.all([createEndpoint(ts, t, 'twilio'), createEndpoint(ts, t, 'standard'), createEndpoint(ts, t, 'elevenlabs')]);
  return { t, ep: { twilio, standard, elevenlabs } };
}

/** Calls and sessions as clients see them, keyed by provider id, without what differs between tenants. */
async function snapshot(t: TestTenant) {
  const calls = (await api<{ items: Call[] }>(ts, 'GET', '/api/calls?limit=200', { token: t.agent.token })).body.items;
  const sessions = (await api<{ items: VoiceSession[] }>(ts, 'GET', '/api/voice-sessions?limit=200', { token: t.agent.token })).body.items;
  const byConv = new Map<string, string>(sessions.map((s) => [s.id, s.conversationId]));
  const out: Record<string, unknown> = {};
  for (const { id: _i, customerId, voiceSessionId, createdAt: _c, updatedAt: _u, ...c } of calls) {
    out[c.providerCallId!] = { ...c, hasCustomer: customerId !== null, conversation: voiceSessionId ? byConv.get(voiceSessionId) : null };
  }
  for (const s of sessions) {
    const { id: _i, customerId, callId, createdAt: _c, updatedAt: _u, ...full } = (await api<VoiceSession>(ts, 'GET', `/api/voice-sessions/${s.id}`, { token: t.agent.token })).body;
    out[s.conversationId] = { ...full, hasCustomer: customerId !== null, hasCall: callId !== null };
  }
  return { out, calls: calls.length, sessions: sessions.length };
}

describe('webhook ingestion as a property', () => {
  it('1,000 deliveries for 50 calls and sessions, shuffled with 20% repeats, end in the in-order state without duplicate records or events', async () => {
    const unique = traffic();
    const inOrder = await tenantWithEndpoints();
    // In order: each call's deliveries as they were fired, several calls at once.
    await inParallel(8, Array.from({ length: 50 }, (_, i) => unique.filter((d) => d.call === i)), async (group) => {
      for (const d of group) okAnswer(await send(inOrder.ep, d));
    });
    const expected = await snapshot(inOrder.t);
    expect([expected.calls, expected.sessions]).toEqual([50, 45]);

    const repeats = shuffle(unique, 99).slice(0, 1000 - unique.length);
    const deliveries = shuffle([...unique, ...repeats], 2026);
    expect(deliveries).toHaveLength(1000);
    expect(repeats.length / deliveries.length).toBeGreaterThanOrEqual(0.2);
    const shuffled = await tenantWithEndpoints();
    const answers: string[] = [];
    // Eight at a time: concurrent deliveries of one call or conversation must queue up, not race.
    await inParallel(8, deliveries, async (d) => {
      answers.push(okAnswer(await send(shuffled.ep, d)));
    });
    expect(answers.filter((a) => a === 'duplicate').length).toBeGreaterThanOrEqual(repeats.length);

    const got = await snapshot(shuffled.t);
    expect(got.out).toEqual(expected.out);
    const customers = async (t: TestTenant) => ts.server.ctx.models.customers.countDocuments({ tenantId: t.tenant.id });
    expect(await customers(shuffled.t)).toBe(await customers(inOrder.t));

    const events = await eventsOf(ts, shuffled.t.tenant.id);
    const once = (name: string, key: (data: any) => string) => {
      const keys = events.filter((e) => e.event === name).map((e) => key(e.data));
      expect(new Set(keys).size, name).toBe(keys.length);
      return keys.length;
    };
    expect(once('call.created', (c) => c.providerCallId)).toBe(50);
    expect(once('voice_session.created', (s) => s.conversationId)).toBe(45);
    expect(once('customer.created', (c) => c.phone)).toBe(await customers(shuffled.t));
    once('voice_session.turn', (x) => `${x.sessionId}|${x.turn.atSec}|${x.turn.role}|${x.turn.text}`);
    // Sessions without a post-call transcript emitted exactly their stored turns.
    for (let i = 0; i < 50; i++) {
      if (i % 10 === 9 || i % 5 === 0) continue;
      const id = conversationSessionId(shuffled.t.tenant.id, `conv_prop_${i}`);
      expect(events.filter((e) => e.event === 'voice_session.turn' && (e.data as any).sessionId === id)).toHaveLength(9);
    }
  }, 300_000);
});
