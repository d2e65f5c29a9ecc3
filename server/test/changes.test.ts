import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChangeEnvelope, LoggedChange, SyncAnswer, TenantSettings } from '@callboard/shared';
import { SYNC_MAX_EVENTS } from '../src/changes/publish.ts';
import { RepairPass } from '../src/changes/repair.ts';
import { Retention } from '../src/changes/retention.ts';
import { api, connectSocket, createTenant, nextEvent, startTestServer, type TestServer, type TestSocket, type TestTenant } from './helpers.ts';

let ts: TestServer;
const open: TestSocket[] = [];
beforeAll(async () => {
  ts = await startTestServer();
});
afterAll(async () => {
  for (const s of open) s.close();
  await ts?.close();
});

const ctx = () => ts.server.ctx;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const seqsFrom = (first: number, count: number) => Array.from({ length: count }, (_, i) => first + i);

async function connect(token: string) {
  const s = await connectSocket(ts, { token });
  open.push(s);
  return s;
}

/** A rename as the admin; a 409 (someone renamed meanwhile, and produced no event) is retried on the new version. */
async function rename(who: TestTenant, name: string): Promise<TenantSettings> {
  for (let attempt = 0; attempt < 60; attempt++) {
    const { version } = (await api(ts, 'GET', '/api/tenant', { token: who.admin.token })).body;
    const res = await api(ts, 'PATCH', '/api/tenant', { token: who.admin.token, body: { version, set: { name } } });
    if (res.status === 200) return res.body;
    expect(res.status).toBe(409);
  }
  throw new Error(`rename to ${name} kept conflicting`);
}

const syncRaw = (s: TestSocket, since: number) => s.emitWithAck('sync', { since }) as Promise<SyncAnswer>;

async function syncEvents(s: TestSocket, since: number): Promise<LoggedChange[]> {
  const answer = await syncRaw(s, since);
  if (!('events' in answer)) throw new Error(`expected events, got ${JSON.stringify(answer)}`);
  // Whatever else it says, an answer is gap-free from `since`.
  expect(answer.events.map((e) => e.seq)).toEqual(seqsFrom(since + 1, answer.events.length));
  return answer.events;
}

describe('publish and sync', () => {
  it('replays exactly the 50 changes a client missed, in seq order, and emits each once', async () => {
    const [a, b] = await Promise.all([createTenant(ts), createTenant(ts)]);
    const first = await connect(a.agent.token);
    const last = (await syncEvents(first, 0)).at(-1)?.seq ?? 0;
    first.close();

    const live = await connect(a.admin.token);
    const heard: number[] = [];
    live.on('tenant.updated', (e) => heard.push(e.seq));
    const names = seqsFrom(1, 50).map((i) => `A change ${i}`);
    // Ten at a time, with B's changes in between: concurrent commits and seqs.
    for (let i = 0; i < names.length; i += 10) {
      await Promise.all([...names.slice(i, i + 10).map((n) => rename(a, n)), rename(b, `B change ${i}`)]);
    }

    const again = await connect(a.agent.token);
    const events = await syncEvents(again, last);
    expect(events.map((e) => e.seq)).toEqual(seqsFrom(last + 1, 50));
    expect(new Set(events.map((e) => e.event))).toEqual(new Set(['tenant.updated']));
    expect(events.map((e) => (e.data as TenantSettings).name).sort()).toEqual([...names].sort());
    expect(events.every((e) => (e.data as TenantSettings).id === a.tenant.id)).toBe(true);
    expect(await syncEvents(again, last + 50)).toEqual([]);

    await expect.poll(() => heard.length).toBe(50);
    expect([...heard].sort((x, y) => x - y)).toEqual(seqsFrom(last + 1, 50));
  });

  it('gives concurrent publishes distinct, gap-free seqs, each emitted once', async () => {
    const tt = await createTenant(ts);
    const s = await connect(tt.agent.token);
    const base = (await syncEvents(s, 0)).at(-1)!.seq;
    const heard: number[] = [];
    s.on('tenant.updated', (e) => heard.push(e.seq));
    const settings = (await api(ts, 'GET', '/api/tenant', { token: tt.admin.token })).body as TenantSettings;
    const actor = { type: 'system' as const };
    const published = await Promise.all(seqsFrom(1, 30).map(() => ctx().changes.publish(tt.tenant.id, 'tenant.updated', settings, actor)));

    expect(published.map((c) => c.seq).sort((x, y) => x - y)).toEqual(seqsFrom(base + 1, 30));
    await expect.poll(() => heard.length).toBe(30);
    expect([...heard].sort((x, y) => x - y)).toEqual(seqsFrom(base + 1, 30));
    expect(await syncEvents(s, base)).toHaveLength(30);
  });

  it('logs past seqs already taken when the counter went back (a lost update on FerretDB)', async () => {
    const tt = await createTenant(ts);
    const id = tt.tenant.id;
    const latest = await ctx().changes.latestSeq(id);
    await ctx().models.counters.updateOne({ _id: id }, { $set: { seq: latest - 2 } }).exec();
    const settings = (await api(ts, 'GET', '/api/tenant', { token: tt.admin.token })).body as TenantSettings;
    const change = await ctx().changes.publish(id, 'tenant.updated', settings, { type: 'system' });
    expect(change.seq).toBe(latest + 1);
    expect(await ctx().changes.latestSeq(id)).toBe(latest + 1);
  });

  it('answers only the gap-free prefix while a seq is in flight', async () => {
    const tt = await createTenant(ts);
    const s = await connect(tt.agent.token);
    const base = (await syncEvents(s, 0)).at(-1)!.seq;
    const hole = await ctx().changes.takeSeq(tt.tenant.id);
    await rename(tt, 'Past the hole');

    expect(await syncEvents(s, base)).toEqual([]);
    expect((await syncEvents(s, base - 1)).map((e) => e.seq)).toEqual([base]);
    expect((await syncEvents(s, hole)).map((e) => [e.event, e.seq])).toEqual([['tenant.updated', hole + 1]]);
  });

  it('answers reset when since is older than the log keeps, or too far behind', async () => {
    const tt = await createTenant(ts);
    const id = tt.tenant.id;
    for (let i = 0; i < 5; i++) await rename(tt, `Kept ${i}`);
    const latest = await ctx().changes.latestSeq(id);
    await new RepairPass(ctx()).runOnce();
    await new Retention(ctx(), { keepEvents: 2, keepMs: 0 }).prune(id, Date.now() + 1);

    const s = await connect(tt.agent.token);
    expect(await syncRaw(s, 0)).toEqual({ reset: true, seq: latest });
    expect(await syncRaw(s, latest - 3)).toEqual({ reset: true, seq: latest });
    expect((await syncEvents(s, latest - 2)).map((e) => e.seq)).toEqual([latest - 1, latest]);

    // More missing than one answer carries (a counter set directly: no events needed).
    const far = `far-behind-${id}`;
    const end = SYNC_MAX_EVENTS + 10;
    await ctx().models.counters.create({ _id: far, seq: end, repairedThrough: end });
    try {
      expect(await ctx().changes.since(far, 9)).toEqual({ reset: true, seq: end });
    } finally {
      await ctx().models.counters.deleteOne({ _id: far }).exec();
    }
  });
});

