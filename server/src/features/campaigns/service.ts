import type { z } from 'zod';
import {
  campaignActions,
  displayName,
  type Actor,
  type Campaign,
  type CampaignAction,
  type CampaignMember,
  type CampaignStatus,
  type createCampaignRequest,
  type Page,
  type patchCampaignRequest,
} from '@callboard/shared';
import type { AppContext } from '../../context.ts';
import { EditableRecords } from '../../db/editable.ts';
import { derivedId, newId } from '../../db/ids.ts';
import { paginate, type PageRequest } from '../../db/paginate.ts';
import { tenantScope } from '../../db/tenant-scope.ts';
import { validationFailed } from '../../http/errors.ts';
import type { CampaignDoc, CampaignMemberDoc } from './model.ts';

/** A member as listed: the customer's display name, or null once the customer is deleted. */
export interface ListedCampaignMember extends CampaignMember {
  displayName: string | null;
}

export function presentCampaign(doc: CampaignDoc): Campaign {
  return {
    id: doc._id,
    name: doc.name,
    objective: doc.objective,
    status: doc.status,
    stats: doc.stats,
    version: doc.version,
    createdAt: doc.createdAt.toISOString(),
    updatedAt: doc.updatedAt.toISOString(),
  };
}

const presentMember = (doc: CampaignMemberDoc): CampaignMember => ({ customerId: doc.customerId, addedAt: doc.addedAt.toISOString() });

/** Whether a failed unordered insert failed only on documents that already exist. */
function onlyDuplicates(err: unknown): err is { insertedCount: number } {
  // Mongoose copies the driver's write errors into plain objects, so the code sits on `err`, not on a getter.
  const writeErrors = (err as { writeErrors?: { code?: number; err?: { code?: number } }[] } | null)?.writeErrors;
  return Array.isArray(writeErrors) && writeErrors.length > 0 && writeErrors.every((w) => (w.err?.code ?? w.code) === 11000);
}

export class CampaignService {
  readonly records: EditableRecords<CampaignDoc, Campaign>;

  constructor(private readonly ctx: AppContext) {
    this.records = new EditableRecords(ctx, {
      model: ctx.models.campaigns,
      recordType: 'campaign',
      what: 'campaign',
      created: 'campaign.created',
      updated: 'campaign.updated',
      fields: ['name', 'objective', 'status'],
      present: presentCampaign,
      // A campaign belongs to no single customer's timeline.
      customerOf: () => null,
    });
  }

  get(tenantId: string, id: string) {
    return this.records.get(tenantId, id);
  }

  list(tenantId: string, filter: { status?: CampaignStatus | undefined }, page: PageRequest) {
    return this.records.list(tenantId, filter.status ? { status: filter.status } : {}, page);
  }

  create(tenantId: string, req: z.output<typeof createCampaignRequest>, actor: Actor): Promise<Campaign> {
    const now = new Date();
    return this.records.create(
      tenantId,
      {
        _id: newId(),
        name: req.name,
        objective: req.objective,
        status: 'draft',
        stats: { members: 0, queued: 0, inProgress: 0, completed: 0, failed: 0 },
        version: 1,
        fieldVersions: {},
        createdAt: now,
        updatedAt: now,
      },
      actor,
    );
  }

  async patch(tenantId: string, id: string, req: z.output<typeof patchCampaignRequest>, actor: Actor): Promise<Campaign> {
    return (await this.records.patch(tenantId, id, req, actor)).record;
  }

  /**
   * start / pause / resume / complete. The status condition in the update makes the
   * move atomic: of two concurrent moves from the same status, one wins. Status is
   * not patchable, so no field version is kept for it.
   */
  async act(tenantId: string, id: string, action: CampaignAction, actor: Actor): Promise<Campaign> {
    const move = campaignActions[action];
    const from: readonly CampaignStatus[] = move.from;
    const after = await this.records
      .scope(tenantId)
      .findOneAndUpdate({ _id: id, status: { $in: from } }, { $set: { status: move.to, updatedAt: new Date() }, $inc: { version: 1 } });
    if (!after) {
      const current = await this.records.get(tenantId, id);
      throw validationFailed([{ path: 'status', message: `cannot ${action}: cannot move from ${current.status} to ${move.to}` }]);
    }
    return this.published(tenantId, after, actor);
  }

