import { z } from 'zod';
import { idSchema } from '../primitives.ts';
import { booleanQuery, listQuery, type Timestamps } from './common.ts';

/** Twilio's call vocabulary (API.md §5). */
export const callStatuses = ['queued', 'initiated', 'ringing', 'in-progress', 'completed', 'busy', 'failed', 'no-answer', 'canceled'] as const;
export const callStatusSchema = z.enum(callStatuses);
export type CallStatus = z.infer<typeof callStatusSchema>;

export const terminalCallStatuses: readonly CallStatus[] = ['completed', 'busy', 'failed', 'no-answer', 'canceled'];
export const liveCallStatuses: readonly CallStatus[] = ['queued', 'initiated', 'ringing', 'in-progress'];
export const isTerminalCall = (s: CallStatus) => terminalCallStatuses.includes(s);

/** How far along a call is; a status only ever moves to a higher rank, and terminal ones never move. */
export const callStatusRank: Record<CallStatus, number> = {
  queued: 0,
  initiated: 1,
  ringing: 2,
  'in-progress': 3,
  completed: 4,
  busy: 4,
  failed: 4,
  'no-answer': 4,
  canceled: 4,
};

export function callCanMove(from: CallStatus, to: CallStatus): boolean {
  return !isTerminalCall(from) && callStatusRank[to] > callStatusRank[from];
}

export const callDirectionSchema = z.enum(['inbound', 'outbound']);
export type CallDirection = z.infer<typeof callDirectionSchema>;

export interface Call extends Timestamps {
  id: string;
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
  startedAt: string | null;
  answeredAt: string | null;
  endedAt: string | null;
  durationSec: number | null;
  /** the customer's display name, or the other party's formatted number */
  displayName: string;
}

export const createCallRequest = z.strictObject({ customerId: idSchema });
export const callListQuery = listQuery({
  status: callStatusSchema.optional(),
  live: booleanQuery.optional(),
  customerId: idSchema.optional(),
  campaignId: idSchema.optional(),
});
