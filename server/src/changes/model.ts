import { Schema, type Connection } from 'mongoose';
import type { Actor, ChangeEventName } from '@callboard/shared';

/**
 * One counter per tenant, found by `_id` = tenant id: the source of gap-free seqs.
 * `repairedThrough` is the repair pass's watermark: every seq up to it is known to
 * have its event, so neither the repair pass nor sync has to look below it again.
 */
export interface CounterDoc {
  _id: string;
  seq: number;
  repairedThrough?: number;
}
const counterSchema = new Schema<CounterDoc>(
  { _id: { type: String, required: true }, seq: { type: Number, required: true }, repairedThrough: { type: Number } },
  { versionKey: false },
);
export const counterModel = (conn: Connection) => conn.model<CounterDoc>('Counter', counterSchema, 'counters');

/** The event log: `_id` is `<tenantId>:<seq>`, so a seq is logged at most once. */
export interface EventDoc {
  _id: string;
  tenantId: string;
  seq: number;
  event: ChangeEventName;
  at: Date;
  actor: Actor;
  data: unknown;
}
const eventSchema = new Schema<EventDoc>(
  {
    _id: { type: String, required: true },
    tenantId: { type: String, required: true },
    seq: { type: Number, required: true },
    event: { type: String, required: true },
    at: { type: Date, required: true },
    actor: { type: Object, required: true },
    data: { type: Schema.Types.Mixed, default: null },
  },
  { versionKey: false, minimize: false },
);
eventSchema.index({ tenantId: 1, seq: 1 });

export const eventModel = (conn: Connection) => conn.model<EventDoc>('Event', eventSchema, 'events');

export const eventId = (tenantId: string, seq: number) => `${tenantId}:${seq}`;
