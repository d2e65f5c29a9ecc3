import { displayName, otherPartyName, type VoiceSession, type VoiceSessionSummary } from '@callboard/shared';
import type { AppContext } from '../../context.ts';
import { derivedId } from '../../db/ids.ts';
import { paginate, type PageRequest } from '../../db/paginate.ts';
import { tenantScope } from '../../db/tenant-scope.ts';
import { notFound } from '../../http/errors.ts';
import { customersById } from '../calls/service.ts';
import type { CustomerDoc } from '../customers/model.ts';
import type { VoiceSessionDoc } from './model.ts';

const iso = (d: Date | null) => d?.toISOString() ?? null;

/** A session without its transcript, as lists and change events carry it. */
export function presentSessionSummary(doc: VoiceSessionDoc, customer: Pick<CustomerDoc, 'name' | 'phone'> | null): VoiceSessionSummary {
  return {
    id: doc._id,
    conversationId: doc.conversationId,
    agentId: doc.agentId,
    customerId: doc.customerId,
    callId: doc.callId,
    status: doc.status,
    direction: doc.direction,
    from: doc.from,
    to: doc.to,
    locale: doc.locale,
    startedAt: iso(doc.startedAt),
    endedAt: iso(doc.endedAt),
    durationSec: doc.durationSec,
    summary: doc.summary,
    outcome: doc.outcome,
    dataCollection: doc.dataCollection,
    cost: doc.cost,
    terminationReason: doc.terminationReason,
    displayName: customer ? displayName(customer) : otherPartyName(doc),
    createdAt: doc.createdAt.toISOString(),
    updatedAt: doc.updatedAt.toISOString(),
  };
}

export class VoiceSessionService {
  constructor(private readonly ctx: AppContext) {}

  private scope(tenantId: string) {
    return tenantScope(this.ctx.models.voiceSessions, tenantId);
  }

  async list(tenantId: string, filter: { status?: string | undefined; customerId?: string | undefined }, page: PageRequest) {
    const where: Record<string, unknown> = {};
    if (filter.status) where.status = filter.status;
    if (filter.customerId) where.customerId = filter.customerId;
    const raw = await paginate(this.scope(tenantId), where as never, page, (d) => d, 'order');
    const names = await customersById(this.ctx, tenantId, raw.items.map((s) => s.customerId));
    return {
      items: raw.items.map((s) => presentSessionSummary(s, s.customerId ? (names.get(s.customerId) ?? null) : null)),
      nextCursor: raw.nextCursor,
    };
  }

  async get(tenantId: string, id: string): Promise<VoiceSession> {
    const doc = await this.scope(tenantId).findById(id);
    if (!doc) throw notFound('voice session');
    const names = await customersById(this.ctx, tenantId, [doc.customerId]);
    const summary = presentSessionSummary(doc, doc.customerId ? (names.get(doc.customerId) ?? null) : null);
    return { ...summary, transcript: doc.transcript };
  }
}

/** The `_id` of the session of a voice platform's conversation, so webhooks find it by `_id` alone. */
export const conversationSessionId = (tenantId: string, conversationId: string) => derivedId(tenantId, 'conversation', conversationId);
