import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Call, CallStatus } from '@callboard/shared';
import { derivedId, newId, randomChars } from '../src/db/ids.ts';
import { presentCall } from '../src/features/calls/service.ts';
import type { CallDoc } from '../src/features/calls/model.ts';
import type { VoiceSessionDoc } from '../src/features/voice-sessions/model.ts';
import { presentSessionSummary } from '../src/features/voice-sessions/service.ts';
import type { BoardStats } from '@callboard/shared';
import { orderKeyAt, startOfDay } from '../src/features/stats/day.ts';
import { api, createTenant, startTestServer, type TestServer, type TestTenant } from './helpers.ts';
import { coveringIndex, recordQueries } from './index-coverage.ts';

let ts: TestServer;
beforeAll(async () => {
  ts = await startTestServer();
});
afterAll(() => ts?.close());

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const stats = async (t: TestTenant) => {
  const res = await api<BoardStats>(ts, 'GET', '/api/stats/board', { token: t.agent.token });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
};
const sum = (s: BoardStats) => s.perMinute.reduce((n, m) => n + m.calls, 0);

/** A call written as webhook ingestion writes one (statuses only providers set), then published. */
async function ingestCall(t: TestTenant, status: CallStatus, opts: { createdAt?: Date; durationSec?: number; answered?: boolean } = {}) {
  const createdAt = opts.createdAt ?? new Date();
  const sid = `CA${randomChars(32)}`;
  const doc: CallDoc = {
    _id: derivedId(t.tenant.id, sid), tenantId: t.tenant.id, order: orderKeyAt(createdAt.getTime()) + randomChars(12), customerId: null,
    campaignId: null, direction: 'inbound', status, from: '+966501230000', to: '+966112345678', provider: 'twilio', providerCallId: sid,
    voiceSessionId: null, failureReason: null, startedAt: createdAt, answeredAt: opts.answered ? createdAt : null,
    endedAt: opts.durationSec !== undefined ? new Date(createdAt.getTime() + opts.durationSec * 1000) : null,
    durationSec: opts.durationSec ?? null, lastSequence: null, createdAt, updatedAt: createdAt,
  };
  await ts.server.ctx.models.calls.create(doc);
  await ts.server.ctx.changes.publish(t.tenant.id, 'call.created', presentCall(doc, null), { type: 'webhook' });
}

async function ingestSession(t: TestTenant, status: VoiceSessionDoc['status'], outcome: VoiceSessionDoc['outcome'], createdAt = new Date()) {
  const doc: VoiceSessionDoc = {
    _id: derivedId(t.tenant.id, `conv_${randomChars(10)}`), tenantId: t.tenant.id, order: orderKeyAt(createdAt.getTime()) + randomChars(12),
    conversationId: `conv_${randomChars(10)}`, agentId: 'agent_1', customerId: null, callId: null, status, direction: 'inbound',
    from: '+966501230000', to: null, locale: 'ar', startedAt: createdAt, endedAt: status === 'live' ? null : createdAt, durationSec: null,
    transcript: [], summary: null, outcome, dataCollection: [], cost: null, terminationReason: null, createdAt, updatedAt: createdAt,
  };
  await ts.server.ctx.models.voiceSessions.create(doc);
  await ts.server.ctx.changes.publish(t.tenant.id, 'voice_session.created', presentSessionSummary(doc, null), { type: 'webhook' });
}

describe('the start of the tenant day', () => {
  it('is local midnight in the time zone, across daylight saving changes', () => {
    const at = (iso: string) => new Date(iso).getTime();
    const day = (tz: string, iso: string) => new Date(startOfDay(tz, at(iso))).toISOString();
    expect(day('Asia/Riyadh', '2026-03-10T22:30:00Z')).toBe('2026-03-10T21:00:00.000Z');
    expect(day('Asia/Riyadh', '2026-03-10T20:59:59Z')).toBe('2026-03-09T21:00:00.000Z');
    expect(day('UTC', '2026-03-10T00:00:00Z')).toBe('2026-03-10T00:00:00.000Z');
    expect(day('America/New_York', '2026-03-08T12:00:00Z')).toBe('2026-03-08T05:00:00.000Z');
    expect(day('America/New_York', '2026-11-01T18:00:00Z')).toBe('2026-11-01T04:00:00.000Z');
    expect(day('Asia/Kathmandu', '2026-01-01T00:00:00Z')).toBe('2025-12-31T18:15:00.000Z');
  });
});

