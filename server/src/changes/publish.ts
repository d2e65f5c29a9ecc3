import type { Actor, ChangeEnvelope, ChangeEventData, ChangeEventName, LoggedChange, SyncAnswer } from '@callboard/shared';
import type { Logger } from '../logger.ts';
import type { Models } from '../db/models.ts';
import { atomically } from '../db/doc-lock.ts';
import { isDuplicateKey } from '../db/platform-models.ts';
import { eventId } from './model.ts';

export type ChangeEmitter = <E extends ChangeEventName>(tenantId: string, event: E, change: ChangeEnvelope<ChangeEventData[E]>) => void;

/** Most events one sync answer carries; a client further behind is told to reset. */
export const SYNC_MAX_EVENTS = 5_000;

/** The actor of events the system writes on its own (noops of the repair pass). */
export const SYSTEM_ACTOR: Actor = { type: 'system' };

/**
 * A seq is refused when its change took longer than the repair grace (5 s) and
 * got a noop, or (several nodes on one FerretDB, see `append`) when it was handed
 * out twice. Each retry moves past the refused seq: this only stops a runaway loop.
 */
const MAX_SEQ_ATTEMPTS = 25;

interface SeqWaiter {
  resolve(seq: number): void;
  reject(err: unknown): void;
}

/**
 * Write, then publish (DESIGN.md rule 2): the caller has committed its change;
 * here it gets the tenant's next seq, is appended to the event log, and only
 * then is handed to the realtime layer to emit to the tenant's room.
 *
 * Without transactions, taking a seq and logging it are two writes. The event's
 * `_id` (`<tenant>:<seq>`) makes the log the arbiter: whoever inserts a seq first
 * (the change, or the repair pass's noop) owns it, and only that insert is emitted.
 */
export class ChangeLog {
  private emitter: ChangeEmitter = () => {};
  /** Per tenant, the takers waiting while this node's counter update is in flight. */
  private readonly seqQueues = new Map<string, SeqWaiter[]>();

  constructor(
    private readonly models: Models,
    private readonly log: Logger,
  ) {}

  onEmit(emitter: ChangeEmitter) {
    this.emitter = emitter;
  }

  async publish<E extends ChangeEventName>(tenantId: string, event: E, data: ChangeEventData[E], actor: Actor) {
    return this.append(tenantId, await this.takeSeq(tenantId), event, data, actor);
  }

  /** Takes the tenant's next seq, by an `$inc` on the counter found by `_id`. */
  takeSeq(tenantId: string): Promise<number> {
    return new Promise((resolve, reject) => {
      const queue = this.seqQueues.get(tenantId);
      if (queue) {
        queue.push({ resolve, reject });
        return;
      }
      this.seqQueues.set(tenantId, [{ resolve, reject }]);
      void this.drainSeqs(tenantId);
    });
  }

  /**
   * One counter update in flight per tenant on this node; takers arriving
   * meanwhile share the next one (`$inc` by their number), so a busy tenant costs
   * fewer round trips and fewer turns of the document lock, which every counter
   * write takes because FerretDB's concurrent `$inc`s lose updates (doc-lock.ts).
   */
  private async drainSeqs(tenantId: string) {
    const queue = this.seqQueues.get(tenantId)!;
    while (queue.length > 0) {
      const batch = queue.splice(0);
      try {
        const counter = await atomically(this.models.counters, tenantId, () =>
          this.models.counters.findOneAndUpdate({ _id: tenantId }, { $inc: { seq: batch.length } }, { upsert: true, new: true }).lean().exec(),
        );
        const first = counter!.seq - batch.length + 1;
        batch.forEach((waiter, i) => waiter.resolve(first + i));
      } catch (err) {
        for (const waiter of batch) waiter.reject(err);
      }
    }
    this.seqQueues.delete(tenantId);
  }

  /**
   * Logs and emits a committed change under the seq it took. If the repair pass
   * has meanwhile filled that seq with a noop, the change takes a new seq: it
   * still gets exactly one event, and the noop keeps the log gap-free.
   */
  async append<E extends ChangeEventName>(tenantId: string, seq: number, event: E, data: ChangeEventData[E], actor: Actor) {
    for (let attempt = 1; ; attempt++) {
      const change = await this.tryLog(tenantId, seq, event, data, actor);
      if (change) {
        this.log.debug({ tenantId, seq, event }, 'change published');
        return change;
      }
      if (attempt >= MAX_SEQ_ATTEMPTS) throw new Error(`change ${event} of tenant ${tenantId} found ${attempt} seqs already logged`);
      this.log.warn({ tenantId, seq, event }, 'seq already logged (noop of the repair pass, or taken twice); taking a new one');
      // Counter writes are serialised per process (doc-lock.ts), but several nodes on
      // one FerretDB without Redis can still lose an `$inc` and send the counter
      // back. So never retry at or below the refused seq, and move the counter up to
      // the seq before logging it, as takeSeq would have. On MongoDB `taken` is past it.
      const taken = await this.takeSeq(tenantId);
      const next = Math.max(taken, seq + 1);
      if (next > taken) await this.bumpCounter(tenantId, { seq: next });
      seq = next;
    }
  }

