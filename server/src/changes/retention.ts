import type { AppContext } from '../context.ts';
import type { CounterDoc } from './model.ts';

export interface RetentionOptions {
  /** the log keeps at least this many latest events of each tenant */
  keepEvents?: number;
  /** and at least this much time */
  keepMs?: number;
}

type RetentionContext = Pick<AppContext, 'models' | 'log'>;

/**
 * Prunes the event log (API.md §7: at least 24 hours and at least the last
 * 100,000 events per tenant). A pruning job rather than a TTL index, which
 * FerretDB does not have; an event goes only when it is old on both counts.
 */
export class Retention {
  readonly keepEvents: number;
  readonly keepMs: number;

  constructor(
    private readonly ctx: RetentionContext,
    opts: RetentionOptions = {},
  ) {
    this.keepEvents = opts.keepEvents ?? 100_000;
    this.keepMs = opts.keepMs ?? 24 * 60 * 60 * 1000;
  }

  /** One pass over every tenant; answers how many events were deleted. */
  async runOnce(now = Date.now()): Promise<number> {
    const counters = await this.ctx.models.counters.find({}).lean<CounterDoc[]>().exec();
    let deleted = 0;
    for (const c of counters) {
      try {
        deleted += await this.pruneCounter(c, now);
      } catch (err) {
        this.ctx.log.warn({ err, tenantId: c._id }, 'event log pruning failed');
      }
    }
    return deleted;
  }

  /** Prunes one tenant's log. */
  async prune(tenantId: string, now = Date.now()): Promise<number> {
    const counter = await this.ctx.models.counters.findById(tenantId).lean<CounterDoc>().exec();
    return counter ? this.pruneCounter(counter, now) : 0;
  }

  private async pruneCounter(c: CounterDoc, now: number): Promise<number> {
    // Never above the repair watermark: a pruned seq there would look like a hole
    // to the repair pass (and get a noop), and sync tells the two apart by it.
    const through = Math.min(c.seq - this.keepEvents, c.repairedThrough ?? 0);
    if (through <= 0) return 0;
    const res = await this.ctx.models.events
      .deleteMany({ tenantId: c._id, seq: { $lte: through }, at: { $lt: new Date(now - this.keepMs) } })
      .exec();
    if (res.deletedCount > 0) this.ctx.log.info({ tenantId: c._id, deleted: res.deletedCount, through }, 'event log pruned');
    return res.deletedCount;
  }
}
