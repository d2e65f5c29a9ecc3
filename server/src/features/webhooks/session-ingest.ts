import type { Actor, TranscriptTurn } from '@callboard/shared';
import type { AppContext } from '../../context.ts';
import { atomically } from '../../db/doc-lock.ts';
import { newId } from '../../db/ids.ts';
import { isDuplicateKey } from '../../db/platform-models.ts';
import { tenantScope } from '../../db/tenant-scope.ts';
import type { VoiceSessionDoc } from '../voice-sessions/model.ts';
import { conversationSessionId, presentSessionSummary } from '../voice-sessions/service.ts';
import { CallIngest } from './call-ingest.ts';
import { tenantCustomer } from './customer-link.ts';
import { CAS_ATTEMPTS, casUpdate, changedFields } from './store.ts';

export type SessionFields = Partial<Omit<VoiceSessionDoc, '_id' | 'tenantId' | 'order' | 'conversationId' | 'createdAt' | 'updatedAt'>>;

/** What one delivery does to a session: new field values, or one new transcript turn. */
export interface SessionChange {
  set: SessionFields;
  /** emitted as `voice_session.turn` instead of `voice_session.updated` */
  turn?: TranscriptTurn;
}

export interface SessionMutation {
  /** the fields a session created by this delivery starts with (it is `live` unless they say otherwise) */
  seed?: SessionFields;
  /** the change to an existing session; null when there is nothing to change */
  apply(cur: VoiceSessionDoc): Promise<SessionChange | null> | SessionChange | null;
  /** runs under the session's lock once the delivery is applied (a receipt that later deliveries read there) */
  committed?(): Promise<void>;
}

/** Sorted by time in call; equal times by role and text, so every arrival order gives one transcript. */
export function insertTurn(transcript: TranscriptTurn[], turn: TranscriptTurn): TranscriptTurn[] | null {
  const key = (t: TranscriptTurn) => [t.atSec, t.role, t.text] as const;
  if (transcript.some((t) => t.atSec === turn.atSec && t.role === turn.role && t.text === turn.text)) return null;
  const [a, r, x] = key(turn);
  const at = transcript.findIndex((t) => t.atSec > a || (t.atSec === a && (t.role > r || (t.role === r && t.text > x))));
  return at === -1 ? [...transcript, turn] : [...transcript.slice(0, at), turn, ...transcript.slice(at)];
}

/** Fills only the fields still empty: a bridge's values never replace the voice platform's own record. */
export function fillEmpty(cur: VoiceSessionDoc, values: SessionFields): SessionFields {
  const out: SessionFields = {};
  for (const [k, v] of Object.entries(values) as [keyof SessionFields, unknown][]) {
    if (v !== null && v !== undefined && (cur[k] === null || cur[k] === undefined)) (out as Record<string, unknown>)[k] = v;
  }
  return out;
}

/** Voice sessions from webhooks: found by a `_id` derived from the conversation, changed under its lock. */
export class SessionIngest {
  readonly calls: CallIngest;

  constructor(private readonly ctx: AppContext) {
    this.calls = new CallIngest(ctx);
  }

  private scope(tenantId: string) {
    return tenantScope(this.ctx.models.voiceSessions, tenantId);
  }

  private async publish(tenantId: string, event: 'voice_session.created' | 'voice_session.updated', doc: VoiceSessionDoc, actor: Actor) {
    const customer = await tenantCustomer(this.ctx, tenantId, doc.customerId);
    await this.ctx.changes.publish(tenantId, event, presentSessionSummary(doc, customer), actor);
  }

  private blank(id: string, conversationId: string, seed: SessionFields): Omit<VoiceSessionDoc, 'tenantId'> {
    const now = new Date();
    return {
      _id: id,
      order: newId(),
      conversationId,
      agentId: null,
      customerId: null,
      callId: null,
      status: 'live',
      direction: null,
      from: null,
      to: null,
      locale: null,
      startedAt: null,
      endedAt: null,
      durationSec: null,
      transcript: [],
      summary: null,
      outcome: null,
      dataCollection: [],
      cost: null,
      terminationReason: null,
      ...seed,
      createdAt: now,
      updatedAt: now,
    };
  }

  /**
   * Creates the session when its conversation is unknown (`voice_session.created`),
   * then applies the delivery's change (`voice_session.updated` or `.turn`), all
   * under the session's lock so concurrent deliveries of one conversation queue up.
   * Answers the session and whether anything changed.
   */
  mutate(tenantId: string, conversationId: string, actor: Actor, m: SessionMutation): Promise<{ session: VoiceSessionDoc; changed: boolean }> {
    const id = conversationSessionId(tenantId, conversationId);
    return atomically(this.ctx.models.voiceSessions, id, async () => {
      let changed = false;
      for (let attempt = 1; attempt <= CAS_ATTEMPTS; attempt++) {
        let cur = await tenantScope(this.ctx.models.voiceSessions, tenantId).findById(id);
        if (!cur) {
          try {
            cur = await this.scope(tenantId).create(this.blank(id, conversationId, m.seed ?? {}));
          } catch (err) {
            if (isDuplicateKey(err)) continue;
            throw err;
          }
          await this.publish(tenantId, 'voice_session.created', cur, actor);
          changed = true;
        }
        const change = await m.apply(cur);
        const set = change ? changedFields<VoiceSessionDoc>(cur, change.set) : null;
        if (!set) {
          await m.committed?.();
          return { session: cur, changed };
        }
        const updated = await casUpdate<VoiceSessionDoc>(this.ctx.db, this.ctx.models.voiceSessions, cur, set);
        if (!updated) continue;
        if (change?.turn) {
          await this.ctx.changes.publish(tenantId, 'voice_session.turn', { sessionId: id, conversationId, turn: change.turn }, actor);
        } else {
          await this.publish(tenantId, 'voice_session.updated', updated, actor);
        }
        await m.committed?.();
        return { session: updated, changed: true };
      }
      throw new Error(`voice session ${id} kept changing under a webhook`);
    });
  }

  /** Ties the session's call to it (and the session's customer to the call) once the session knows its call. */
  async linkCall(tenantId: string, session: VoiceSessionDoc, actor: Actor): Promise<boolean> {
    if (!session.callId) return false;
    return this.calls.linkSession(
      tenantId,
      session.callId,
      { sessionId: session._id, customerId: session.customerId, direction: session.direction, from: session.from, to: session.to },
      actor,
    );
  }
}
