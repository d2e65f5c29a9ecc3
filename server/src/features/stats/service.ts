import { liveCallStatuses, type BoardStats, type CallStatus } from '@callboard/shared';
import type { AppContext } from '../../context.ts';
import { tenantScope } from '../../db/tenant-scope.ts';
import { notFound } from '../../http/errors.ts';
import type { CallDoc } from '../calls/model.ts';
import { MINUTE_MS, orderKeyAt, startOfDay } from './day.ts';


const FAILED: readonly CallStatus[] = ['busy', 'failed', 'no-answer', 'canceled'];
const CHART_MINUTES = 60;

type CallFacts = Pick<CallDoc, 'status' | 'answeredAt' | 'endedAt' | 'durationSec' | 'createdAt'>;

const answered = (c: CallFacts) => c.answeredAt !== null || c.status === 'in-progress' || c.status === 'completed';

function talkSeconds(c: CallFacts): number | null {
  if (c.status !== 'completed') return null;
  if (c.durationSec !== null) return c.durationSec;
  return c.answeredAt && c.endedAt ? (c.endedAt.getTime() - c.answeredAt.getTime()) / 1000 : null;
}

function perMinute(calls: CallFacts[], now: number) {
  const first = Math.floor(now / MINUTE_MS) * MINUTE_MS - (CHART_MINUTES - 1) * MINUTE_MS;
  const counts = new Array<number>(CHART_MINUTES).fill(0);
  for (const c of calls) {
    const i = Math.floor((c.createdAt.getTime() - first) / MINUTE_MS);
    if (i >= 0 && i < CHART_MINUTES) counts[i]!++;
  }
  return counts.map((calls, i) => ({ minute: new Date(first + i * MINUTE_MS).toISOString(), calls }));
}

interface Memo {
  seq: number;
  minute: number;
  stats: Promise<BoardStats>;
}

export class BoardStatsService {
  /**
   * Every open board refetches after each burst of changes; while the tenant's seq
   * and the minute stay the same the answer cannot differ, so boards share one.
   */
  private readonly memo = new Map<string, Memo>();

  constructor(private readonly ctx: AppContext) {}

  async board(tenantId: string, now = Date.now()): Promise<BoardStats> {
    const seq = await this.ctx.changes.latestSeq(tenantId);
    const minute = Math.floor(now / MINUTE_MS);
    const memo = this.memo.get(tenantId);
    if (memo && memo.seq === seq && memo.minute === minute) return memo.stats;
    const stats = this.compute(tenantId, seq, now);
    this.memo.set(tenantId, { seq, minute, stats });
    // A failed read is not kept: the next board asks again.
    void stats.catch(() => this.memo.delete(tenantId));
    return stats;
  }

  private async compute(tenantId: string, seq: number, now: number): Promise<BoardStats> {
    const tenant = await this.ctx.models.tenants.findById(tenantId).lean().exec();
    if (!tenant) throw notFound('tenant');
    const dayStart = startOfDay(tenant.timeZone, now);
    const since = Math.min(dayStart, now - CHART_MINUTES * MINUTE_MS);
    const calls = tenantScope(this.ctx.models.calls, tenantId);
    const sessions = tenantScope(this.ctx.models.voiceSessions, tenantId);
    // FerretDB scans either way; on MongoDB each is served by a tenant-first index.
    const [recent, open, todaySessions] = await Promise.all([
      calls.find({ order: { $gte: orderKeyAt(since) } }).select({ status: 1, answeredAt: 1, endedAt: 1, durationSec: 1, createdAt: 1 }).exec(),
      calls.find({ status: { $in: liveCallStatuses } }).select({ status: 1 }).exec(),
      sessions.find({ order: { $gte: orderKeyAt(dayStart) } }).select({ status: 1, outcome: 1 }).exec(),
    ]);
    const today = recent.filter((c) => c.createdAt.getTime() >= dayStart);
    const talk = today.map(talkSeconds).filter((s): s is number => s !== null);
    const ended = todaySessions.filter((s) => s.status === 'done' || s.status === 'failed');
    const succeeded = ended.filter((s) => s.outcome === 'success').length;
    return {
      seq,
      asOf: new Date(now).toISOString(),
      timeZone: tenant.timeZone,
      dayStart: new Date(dayStart).toISOString(),
      live: open.filter((c) => c.status !== 'queued').length,
      queued: open.filter((c) => c.status === 'queued').length,
      callsToday: today.length,
      answeredToday: today.filter(answered).length,
      averageHandleSec: talk.length ? Math.round(talk.reduce((a, b) => a + b, 0) / talk.length) : null,
      failedToday: today.filter((c) => FAILED.includes(c.status)).length,
      aiSessionsEnded: ended.length,
      aiSuccessRate: ended.length ? succeeded / ended.length : null,
      perMinute: perMinute(recent, now),
    };
  }
}
