import { callStatusRank, isTerminalCall, type Actor, type CallDirection, type CallStatus } from '@callboard/shared';
import type { AppContext } from '../../context.ts';
import { atomically } from '../../db/doc-lock.ts';
import { newId } from '../../db/ids.ts';
import { isDuplicateKey } from '../../db/platform-models.ts';
import { tenantScope } from '../../db/tenant-scope.ts';
import type { CallDoc } from '../calls/model.ts';
import { presentCall, webhookCallId } from '../calls/service.ts';
import { customerByPhone, tenantCustomer } from './customer-link.ts';
import { CAS_ATTEMPTS, casUpdate, changedFields } from './store.ts';

/** What a provider said about a call at one moment (a Twilio callback, a bridge's `call.status`, a failed initiation). */
export interface CallObservation {
  callSid: string;
  status: CallStatus;
  /** the provider's per-call order (Twilio SequenceNumber); without it, status rank orders */
  sequence: number | null;
  /** when the provider saw the status; null when the delivery does not say */
  at: Date | null;
  direction?: CallDirection | null;
  from?: string | null;
  to?: string | null;
  durationSec?: number | null;
  failureReason?: string | null;
}

type CallState = Pick<CallDoc, 'status' | 'lastSequence' | 'startedAt' | 'answeredAt' | 'endedAt' | 'durationSec' | 'failureReason' | 'from' | 'to' | 'direction'>;

/** A callback moves the status when it is newer (sequence) and not backwards (rank); a terminal status never moves. */
function statusMoves(cur: CallState, obs: CallObservation) {
  if (isTerminalCall(cur.status)) return false;
  const up = callStatusRank[obs.status] - callStatusRank[cur.status];
  if (obs.sequence === null) return up > 0;
  return (cur.lastSequence === null || obs.sequence > cur.lastSequence) && up >= 0;
}

const earliest = (a: Date | null, b: Date | null) => (a && b ? (a <= b ? a : b) : (a ?? b));
const secondsBefore = (at: Date, sec: number) => new Date(at.getTime() - sec * 1000);

/**
 * The call after one observation. The status, its sequence, the end and the
 * failure reason are gated: only a newer, forward move applies. The start and
 * answer times are facts whatever order they arrive in, so each takes the
 * earliest value seen, and a late callback still fills one that is missing;
 * that way every order of the same callbacks ends in the same call.
 */
export function mergeObservation(cur: CallState, obs: CallObservation): CallState {
  const next = { ...cur };
  const dur = obs.durationSec ?? null;
  if (statusMoves(cur, obs)) {
    next.status = obs.status;
    if (obs.sequence !== null) next.lastSequence = obs.sequence;
    if (isTerminalCall(obs.status)) {
      next.endedAt = obs.at ?? cur.endedAt ?? new Date();
      // A call that ended without being answered talked for no time, whether or not the provider says so.
      next.durationSec = dur ?? (obs.status === 'completed' ? null : 0);
      if (obs.status !== 'completed') next.failureReason = cur.failureReason ?? obs.failureReason ?? obs.status;
    }
  } else if (obs.status === cur.status && cur.durationSec === null && dur !== null) {
    next.durationSec = dur;
  } else if (isTerminalCall(cur.status) && cur.status !== 'completed' && cur.failureReason === null && obs.failureReason) {
    next.failureReason = obs.failureReason;
  }
  // A terminal status other than the call's is a contradicting report: its times are not facts of this call.
  if (obs.at && (!isTerminalCall(obs.status) || obs.status === next.status)) {
    const answered = obs.status === 'in-progress' ? obs.at : obs.status === 'completed' && dur ? secondsBefore(obs.at, dur) : null;
    next.startedAt = earliest(cur.startedAt, isTerminalCall(obs.status) && dur ? secondsBefore(obs.at, dur) : obs.at);
    next.answeredAt = earliest(cur.answeredAt, answered);
  }
  if (isTerminalCall(next.status) && next.durationSec === null && next.answeredAt && next.endedAt) {
    next.durationSec = Math.max(0, Math.round((next.endedAt.getTime() - next.answeredAt.getTime()) / 1000));
  }
  // A call first known without its parties takes them from the first delivery that has them.
  if (cur.from === null && cur.to === null && (obs.from || obs.to)) {
    next.from = obs.from ?? null;
    next.to = obs.to ?? null;
    if (obs.direction) next.direction = obs.direction;
  }
  return next;
}

/** The claim that ties a call to the voice session on it: whichever of the two arrives first, the other finds it by `_id`. */
export const callSessionClaim = (callId: string) => `call-session:${callId}`;

export interface SessionLink {
  sessionId: string;
  customerId: string | null;
  direction: 'inbound' | 'outbound' | null;
  from: string | null;
  to: string | null;
}

/** Calls from webhooks: created when unknown, moved by observations, linked to their voice session. */
export class CallIngest {
  constructor(private readonly ctx: AppContext) {}

