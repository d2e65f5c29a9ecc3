import type { AppContext } from '../context.ts';
import { eventId, type CounterDoc } from './model.ts';
import { SYSTEM_ACTOR } from './publish.ts';

export interface RepairOptions {
  /** how long a seq may stay without an event, from when this node first saw it, before it gets a noop */
  graceMs?: number;
  /** up to this many unchecked seqs of a tenant are checked by `_id` lookups; more, by one range query */
  maxPointLookups?: number;
  /** most seqs of one tenant checked per pass, so a long-idle watermark catches up in steps */
  window?: number;
}

type RepairContext = Pick<AppContext, 'models' | 'changes' | 'log'>;

/**
 * Fills seqs that were taken but never logged (the process died between the two
 * writes) with a `noop`, so the log has no holes and no client waits forever.
 * Every node may run it: the event's `_id` lets exactly one insert of a seq win.
 */
export class RepairPass {
  /** when this node first saw each hole (`<tenant>:<seq>`); a restart only delays a fill */
  private readonly firstSeen = new Map<string, number>();
  private readonly graceMs: number;
  private readonly maxPointLookups: number;
  private readonly window: number;

  constructor(
    private readonly ctx: RepairContext,
    opts: RepairOptions = {},
  ) {
    this.graceMs = opts.graceMs ?? 5_000;
    this.maxPointLookups = opts.maxPointLookups ?? 64;
    this.window = opts.window ?? 10_000;
  }

  /** One pass over every tenant; answers how many noops this node wrote. */
  async runOnce(): Promise<number> {
    // One small document per tenant; a tenant at its watermark costs nothing more.
    const counters = await this.ctx.models.counters.find({}).lean<CounterDoc[]>().exec();
    // After the read: a seq taken during it must not count as seen earlier.
    const now = Date.now();
    let filled = 0;
    for (const c of counters) {
      const through = c.repairedThrough ?? 0;
      if (c.seq <= through) continue;
      try {
        filled += await this.repairTenant(c._id, through, c.seq, now);
      } catch (err) {
        // One tenant's failure must not keep the others' holes open.
        this.ctx.log.warn({ err, tenantId: c._id }, 'repair of the event log failed');
      }
    }
    return filled;
  }

  private async repairTenant(tenantId: string, through: number, latest: number, now: number): Promise<number> {
    const upTo = Math.min(latest, through + this.window);
    const logged = await this.loggedSeqs(tenantId, through, upTo);
    let contiguous = through;
    let filled = 0;
    for (let seq = through + 1; seq <= upTo; seq++) {
      const key = eventId(tenantId, seq);
      let present = logged.has(seq);
      if (!present) {
        const first = this.firstSeen.get(key) ?? now;
        this.firstSeen.set(key, first);
        if (now - first >= this.graceMs) {
          // Null means the change (or another node's noop) got there first: logged either way.
          if (await this.ctx.changes.tryLog(tenantId, seq, 'noop', null, SYSTEM_ACTOR)) filled++;
          present = true;
        }
      }
      if (present) this.firstSeen.delete(key);
      if (present && contiguous === seq - 1) contiguous = seq;
    }
    if (filled > 0) this.ctx.log.warn({ tenantId, filled }, 'filled seqs left without an event with noops');
    // `$max`: with several nodes, a slower pass must never move the watermark back.
    if (contiguous > through) await this.ctx.changes.bumpCounter(tenantId, { repairedThrough: contiguous });
    return filled;
  }

  /** Which seqs in (through, upTo] have an event; reads only that range, never the whole log. */
  private async loggedSeqs(tenantId: string, through: number, upTo: number): Promise<Set<number>> {
    const { events } = this.ctx.models;
    if (upTo - through <= this.maxPointLookups) {
      // The usual case (the watermark trails by about a second of changes): lookups
      // by `_id` alone, which FerretDB's SQLite backend answers without a scan.
      const seqs = Array.from({ length: upTo - through }, (_, i) => through + 1 + i);
      const found = await Promise.all(seqs.map((seq) => events.exists({ _id: eventId(tenantId, seq) }).exec()));
      return new Set(seqs.filter((_, i) => found[i] !== null));
    }
    // Far behind (a first pass over an existing log, or every node was down): one
    // range query on the {tenantId, seq} index, projected to the seq.
    const docs = await events
      .find({ tenantId, seq: { $gt: through, $lte: upTo } }, { _id: 0, seq: 1 })
      .lean<{ seq: number }[]>()
      .exec();
    return new Set(docs.map((d) => d.seq));
  }
}
