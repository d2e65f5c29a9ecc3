import type { Actor, ChangeEnvelope, ChangeEventData, ChangeEventName, LoggedChange, SyncAnswer } from '@callboard/shared';
import type { Logger } from '../logger.ts';
import type { Models } from '../db/models.ts';
import { eventId } from './model.ts';

export type ChangeEmitter = <E extends ChangeEventName>(tenantId: string, event: E, change: ChangeEnvelope<ChangeEventData[E]>) => void;

/** Most events one sync answer carries; a client further behind is told to reset. */
export const SYNC_MAX_EVENTS = 5_000;

/**
 * Write, then publish (DESIGN.md rule 2): the caller has committed its change;
 * here it gets the tenant's next seq, is appended to the event log, and only
 * then is handed to the realtime layer to emit to the tenant's room.
 */
export class ChangeLog {
  private emitter: ChangeEmitter = () => {};

  constructor(
    private readonly models: Models,
    private readonly log: Logger,
  ) {}

  onEmit(emitter: ChangeEmitter) {
    this.emitter = emitter;
  }

  async publish<E extends ChangeEventName>(tenantId: string, event: E, data: ChangeEventData[E], actor: Actor) {
    const counter = await this.models.counters
      .findOneAndUpdate({ _id: tenantId }, { $inc: { seq: 1 } }, { upsert: true, new: true })
      .lean()
      .exec();
    const seq = counter!.seq;
    const at = new Date();
    await this.models.events.create({ _id: eventId(tenantId, seq), tenantId, seq, event, at, actor, data });
    const change: ChangeEnvelope<ChangeEventData[E]> = { seq, at: at.toISOString(), actor, data };
    this.emitter(tenantId, event, change);
    this.log.debug({ tenantId, seq, event }, 'change published');
    return change;
  }

  async latestSeq(tenantId: string): Promise<number> {
    const counter = await this.models.counters.findById(tenantId).lean().exec();
    return counter?.seq ?? 0;
  }

  /** Every change after `since`, in order; or a reset when the log no longer holds them. */
  async since(tenantId: string, since: number): Promise<SyncAnswer> {
    const latest = await this.latestSeq(tenantId);
    if (since >= latest) return { events: [] };
    if (latest - since > SYNC_MAX_EVENTS) return { reset: true, seq: latest };
    const docs = await this.models.events
      .find({ tenantId, seq: { $gt: since, $lte: latest } })
      .sort({ seq: 1 })
      .lean()
      .exec();
    if (docs[0]?.seq !== since + 1) return { reset: true, seq: latest };
    const events: LoggedChange[] = docs.map((d) => ({
      event: d.event,
      seq: d.seq,
      at: d.at.toISOString(),
      actor: d.actor,
      data: d.data as never,
    }));
    return { events };
  }
}