  /**
   * Inserts the event of `seq` and emits it. Answers null, and emits nothing,
   * when the seq already has an event, so no seq is ever emitted twice.
   */
  async tryLog<E extends ChangeEventName>(
    tenantId: string,
    seq: number,
    event: E,
    data: ChangeEventData[E],
    actor: Actor,
  ): Promise<ChangeEnvelope<ChangeEventData[E]> | null> {
    const at = new Date();
    try {
      await this.models.events.create({ _id: eventId(tenantId, seq), tenantId, seq, event, at, actor, data });
    } catch (err) {
      if (isDuplicateKey(err)) return null;
      throw err;
    }
    this.noteLoggedHere(tenantId, seq);
    const change: ChangeEnvelope<ChangeEventData[E]> = { seq, at: at.toISOString(), actor, data };
    this.emitter(tenantId, event, change);
    return change;
  }

  /**
   * Seqs this node logged itself since the repair watermark passed them: its
   * repair pass need not ask the database about them (with one node, it asks
   * about none). Bounded, in case no repair pass runs to forget them.
   */
  private readonly loggedHere = new Map<string, Set<number>>();

  private noteLoggedHere(tenantId: string, seq: number) {
    let seqs = this.loggedHere.get(tenantId);
    if (!seqs) this.loggedHere.set(tenantId, (seqs = new Set()));
    if (seqs.size >= 100_000) seqs.delete(seqs.values().next().value!);
    seqs.add(seq);
  }

  wasLoggedHere(tenantId: string, seq: number): boolean {
    return this.loggedHere.get(tenantId)?.has(seq) ?? false;
  }

  /** Forgets what the repair watermark has passed. */
  forgetLoggedThrough(tenantId: string, through: number) {
    const seqs = this.loggedHere.get(tenantId);
    if (!seqs) return;
    for (const seq of seqs) if (seq <= through) seqs.delete(seq);
    if (seqs.size === 0) this.loggedHere.delete(tenantId);
  }

  /** Raises counter fields (`$max`: never lowers them), under the counter's document lock. */
  async bumpCounter(tenantId: string, fields: { seq?: number; repairedThrough?: number }) {
    const { counters } = this.models;
    await atomically(counters, tenantId, () => counters.updateOne({ _id: tenantId }, { $max: fields }).exec());
  }

  async latestSeq(tenantId: string): Promise<number> {
    const counter = await this.models.counters.findById(tenantId).lean().exec();
    return counter?.seq ?? 0;
  }

  /**
   * Every change after `since`, in order and gap-free; or a reset when the log no
   * longer holds them. A seq still in flight (taken, not yet logged nor filled)
   * ends the answer there: the client asks again rather than skipping it.
   */
  async since(tenantId: string, since: number): Promise<SyncAnswer> {
    const counter = await this.models.counters.findById(tenantId).lean().exec();
    const latest = counter?.seq ?? 0;
    if (latest - since > SYNC_MAX_EVENTS) return { reset: true, seq: latest };
    // Not bounded by the counter: on FerretDB a lost update can leave it behind a
    // logged seq (see `append`), and that event must still reach the client.
    const docs = await this.models.events
      .find({ tenantId, seq: { $gt: since } })
      .sort({ seq: 1 })
      .limit(SYNC_MAX_EVENTS)
      .lean()
      .exec();
    const events: LoggedChange[] = [];
    for (const d of docs) {
      if (d.seq !== since + events.length + 1) break;
      events.push({ event: d.event, seq: d.seq, at: d.at.toISOString(), actor: d.actor, data: d.data as never });
    }
    // Retention prunes only at or below the repair watermark, and every seq there
    // was logged: a missing first seq there was pruned, above it is in flight.
    if (events.length === 0 && since + 1 <= (counter?.repairedThrough ?? 0)) return { reset: true, seq: latest };
    return { events };
  }
}
