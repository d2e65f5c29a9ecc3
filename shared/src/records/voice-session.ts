import { z } from 'zod';
import { idSchema } from '../primitives.ts';
import { listQuery, type Timestamps } from './common.ts';

export const voiceSessionStatuses = ['live', 'processing', 'done', 'failed'] as const;
export const voiceSessionStatusSchema = z.enum(voiceSessionStatuses);
export type VoiceSessionStatus = z.infer<typeof voiceSessionStatusSchema>;

export const voiceSessionOutcomeSchema = z.enum(['success', 'failure', 'unknown']);

export interface TranscriptTurn {
  role: 'user' | 'agent';
  text: string;
  atSec: number;
}

export interface DataCollectionResult {
  id: string;
  value: unknown;
  rationale: string | null;
}

export interface VoiceSessionSummary extends Timestamps {
  id: string;
  conversationId: string;
  agentId: string | null;
  customerId: string | null;
  callId: string | null;
  status: VoiceSessionStatus;
  direction: 'inbound' | 'outbound' | null;
  from: string | null;
  to: string | null;
  locale: string | null;
  startedAt: string | null;
  endedAt: string | null;
  durationSec: number | null;
  summary: string | null;
  outcome: z.infer<typeof voiceSessionOutcomeSchema> | null;
  dataCollection: DataCollectionResult[];
  cost: number | null;
  terminationReason: string | null;
  displayName: string;
}

export interface VoiceSession extends VoiceSessionSummary {
  transcript: TranscriptTurn[];
}

export const voiceSessionListQuery = listQuery({
  status: voiceSessionStatusSchema.optional(),
  customerId: idSchema.optional(),
});