describe('repair pass', () => {
  it('fills a seq whose change never logged it with a noop, after 5 s', async () => {
    const tt = await createTenant(ts);
    const s = await connect(tt.agent.token);
    const noop = nextEvent<ChangeEnvelope<null>>(s, 'noop', 8_000);
    const takenAt = Date.now();
    // As if the process died right after taking the seq; the server's own pass repairs it.
    const hole = await ctx().changes.takeSeq(tt.tenant.id);

    expect(await noop).toMatchObject({ seq: hole, data: null, actor: { type: 'system' } });
    expect(Date.now() - takenAt).toBeGreaterThanOrEqual(5_000);
    expect((await syncEvents(s, hole - 1)).map((e) => [e.event, e.seq])).toEqual([['noop', hole]]);

    const next = nextEvent<ChangeEnvelope<TenantSettings>>(s, 'tenant.updated');
    await rename(tt, 'After the noop');
    expect((await next).seq).toBe(hole + 1);
  });

  it('gives a change whose seq was filled meanwhile a new seq, emitted exactly once', async () => {
    const tt = await createTenant(ts);
    const s = await connect(tt.agent.token);
    const heard: Array<[string, number]> = [];
    s.onAny((event: string, e: { seq?: number }) => {
      if (event !== 'heartbeat') heard.push([event, e.seq!]);
    });
    const seq = await ctx().changes.takeSeq(tt.tenant.id);
    // The change stalls past the grace: the repair pass (grace 0 here) fills its seq first.
    await new RepairPass(ctx(), { graceMs: 0 }).runOnce();
    const settings = (await api(ts, 'GET', '/api/tenant', { token: tt.admin.token })).body as TenantSettings;
    const actor = { type: 'user' as const, id: tt.admin.id, name: tt.admin.name };
    const change = await ctx().changes.append(tt.tenant.id, seq, 'tenant.updated', settings, actor);
    expect(change.seq).toBe(seq + 1);

    await expect.poll(() => heard.length).toBe(2);
    await sleep(300);
    expect([...heard].sort((x, y) => x[1] - y[1])).toEqual([
      ['noop', seq],
      ['tenant.updated', seq + 1],
    ]);
    expect((await syncEvents(s, seq - 1)).map((e) => [e.event, e.seq])).toEqual([
      ['noop', seq],
      ['tenant.updated', seq + 1],
    ]);
    // A second pass finds nothing left to fill for this tenant.
    await new RepairPass(ctx(), { graceMs: 0 }).runOnce();
    expect(await ctx().models.events.countDocuments({ tenantId: tt.tenant.id, seq: { $gte: seq } })).toBe(2);
  });
});

describe('retention', () => {
  it('prunes events old on both counts and keeps the rest, without them turning into noops', async () => {
    const tt = await createTenant(ts);
    const id = tt.tenant.id;
    for (let i = 0; i < 6; i++) await rename(tt, `Version ${i}`);
    const latest = await ctx().changes.latestSeq(id);
    // Every seq checked by one range query, the path a watermark far behind takes.
    await new RepairPass(ctx(), { maxPointLookups: 0 }).runOnce();
    const seqs = async () => (await ctx().models.events.find({ tenantId: id }, { seq: 1 }).sort({ seq: 1 }).lean().exec()).map((d) => d.seq);
    const all = await seqs();
    expect(all).toEqual(seqsFrom(1, latest));

    // Young events stay however many there are; a short log stays however old.
    expect(await new Retention(ctx(), { keepEvents: 3 }).prune(id)).toBe(0);
    expect(await new Retention(ctx(), { keepEvents: latest, keepMs: 0 }).prune(id, Date.now() + 1)).toBe(0);
    expect(await new Retention(ctx(), { keepEvents: 3, keepMs: 0 }).prune(id, Date.now() + 1)).toBe(latest - 3);
    expect(await seqs()).toEqual(seqsFrom(latest - 2, 3));

    // Pruned seqs are below the watermark: the repair pass does not refill them.
    await new RepairPass(ctx(), { graceMs: 0 }).runOnce();
    expect(await seqs()).toEqual(seqsFrom(latest - 2, 3));
  });
});
