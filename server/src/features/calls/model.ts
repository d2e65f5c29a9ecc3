import { Schema, type Connection } from 'mongoose';
import type { CallDirection, CallStatus } from '@callboard/shared';
import { nullableDate, nullableNumber, nullableString, schemaOptions } from '../../db/schema-helpers.ts';

export interface CallDoc {
  /** derived from tenant and provider call id when there is one, so webhooks find it by `_id` */
  _id: string;
  tenantId: string;
  /** time-sortable key for newest-first pages (the `_id` may be derived, not time-ordered) */
  order: string;
  customerId: string | null;
  campaignId: string | null;
  direction: CallDirection;
  status: CallStatus;
  from: string | null;
  to: string | null;
  provider: 'twilio' | 'simulated';
  providerCallId: string | null;
  voiceSessionId: string | null;
  failureReason: string | null;
  startedAt: Date | null;
  answeredAt: Date | null;
  endedAt: Date | null;
  durationSec: number | null;
  /** last provider sequence number applied, so late or repeated callbacks change nothing */
  lastSequence: number | null;
  createdAt: Date;
  updatedAt: Date;
}

const schema = new Schema<CallDoc>(
  {
    _id: { type: String, required: true },
    tenantId: { type: String, required: true },
    order: { type: String, required: true },
    customerId: nullableString,
    campaignId: nullableString,
    direction: { type: String, required: true },
    status: { type: String, required: true },
    from: nullableString,
    to: nullableString,
    provider: { type: String, required: true },
    providerCallId: nullableString,
    voiceSessionId: nullableString,
    failureReason: nullableString,
    startedAt: nullableDate,
    answeredAt: nullableDate,
    endedAt: nullableDate,
    durationSec: nullableNumber,
    lastSequence: nullableNumber,
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  schemaOptions,
);
schema.index({ tenantId: 1, order: -1 });
schema.index({ tenantId: 1, status: 1, order: -1 });
schema.index({ tenantId: 1, customerId: 1, order: -1 });
schema.index({ tenantId: 1, campaignId: 1, order: -1 });

export const callModel = (conn: Connection) => conn.model<CallDoc>('Call', schema, 'calls');
