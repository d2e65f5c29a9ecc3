import type { Model } from 'mongoose';
import type { Activity, Actor, ChangeEventData, ChangeEventName } from '@callboard/shared';
import type { AppContext } from '../context.ts';
import { ActivityLog, diffFields } from '../features/activity/service.ts';
import { notFound } from '../http/errors.ts';
import { paginate, type PageRequest } from './paginate.ts';
import { tenantScope, type TenantOwned } from './tenant-scope.ts';
import { patchVersioned, type Versioned } from './versioned.ts';

type Doc = TenantOwned & Versioned & { createdAt: Date };
type EventsOf<R> = {
  [E in ChangeEventName]: ChangeEventData[E] extends R ? E : never;
}[ChangeEventName];

export interface EditableSpec<D extends Doc, R> {
  model: Model<D>;
  recordType: Activity['recordType'];
  what: string;
  created: EventsOf<R>;
  updated: EventsOf<R>;
  deleted?: 'customer.deleted' | 'ticket.deleted' | 'booking.deleted';
  /** the editable fields, diffed into the activity log */
  fields: readonly string[];
  present(doc: D): R;
  /** the customer whose timeline records this record's changes */
  customerOf(doc: D): string | null;
}

/**
 * The life of an editable record, the same for every kind: create, versioned
 * patch, delete, each followed by its activity entry and its change event.
 */
export class EditableRecords<D extends Doc, R> {
  private readonly activity: ActivityLog;

  constructor(
    private readonly ctx: AppContext,
    private readonly spec: EditableSpec<D, R>,
  ) {
    this.activity = new ActivityLog(ctx);
  }

  scope(tenantId: string) {
    return tenantScope(this.spec.model, tenantId);
  }

  async get(tenantId: string, id: string): Promise<D> {
    const doc = await this.scope(tenantId).findById(id);
    if (!doc) throw notFound(this.spec.what);
    return doc;
  }

  /** Newest first; filter fields left undefined (absent query parameters) do not filter. */
  list(tenantId: string, filter: Record<string, unknown>, page: PageRequest) {
    const where = Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== undefined));
    return paginate(this.scope(tenantId), where as never, page, (d) => this.spec.present(d));
  }

  private async log(tenantId: string, doc: D, action: Activity['action'], actor: Actor, before: D | null, after: D | null) {
    const customerId = this.spec.customerOf(doc);
    if (!customerId) return;
    const changes = diffFields(before as never, after as never, this.spec.fields);
    await this.activity.record(tenantId, { customerId, recordType: this.spec.recordType, recordId: doc._id, action, actor, changes });
  }

  private publish(tenantId: string, event: ChangeEventName, data: unknown, actor: Actor) {
    return this.ctx.changes.publish(tenantId, event, data as never, actor);
  }

  async create(tenantId: string, doc: Omit<D, 'tenantId'>, actor: Actor): Promise<R> {
    const created = await this.scope(tenantId).create(doc);
    await this.log(tenantId, created, 'created', actor, null, created);
    const record = this.spec.present(created);
    await this.publish(tenantId, this.spec.created, record, actor);
    return record;
  }

  async patch(
    tenantId: string,
    id: string,
    req: { version: number; set: Record<string, unknown> },
    actor: Actor,
    opts: { check?: (current: D) => void; toStored?: (set: Record<string, unknown>, current: D) => Record<string, unknown> } = {},
  ): Promise<{ record: R; before: D; after: D }> {
    const scope = this.scope(tenantId);
    let current: D | null = null;
    const { before, after } = await patchVersioned<D>(
      {
        load: async () => {
          current = await scope.findById(id);
          if (current) opts.check?.(current);
          return current;
        },
        commitIfAt: (version, $set) => scope.findOneAndUpdate({ _id: id, version } as never, { $set } as never),
      },
      req.version,
      req.set,
      (d) => this.spec.present(d),
      (set) => (opts.toStored && current ? opts.toStored(set, current) : set),
    );
    await this.log(tenantId, after, 'updated', actor, before, after);
    const record = this.spec.present(after);
    await this.publish(tenantId, this.spec.updated, record, actor);
    return { record, before, after };
  }

  async delete(tenantId: string, id: string, actor: Actor): Promise<D> {
    const scope = this.scope(tenantId);
    const doc = await scope.findById(id);
    if (!doc) throw notFound(this.spec.what);
    const res = await scope.deleteOne({ _id: id } as never);
    if (res.deletedCount === 0) throw notFound(this.spec.what);
    await this.log(tenantId, doc, 'deleted', actor, doc, null);
    if (this.spec.deleted) await this.publish(tenantId, this.spec.deleted, { id }, actor);
    return doc;
  }
}
