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

/** Event lookups the pass keeps in flight at once. */
const LOOKUPS_AT_ONCE = 8;

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
    this.maxPointLookups = opts.maxPointLookups ?? 500;
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
    if (contiguous > through) {
      await this.ctx.changes.bumpCounter(tenantId, { repairedThrough: contiguous });
      this.ctx.changes.forgetLoggedThrough(tenantId, contiguous);
    }
    return filled;
  }

  /**
   * Which seqs in (through, upTo] have an event. Those this node logged itself
   * are known; the rest (other nodes' changes, or holes) are looked up by `_id`,
   * a few at a time so the pass never crowds out requests, or, when very many,
   * by one range query on the {tenantId, seq} index.
   */
  private async loggedSeqs(tenantId: string, through: number, upTo: number): Promise<Set<number>> {
    const { events } = this.ctx.models;
    const present = new Set<number>();
    const unknown: number[] = [];
    for (let seq = through + 1; seq <= upTo; seq++) {
      if (this.ctx.changes.wasLoggedHere(tenantId, seq)) present.add(seq);
      else unknown.push(seq);
    }
    if (unknown.length > this.maxPointLookups) {
      const docs = await events
        .find({ tenantId, seq: { $gt: through, $lte: upTo } }, { _id: 0, seq: 1 })
        .lean<{ seq: number }[]>()
        .exec();
      return new Set(docs.map((d) => d.seq));
    }
    for (let i = 0; i < unknown.length; i += LOOKUPS_AT_ONCE) {
      const chunk = unknown.slice(i, i + LOOKUPS_AT_ONCE);
      const found = await Promise.all(chunk.map((seq) => events.exists({ _id: eventId(tenantId, seq) }).exec()));
      chunk.forEach((seq, j) => found[j] !== null && present.add(seq));
    }
    return present;
  }
}
