import { Schema, type Connection } from 'mongoose';
import type { DataCollectionResult, TranscriptTurn, VoiceSessionStatus } from '@callboard/shared';
import { nullableDate, nullableNumber, nullableString, schemaOptions } from '../../db/schema-helpers.ts';

export interface VoiceSessionDoc {
  /** derived from tenant and conversation id, so webhooks find it by `_id` */
  _id: string;
  tenantId: string;
  order: string;
  conversationId: string;
  agentId: string | null;
  customerId: string | null;
  callId: string | null;
  status: VoiceSessionStatus;
  direction: 'inbound' | 'outbound' | null;
  from: string | null;
  to: string | null;
  locale: string | null;
  startedAt: Date | null;
  endedAt: Date | null;
  durationSec: number | null;
  transcript: TranscriptTurn[];
  summary: string | null;
  outcome: 'success' | 'failure' | 'unknown' | null;
  dataCollection: DataCollectionResult[];
  cost: number | null;
  terminationReason: string | null;
  createdAt: Date;
  updatedAt: Date;
}

const schema = new Schema<VoiceSessionDoc>(
  {
    _id: { type: String, required: true },
    tenantId: { type: String, required: true },
    order: { type: String, required: true },
    conversationId: { type: String, required: true },
    agentId: nullableString,
    customerId: nullableString,
    callId: nullableString,
    status: { type: String, required: true },
    direction: nullableString,
    from: nullableString,
    to: nullableString,
    locale: nullableString,
    startedAt: nullableDate,
    endedAt: nullableDate,
    durationSec: nullableNumber,
    transcript: { type: [Object], default: [] },
    summary: nullableString,
    outcome: nullableString,
    dataCollection: { type: [Object], default: [] },
    cost: nullableNumber,
    terminationReason: nullableString,
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  schemaOptions,
);
schema.index({ tenantId: 1, order: -1 });
schema.index({ tenantId: 1, status: 1, order: -1 });
schema.index({ tenantId: 1, customerId: 1, order: -1 });

export const voiceSessionModel = (conn: Connection) => conn.model<VoiceSessionDoc>('VoiceSession', schema, 'voiceSessions');
