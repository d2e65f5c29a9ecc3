import { Schema, type Connection } from 'mongoose';
import type { AppContext } from '../../context.ts';
import { derivedId } from '../../db/ids.ts';
import { isDuplicateKey } from '../../db/platform-models.ts';
import { tenantScope } from '../../db/tenant-scope.ts';

/**
 * An idempotency record: a provider key already applied (an ElevenLabs type and
 * conversation, a Standard Webhooks `webhook-id`). Its `_id` is a hash of tenant,
 * kind and key, so the duplicate check is one lookup by `_id`.
 */
export interface WebhookReceiptDoc {
  _id: string;
  tenantId: string;
  kind: string;
  key: string;
  at: Date;
}

const schema = new Schema<WebhookReceiptDoc>(
  {
    _id: { type: String, required: true },
    tenantId: { type: String, required: true },
    kind: { type: String, required: true },
    key: { type: String, required: true },
    at: { type: Date, required: true },
  },
  { versionKey: false },
);
schema.index({ tenantId: 1, at: 1 });

export const webhookReceiptModel = (conn: Connection) => conn.model<WebhookReceiptDoc>('WebhookReceipt', schema, 'webhookReceipts');

/** ElevenLabs sends no event id: a type and conversation is applied once. */
export const elevenLabsReceipt = (type: string, conversationId: string) => `${type}:${conversationId}`;
/** Its post-call transcript, once in, is the session's record: live turns read this receipt. */
export const postCallReceipt = (conversationId: string) => elevenLabsReceipt('post_call_transcription', conversationId);

const receiptId = (tenantId: string, kind: string, key: string) => `r:${derivedId(tenantId, kind, key)}`;

/**
 * Recorded after the change is applied, never before: a delivery cut off halfway
 * (database outage, 503) has no receipt, so the provider's retry applies it again,
 * and each apply is idempotent on its own. A receipt only makes the repeat cheap
 * and answers `duplicate:true` without touching the records.
 */
export class WebhookReceipts {
  private readonly model;
  private readonly tenants: AppContext['models']['tenants'];

  constructor(ctx: AppContext) {
    this.model = ctx.models.webhookReceipts;
    this.tenants = ctx.models.tenants;
  }

  async seen(tenantId: string, kind: string, key: string): Promise<boolean> {
    return (await tenantScope(this.model, tenantId).findById(receiptId(tenantId, kind, key))) !== null;
  }

  async remember(tenantId: string, kind: string, key: string): Promise<void> {
    try {
      await tenantScope(this.model, tenantId).create({ _id: receiptId(tenantId, kind, key), kind, key, at: new Date() });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
  }

  async prune(keepMs: number, now = Date.now()): Promise<number> {
    const tenants = await this.tenants.find({}, { _id: 1 }).lean().exec();
    let deleted = 0;
    for (const t of tenants) {
      const res = await tenantScope(this.model, t._id).deleteMany({ at: { $lt: new Date(now - keepMs) } });
      deleted += res.deletedCount;
    }
    return deleted;
  }
}