  private scope(tenantId: string) {
    return tenantScope(this.ctx.models.calls, tenantId);
  }

  private async publish(tenantId: string, event: 'call.created' | 'call.updated', doc: CallDoc, actor: Actor) {
    const customer = await tenantCustomer(this.ctx, tenantId, doc.customerId);
    await this.ctx.changes.publish(tenantId, event, presentCall(doc, customer), actor);
  }

  /** The session linked to a call, read when the call is created after it. */
  private async linkedSession(tenantId: string, callId: string) {
    const claim = await this.ctx.models.claims.findById(callSessionClaim(callId)).lean().exec();
    if (!claim || claim.tenantId !== tenantId) return null;
    return tenantScope(this.ctx.models.voiceSessions, tenantId).findById(claim.ownerId);
  }

  private async newCall(tenantId: string, id: string, obs: CallObservation): Promise<Omit<CallDoc, 'tenantId'>> {
    const session = await this.linkedSession(tenantId, id);
    const direction = obs.direction ?? session?.direction ?? 'inbound';
    const from = obs.from ?? session?.from ?? null;
    const to = obs.to ?? session?.to ?? null;
    const customer = session?.customerId ? null : await customerByPhone(this.ctx, tenantId, direction === 'outbound' ? to : from);
    // A new call is the observation applied to a call not yet dialled.
    const state = mergeObservation(
      { status: 'queued', lastSequence: null, startedAt: null, answeredAt: null, endedAt: null, durationSec: null, failureReason: null, from, to, direction },
      obs,
    );
    const now = new Date();
    return {
      _id: id,
      order: newId(),
      customerId: session?.customerId ?? customer?._id ?? null,
      campaignId: null,
      provider: 'twilio',
      providerCallId: obs.callSid,
      voiceSessionId: session?._id ?? null,
      ...state,
      createdAt: now,
      updatedAt: now,
    };
  }

  /** Applies one observation; answers whether anything changed (nothing changed: a duplicate, nothing emitted). */
  observe(tenantId: string, obs: CallObservation, actor: Actor): Promise<boolean> {
    const id = webhookCallId(tenantId, obs.callSid);
    return atomically(this.ctx.models.calls, id, async () => {
      for (let attempt = 1; attempt <= CAS_ATTEMPTS; attempt++) {
        const cur = await this.scope(tenantId).findById(id);
        if (!cur) {
          try {
            const created = await this.scope(tenantId).create(await this.newCall(tenantId, id, obs));
            await this.publish(tenantId, 'call.created', created, actor);
            return true;
          } catch (err) {
            if (isDuplicateKey(err)) continue;
            throw err;
          }
        }
        const set = changedFields(cur, mergeObservation(cur, obs));
        if (!set) return false;
        if (cur.customerId === null) {
          const customer = await customerByPhone(this.ctx, tenantId, cur.direction === 'outbound' ? (set.to ?? cur.to) : (set.from ?? cur.from));
          if (customer) set.customerId = customer._id;
        }
        const updated = await casUpdate<CallDoc>(this.ctx.db, this.ctx.models.calls, cur, set);
        if (!updated) continue;
        await this.publish(tenantId, 'call.updated', updated, actor);
        return true;
      }
      throw new Error(`call ${id} kept changing under a webhook`);
    });
  }

  /**
   * Ties a call to its voice session (the first session to claim the call keeps
   * it) and gives the call the session's customer and parties when it lacks
   * them. A call not created yet picks the link up when it is.
   */
  linkSession(tenantId: string, callId: string, link: SessionLink, actor: Actor): Promise<boolean> {
    return atomically(this.ctx.models.calls, callId, async () => {
      let owner = link.sessionId;
      try {
        await this.ctx.models.claims.create({ _id: callSessionClaim(callId), tenantId, ownerId: owner, createdAt: new Date() });
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        owner = (await this.ctx.models.claims.findById(callSessionClaim(callId)).lean().exec())?.ownerId ?? owner;
      }
      for (let attempt = 1; attempt <= CAS_ATTEMPTS; attempt++) {
        const cur = await this.scope(tenantId).findById(callId);
        if (!cur) return false;
        const next: Partial<CallDoc> = { voiceSessionId: owner };
        if (owner === link.sessionId && link.customerId) next.customerId = link.customerId;
        if (cur.from === null && cur.to === null && (link.from || link.to)) {
          Object.assign(next, { from: link.from, to: link.to, ...(link.direction ? { direction: link.direction } : {}) });
        }
        const set = changedFields(cur, next);
        if (!set) return false;
        const updated = await casUpdate<CallDoc>(this.ctx.db, this.ctx.models.calls, cur, set);
        if (!updated) continue;
        await this.publish(tenantId, 'call.updated', updated, actor);
        return true;
      }
      throw new Error(`call ${callId} kept changing while linking its session`);
    });
  }
}
