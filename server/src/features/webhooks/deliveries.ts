import { Schema, type Connection } from 'mongoose';
import type { ErrorCode, Page, WebhookDelivery, WebhookDeliveryResult, WebhookProvider } from '@callboard/shared';
import type { AppContext } from '../../context.ts';
import { newId } from '../../db/ids.ts';
import { paginate, type PageRequest } from '../../db/paginate.ts';
import { tenantScope } from '../../db/tenant-scope.ts';
import { WebhookReceipts } from './receipts.ts';

/** One line of the delivery log: what came, whether it verified, what it did. Never a secret or a body. */
export interface WebhookDeliveryDoc {
  /** time-sortable, so pruning and pages go by `_id` */
  _id: string;
  tenantId: string;
  endpointId: string;
  provider: WebhookProvider;
  at: Date;
  providerKey: string | null;
  verified: boolean;
  result: WebhookDeliveryResult;
  status: number;
  errorCode: ErrorCode | null;
}

const schema = new Schema<WebhookDeliveryDoc>(
  {
    _id: { type: String, required: true },
    tenantId: { type: String, required: true },
    endpointId: { type: String, required: true },
    provider: { type: String, required: true },
    at: { type: Date, required: true },
    providerKey: { type: String, default: null },
    verified: { type: Boolean, required: true },
    result: { type: String, required: true },
    status: { type: Number, required: true },
    errorCode: { type: String, default: null },
  },
  { versionKey: false },
);
schema.index({ tenantId: 1, _id: -1 });
schema.index({ tenantId: 1, endpointId: 1, _id: -1 });

export const webhookDeliveryModel = (conn: Connection) => conn.model<WebhookDeliveryDoc>('WebhookDelivery', schema, 'webhookDeliveries');

export type DeliveryEntry = Omit<WebhookDeliveryDoc, '_id' | 'at'>;

export function presentDelivery(doc: WebhookDeliveryDoc): WebhookDelivery {
  return {
    id: doc._id,
    endpointId: doc.endpointId,
    provider: doc.provider,
    at: doc.at.toISOString(),
    providerKey: doc.providerKey,
    verified: doc.verified,
    result: doc.result,
    status: doc.status,
    errorCode: doc.errorCode,
  };
}

/** The first `_id` made at `ms` (see newId): every smaller id is older. */
const idAt = (ms: number) => ms.toString(36).padStart(9, '0');

export class DeliveryLog {
  private readonly model;

  constructor(private readonly ctx: AppContext) {
    this.model = ctx.models.webhookDeliveries;
  }

  /** Logs a delivery; a failure to log never changes the answer the provider gets. */
  async record({ tenantId, ...entry }: DeliveryEntry): Promise<void> {
    try {
      await tenantScope(this.model, tenantId).create({ _id: newId(), at: new Date(), ...entry });
    } catch (err) {
      this.ctx.log.warn({ err, endpointId: entry.endpointId }, 'webhook delivery could not be logged');
    }
  }

  list(tenantId: string, query: PageRequest & { endpointId?: string | undefined }): Promise<Page<WebhookDelivery>> {
    const filter = query.endpointId ? { endpointId: query.endpointId } : {};
    return paginate(tenantScope(this.model, tenantId), filter, query, presentDelivery);
  }

  /** Deletes lines older than `keepMs`, tenant by tenant (every query carries its tenant). */
  async prune(keepMs: number, now = Date.now()): Promise<number> {
    const tenants = await this.ctx.models.tenants.find({}, { _id: 1 }).lean().exec();
    let deleted = 0;
    for (const t of tenants) {
      const res = await tenantScope(this.model, t._id).deleteMany({ _id: { $lt: idAt(now - keepMs) } });
      deleted += res.deletedCount;
    }
    return deleted;
  }
}

export interface WebhookJobOptions {
  everyMs?: number;
  /** delivery log lines and idempotency records are kept this long (default 7 days) */
  keepMs?: number;
}

/**
 * Prunes the delivery log and the idempotency records on a timer (FerretDB has no
 * TTL indexes). Runs never overlap; `stop` waits for one in progress.
 */
export function startWebhookJobs(ctx: AppContext, opts: WebhookJobOptions = {}) {
  const log = ctx.log.child({ module: 'webhook-jobs' });
  const deliveries = new DeliveryLog(ctx);
  const receipts = new WebhookReceipts(ctx);
  const keepMs = opts.keepMs ?? 7 * 86_400_000;
  let stopped = false;
  let running: Promise<void> | null = null;
  let timer: NodeJS.Timeout;
  const runOnce = async () => {
    const lines = await deliveries.prune(keepMs);
    const keys = await receipts.prune(keepMs);
    if (lines + keys > 0) log.info({ lines, keys }, 'webhook delivery log and idempotency records pruned');
  };
  const schedule = () => {
    timer = setTimeout(() => {
      running = runOnce()
        .catch((err: unknown) => log.warn({ err }, 'webhook pruning failed'))
        .finally(() => {
          running = null;
          if (!stopped) schedule();
        });
    }, opts.everyMs ?? 60 * 60_000);
    timer.unref();
  };
  schedule();
  return {
    runOnce,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