  /** Adds customers of the tenant; a customer already in the campaign stays where they were and is not counted. */
  async addMembers(tenantId: string, campaignId: string, customerIds: string[], actor: Actor): Promise<{ added: number; members: number }> {
    const campaign = await this.records.get(tenantId, campaignId);
    const unique = [...new Set(customerIds)];
    const known = await tenantScope(this.ctx.models.customers, tenantId).findByIds(unique);
    const found = new Set(known.map((c) => c._id));
    const unknown = customerIds.flatMap((id, i) => (found.has(id) ? [] : [{ path: `customerIds.${i}`, message: 'no such customer' }]));
    if (unknown.length > 0) throw validationFailed(unknown);

    const added = await this.insertMembers(tenantId, campaignId, unique);
    if (added === 0) return { added, members: campaign.stats.members };
    // `$inc` by what this request inserted keeps the count right under concurrent adds.
    const after = await this.records
      .scope(tenantId)
      .findOneAndUpdate({ _id: campaignId }, { $inc: { 'stats.members': added, version: 1 }, $set: { updatedAt: new Date() } });
    if (!after) return { added, members: campaign.stats.members + added };
    await this.published(tenantId, after, actor);
    return { added, members: after.stats.members };
  }

  private async insertMembers(tenantId: string, campaignId: string, customerIds: string[]): Promise<number> {
    const addedAt = new Date();
    const docs = customerIds.map((customerId) => ({
      _id: derivedId(tenantId, campaignId, customerId),
      tenantId,
      order: newId(),
      campaignId,
      customerId,
      addedAt,
    }));
    try {
      // The tenant scope inserts one document at a time; a batch of up to 1000 goes in one
      // unordered insert instead, each document stamped with the tenant like the scope would.
      await this.ctx.models.campaignMembers.insertMany(docs, { ordered: false });
      return docs.length;
    } catch (err) {
      if (onlyDuplicates(err)) return err.insertedCount;
      throw err;
    }
  }

  async listMembers(tenantId: string, campaignId: string, page: PageRequest): Promise<Page<ListedCampaignMember>> {
    await this.records.get(tenantId, campaignId);
    const members = await paginate(tenantScope(this.ctx.models.campaignMembers, tenantId), { campaignId }, page, presentMember, 'order');
    const customers = await tenantScope(this.ctx.models.customers, tenantId).findByIds(members.items.map((m) => m.customerId));
    const names = new Map(customers.map((c) => [c._id, displayName(c)]));
    return {
      items: members.items.map((m) => ({ ...m, displayName: names.get(m.customerId) ?? null })),
      nextCursor: members.nextCursor,
    };
  }

  private async published(tenantId: string, doc: CampaignDoc, actor: Actor): Promise<Campaign> {
    const record = presentCampaign(doc);
    await this.ctx.changes.publish(tenantId, 'campaign.updated', record, actor);
    return record;
  }
}

/** The campaigns a customer is a member of, most recently joined first (for `/api/customers/:id/campaigns`). */
export async function customerCampaigns(ctx: AppContext, tenantId: string, customerId: string, page: PageRequest): Promise<Page<Campaign>> {
  const members = await paginate(tenantScope(ctx.models.campaignMembers, tenantId), { customerId }, page, (d) => d.campaignId, 'order');
  const docs = await tenantScope(ctx.models.campaigns, tenantId).findByIds(members.items);
  const byId = new Map(docs.map((d) => [d._id, d]));
  return {
    items: members.items.flatMap((id) => {
      const doc = byId.get(id);
      return doc ? [presentCampaign(doc)] : [];
    }),
    nextCursor: members.nextCursor,
  };
}
