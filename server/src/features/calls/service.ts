import { displayName, liveCallStatuses, otherPartyName, terminalCallStatuses, type Actor, type Call } from '@callboard/shared';
import type { AppContext } from '../../context.ts';
import { derivedId, newId } from '../../db/ids.ts';
import { paginate, type PageRequest } from '../../db/paginate.ts';
import { tenantScope } from '../../db/tenant-scope.ts';
import { validationFailed, notFound } from '../../http/errors.ts';
import { ActivityLog } from '../activity/service.ts';
import type { CustomerDoc } from '../customers/model.ts';
import { requireCustomer } from '../customers/service.ts';
import type { CallDoc } from './model.ts';

const iso = (d: Date | null) => d?.toISOString() ?? null;

export function presentCall(doc: CallDoc, customer: Pick<CustomerDoc, 'name' | 'phone'> | null): Call {
  return {
    id: doc._id,
    customerId: doc.customerId,
    campaignId: doc.campaignId,
    direction: doc.direction,
    status: doc.status,
    from: doc.from,
    to: doc.to,
    provider: doc.provider,
    providerCallId: doc.providerCallId,
    voiceSessionId: doc.voiceSessionId,
    failureReason: doc.failureReason,
    startedAt: iso(doc.startedAt),
    answeredAt: iso(doc.answeredAt),
    endedAt: iso(doc.endedAt),
    durationSec: doc.durationSec,
    displayName: customer ? displayName(customer) : otherPartyName(doc),
    createdAt: doc.createdAt.toISOString(),
    updatedAt: doc.updatedAt.toISOString(),
  };
}

/** The customers named by a page of calls or sessions, in one query by `_id`. */
export async function customersById(ctx: AppContext, tenantId: string, ids: (string | null)[]) {
  const wanted = [...new Set(ids.filter((id): id is string => !!id))];
  if (wanted.length === 0) return new Map<string, CustomerDoc>();
  const docs = await tenantScope(ctx.models.customers, tenantId).findByIds(wanted);
  return new Map(docs.map((d) => [d._id, d]));
}

export interface CallFilter {
  status?: string | undefined;
  live?: boolean | undefined;
  customerId?: string | undefined;
  campaignId?: string | undefined;
}

export class CallService {
  constructor(private readonly ctx: AppContext) {}

  private scope(tenantId: string) {
    return tenantScope(this.ctx.models.calls, tenantId);
  }

  async present(tenantId: string, doc: CallDoc): Promise<Call> {
    const names = await customersById(this.ctx, tenantId, [doc.customerId]);
    return presentCall(doc, doc.customerId ? (names.get(doc.customerId) ?? null) : null);
  }

  async list(tenantId: string, filter: CallFilter, page: PageRequest) {
    const where: Record<string, unknown> = {};
    if (filter.status) where.status = filter.status;
    else if (filter.live === true) where.status = { $in: liveCallStatuses };
    else if (filter.live === false) where.status = { $in: terminalCallStatuses };
    if (filter.customerId) where.customerId = filter.customerId;
    if (filter.campaignId) where.campaignId = filter.campaignId;
    const raw = await paginate(this.scope(tenantId), where as never, page, (d) => d, 'order');
    const names = await customersById(this.ctx, tenantId, raw.items.map((c) => c.customerId));
    return { items: raw.items.map((c) => presentCall(c, c.customerId ? (names.get(c.customerId) ?? null) : null)), nextCursor: raw.nextCursor };
  }

  async get(tenantId: string, id: string): Promise<Call> {
    const doc = await this.scope(tenantId).findById(id);
    if (!doc) throw notFound('call');
    return this.present(tenantId, doc);
  }

  /** A single outbound call, queued for the dialer. */
  async create(tenantId: string, customerId: string, actor: Actor): Promise<Call> {
    const customer = await requireCustomer(this.ctx, tenantId, customerId);
    if (!customer.phone) throw validationFailed([{ path: 'customerId', message: 'the customer has no phone number' }]);
    const tenant = await this.ctx.models.tenants.findById(tenantId).lean().exec();
    const now = new Date();
    const id = newId();
    const doc = await this.scope(tenantId).create({
      _id: id,
      order: id,
      customerId,
      campaignId: null,
      direction: 'outbound',
      status: 'queued',
      from: tenant?.telephony.fromNumber ?? null,
      to: customer.phone,
      provider: tenant?.telephony.provider ?? 'simulated',
      providerCallId: null,
      voiceSessionId: null,
      failureReason: null,
      startedAt: null,
      answeredAt: null,
      endedAt: null,
      durationSec: null,
      lastSequence: null,
      createdAt: now,
      updatedAt: now,
    });
    const call = presentCall(doc, customer);
    await new ActivityLog(this.ctx).record(tenantId, { customerId, recordType: 'call', recordId: id, action: 'created', actor, changes: [] });
    await this.ctx.changes.publish(tenantId, 'call.created', call, actor);
    return call;
  }

  /** Cancels a call that has not ended; an ended call cannot move (400 naming the move). */
  async cancel(tenantId: string, id: string, actor: Actor): Promise<Call> {
    const now = new Date();
    const doc = await this.scope(tenantId).findOneAndUpdate(
      { _id: id, status: { $in: liveCallStatuses } } as never,
      { $set: { status: 'canceled', endedAt: now, updatedAt: now } },
    );
    if (!doc) {
      const current = await this.scope(tenantId).findById(id);
      if (!current) throw notFound('call');
      throw validationFailed([{ path: 'status', message: `cannot move from ${current.status} to canceled` }]);
    }
    const call = await this.present(tenantId, doc);
    if (doc.customerId) {
      await new ActivityLog(this.ctx).record(tenantId, {
        customerId: doc.customerId,
        recordType: 'call',
        recordId: id,
        action: 'updated',
        actor,
        changes: [{ field: 'status', before: 'live', after: 'canceled' }],
      });
    }
    await this.ctx.changes.publish(tenantId, 'call.updated', call, actor);
    return call;
  }
}

/** The `_id` of the call a provider knows by `callSid` (a Twilio CallSid), so webhooks find it by `_id` alone. */
export const webhookCallId = (tenantId: string, callSid: string) => derivedId(tenantId, 'twilio', callSid);
