import { standardWebhookEvent, type Actor, type StandardWebhookEvent } from '@callboard/shared';
import type { AppContext } from '../../context.ts';
import { parseInput } from '../../http/validate.ts';
import { webhookCallId } from '../calls/service.ts';
import type { VoiceSessionDoc } from '../voice-sessions/model.ts';
import { customerByPhone, e164, tenantCustomer } from './customer-link.ts';
import { invalidSignature, type Delivery, type Outcome } from './delivery.ts';
import { parseJson, readRawBody, requireMediaType, WEBHOOK_BODY_LIMIT } from './raw-body.ts';
import { postCallReceipt, WebhookReceipts } from './receipts.ts';
import { fillEmpty, insertTurn, SessionIngest, type SessionFields } from './session-ingest.ts';
import { verifyStandard } from './verify.ts';

type Data<T extends StandardWebhookEvent['type']> = Extract<StandardWebhookEvent, { type: T }>['data'];

const party = (raw: string) => e164(raw) ?? (raw.trim() || null);

/** A session that knows when it started and ended knows how long it lasted (unless the voice platform said). */
function withDuration(cur: VoiceSessionDoc, set: SessionFields): SessionFields {
  const startedAt = set.startedAt ?? cur.startedAt;
  const endedAt = set.endedAt ?? cur.endedAt;
  if (cur.durationSec === null && startedAt && endedAt) {
    return { ...set, durationSec: Math.max(0, Math.round((endedAt.getTime() - startedAt.getTime()) / 1000)) };
  }
  return set;
}

/**
 * A bridge streaming live sessions. Its values fill what is still empty and never
 * replace the voice platform's post-call record, so the two meet in one state
 * whichever arrives first.
 */
export class StandardIngest {
  private readonly sessions: SessionIngest;
  private readonly receipts: WebhookReceipts;

  constructor(private readonly ctx: AppContext) {
    this.sessions = new SessionIngest(ctx);
    this.receipts = new WebhookReceipts(ctx);
  }

  /** Applies one event; a `webhook-id` seen before, or an event that changes nothing, is a duplicate. */
  async handle(tenantId: string, webhookId: string, event: StandardWebhookEvent, actor: Actor): Promise<Outcome> {
    if (await this.receipts.seen(tenantId, 'standard', webhookId)) return 'duplicate';
    const outcome = await this.apply(tenantId, event, actor);
    await this.receipts.remember(tenantId, 'standard', webhookId);
    return outcome;
  }

  private async apply(tenantId: string, event: StandardWebhookEvent, actor: Actor): Promise<Outcome> {
    const changed = (yes: boolean): Outcome => (yes ? 'applied' : 'duplicate');
    switch (event.type) {
      case 'voice_session.started':
        return changed(await this.started(tenantId, event.data, actor));
      case 'voice_session.turn':
        return this.turn(tenantId, event.data, actor);
      case 'voice_session.ended':
        return changed(await this.ended(tenantId, event.data, actor));
      case 'call.status': {
        const d = event.data;
        return changed(await this.sessions.calls.observe(tenantId, { callSid: d.callSid, status: d.status, sequence: d.sequence ?? null, at: new Date(d.at) }, actor));
      }
    }
  }

  private async started(tenantId: string, d: Data<'voice_session.started'>, actor: Actor) {
    const customer =
      (await tenantCustomer(this.ctx, tenantId, d.customerId)) ??
      (await customerByPhone(this.ctx, tenantId, d.direction === 'outbound' ? d.to : d.from));
    const values: SessionFields = {
      agentId: d.agentId ?? null,
      direction: d.direction,
      from: party(d.from),
      to: party(d.to),
      locale: d.locale ?? null,
      startedAt: new Date(d.startedAt),
      callId: d.callSid ? webhookCallId(tenantId, d.callSid) : null,
      customerId: customer?._id ?? null,
    };
    const { session, changed } = await this.sessions.mutate(tenantId, d.conversationId, actor, {
      seed: values,
      apply: (cur) => ({ set: withDuration(cur, fillEmpty(cur, values)) }),
    });
    const linked = await this.sessions.linkCall(tenantId, session, actor);
    return changed || linked;
  }

  /**
   * Turns are kept in `atSec` order whenever they come; once the post-call
   * transcript is in, it is the record. A tool turn without text is acknowledged
   * and not kept (though, like any event, it opens an unknown conversation).
   */
  private async turn(tenantId: string, d: Data<'voice_session.turn'>, actor: Actor): Promise<Outcome> {
    const text = d.text ?? '';
    const kept = d.role !== 'tool' && text.trim() !== '';
    const { changed } = await this.sessions.mutate(tenantId, d.conversationId, actor, {
      apply: async (cur) => {
        if (d.role === 'tool' || !kept) return null;
        if (await this.receipts.seen(tenantId, 'elevenlabs', postCallReceipt(d.conversationId))) return null;
        const turn = { role: d.role, text, atSec: d.atSec };
        const transcript = insertTurn(cur.transcript, turn);
        return transcript ? { set: { transcript }, turn } : null;
      },
    });
    return changed ? 'applied' : kept ? 'duplicate' : 'ignored';
  }

  private async ended(tenantId: string, d: Data<'voice_session.ended'>, actor: Actor) {
    const values: SessionFields = { endedAt: new Date(d.endedAt), summary: d.summary ?? null, outcome: d.outcome ?? null };
    const { changed } = await this.sessions.mutate(tenantId, d.conversationId, actor, {
      apply: (cur) => {
        const set = fillEmpty(cur, values);
        if (cur.status === 'live') set.status = 'done';
        return { set: withDuration(cur, set) };
      },
    });
    return changed;
  }
}

/** `webhook-id`, `webhook-timestamp`, `webhook-signature` over the raw body; JSON `{type, data}`. */
export function standardReceiver(ctx: AppContext) {
  const ingest = new StandardIngest(ctx);
  return async (d: Delivery): Promise<Outcome> => {
    const { req, res } = d;
    requireMediaType(req, ['application/json']);
    const body = await readRawBody(req, res, { limit: WEBHOOK_BODY_LIMIT });
    const headers = { id: req.get('webhook-id'), timestamp: req.get('webhook-timestamp'), signature: req.get('webhook-signature') };
    if (!verifyStandard(headers, body.head, d.endpoint.secrets, d.receivedAt.getTime())) throw invalidSignature();
    d.verified = true;
    d.providerKey = headers.id!;
    const event = parseInput(standardWebhookEvent, parseJson(body.head));
    return ingest.handle(d.tenantId, headers.id!, event, d.actor);
  };
}