describe('GET /api/stats/board', () => {
  it('answers zeros for a new tenant, in its time zone, with the seq it was read at', async () => {
    const t = await createTenant(ts);
    expect((await api(ts, 'GET', '/api/stats/board')).status).toBe(401);
    const s = await stats(t);
    expect(s).toMatchObject({
      live: 0, queued: 0, callsToday: 0, answeredToday: 0, averageHandleSec: null, failedToday: 0, aiSessionsEnded: 0,
      aiSuccessRate: null, timeZone: 'Asia/Riyadh', seq: expect.any(Number),
    });
    expect(s.dayStart).toBe(new Date(startOfDay('Asia/Riyadh', Date.parse(s.asOf))).toISOString());
    expect(s.perMinute).toHaveLength(60);
    expect(Date.parse(s.perMinute[59]!.minute)).toBe(Math.floor(Date.parse(s.asOf) / 60_000) * 60_000);
    expect(sum(s)).toBe(0);
  });

  it('counts API calls and what providers report, today only, per tenant', async () => {
    const [t, other] = [await createTenant(ts), await createTenant(ts)];
    const customer = (await api(ts, 'POST', '/api/customers', { token: t.agent.token, body: { phone: '+966501110001' } })).body;
    const queue = async () => (await api<Call>(ts, 'POST', '/api/calls', { token: t.supervisor.token, body: { customerId: customer.id } })).body;
    const [, , toCancel] = [await queue(), await queue(), await queue()];
    const before = await stats(t);
    expect(before).toMatchObject({ queued: 3, live: 0, callsToday: 3, failedToday: 0 });
    expect(sum(before)).toBe(3);

    expect((await api(ts, 'POST', `/api/calls/${toCancel.id}/cancel`, { token: t.supervisor.token })).status).toBe(200);
    await ingestCall(t, 'in-progress', { answered: true });
    await ingestCall(t, 'ringing');
    await ingestCall(t, 'completed', { answered: true, durationSec: 120 });
    await ingestCall(t, 'completed', { answered: true, durationSec: 61 });
    await ingestCall(t, 'busy');
    await ingestCall(t, 'no-answer');
    // Yesterday's calls: an ended one is not today's; one still queued is waiting now all the same.
    await ingestCall(t, 'completed', { answered: true, durationSec: 999, createdAt: new Date(Date.now() - 2 * DAY) });
    await ingestCall(t, 'queued', { createdAt: new Date(Date.now() - 2 * DAY) });
    await ingestCall(other, 'in-progress', { answered: true });

    const after = await stats(t);
    expect(after.seq).toBeGreaterThan(before.seq);
    expect(after).toMatchObject({
      queued: 3, live: 2, callsToday: 9, answeredToday: 3, averageHandleSec: 91, failedToday: 3, aiSessionsEnded: 0, aiSuccessRate: null,
    });
    expect(sum(after)).toBe(9);
    expect(await stats(other)).toMatchObject({ live: 1, callsToday: 1, answeredToday: 1, queued: 0 });
  });

  it('rates ended AI sessions of today by their outcome', async () => {
    const t = await createTenant(ts);
    await ingestSession(t, 'done', 'success');
    await ingestSession(t, 'done', 'success');
    await ingestSession(t, 'done', 'failure');
    await ingestSession(t, 'failed', null);
    await ingestSession(t, 'live', null);
    await ingestSession(t, 'done', 'failure', new Date(Date.now() - 2 * DAY));
    expect(await stats(t)).toMatchObject({ aiSessionsEnded: 4, aiSuccessRate: 0.5 });
  });

  it("follows the tenant's time zone when it changes", async () => {
    const t = await createTenant(ts);
    const tenant = (await api(ts, 'GET', '/api/tenant', { token: t.admin.token })).body;
    const patched = await api(ts, 'PATCH', '/api/tenant', { token: t.admin.token, body: { version: tenant.version, set: { timeZone: 'America/New_York' } } });
    expect(patched.status).toBe(200);
    const s = await stats(t);
    expect(s.timeZone).toBe('America/New_York');
    expect(s.dayStart).toBe(new Date(startOfDay('America/New_York', Date.parse(s.asOf))).toISOString());
  });

  it('reads through tenant-first indexes only', async () => {
    const t = await createTenant(ts);
    await ingestCall(t, 'in-progress', { answered: true });
    const queries = recordQueries(ts.server.ctx.db.conn);
    await ingestSession(t, 'done', 'success');
    await stats(t);
    const models = Object.values(ts.server.ctx.models);
    const indexesOf = new Map(models.map((m) => [m.collection.collectionName, m.schema.indexes().map(([f]) => f as Record<string, unknown>)]));
    const board = queries.filter((q) => q.collection === 'calls' || q.collection === 'voiceSessions');
    expect(board.length).toBeGreaterThanOrEqual(3);
    expect(board.filter((q) => coveringIndex(q, indexesOf.get(q.collection) ?? []) === null)).toEqual([]);
    ts.server.ctx.db.conn.set('debug', false);
  });

  it('newId keys of today sort at or after the day key', () => {
    expect(newId() >= orderKeyAt(Date.now() - 1000)).toBe(true);
  });
});
