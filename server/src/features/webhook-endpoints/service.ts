import { randomBytes } from 'node:crypto';
import {
  STANDARD_SECRET_MESSAGE,
  standardSecretKey,
  type CreateWebhookEndpointRequest,
  type CreatedWebhookEndpoint,
  type RotateWebhookEndpointRequest,
  type RotatedWebhookSecret,
  type WebhookEndpoint,
  type WebhookProvider,
} from '@callboard/shared';
import type { AppContext } from '../../context.ts';
import { newId } from '../../db/ids.ts';
import { paginate, type PageRequest } from '../../db/paginate.ts';
import { tenantScope } from '../../db/tenant-scope.ts';
import { notFound, validationFailed } from '../../http/errors.ts';
import { TenantService } from '../tenants/service.ts';
import type { SealedSecret, WebhookEndpointDoc } from './model.ts';

/** A generated secret: `whsec_` + base64 of 32 random bytes, usable by every provider's scheme. */
export const generateWebhookSecret = () => `whsec_${randomBytes(32).toString('base64')}`;

const isActive = (s: SealedSecret, now: Date) => s.expiresAt === null || s.expiresAt > now;
const ROTATE_ATTEMPTS = 5;

/** What a delivery is verified with: the endpoint and every secret that verifies now. */
export interface DeliveryEndpoint {
  doc: WebhookEndpointDoc;
  secrets: string[];
}

export class WebhookEndpointService {
  readonly model;

  constructor(private readonly ctx: AppContext) {
    this.model = ctx.models.webhookEndpoints;
  }

  private scope(tenantId: string) {
    return tenantScope(this.model, tenantId);
  }

  url(doc: Pick<WebhookEndpointDoc, '_id' | 'provider'>) {
    return `${this.ctx.config.publicUrl}/webhooks/${doc.provider}/${doc._id}`;
  }

  present(doc: WebhookEndpointDoc, now = new Date()): WebhookEndpoint {
    const active = doc.secrets.filter((s) => isActive(s, now));
    const ends = active.map((s) => s.expiresAt?.getTime() ?? 0).filter((t) => t > 0);
    return {
      id: doc._id,
      provider: doc.provider,
      label: doc.label,
      url: this.url(doc),
      activeSecrets: active.length,
      graceEndsAt: ends.length ? new Date(Math.max(...ends)).toISOString() : null,
      createdAt: doc.createdAt.toISOString(),
      updatedAt: doc.updatedAt.toISOString(),
    };
  }

  list(tenantId: string, page: PageRequest) {
    return paginate(this.scope(tenantId), {}, page, (d) => this.present(d));
  }

  /** A secret the tenant gives must fit its provider's scheme; a Standard Webhooks key is `whsec_` + base64. */
  private checkSecret(provider: WebhookProvider, secret: string | undefined) {
    if (provider === 'standard' && secret !== undefined && !standardSecretKey(secret)) {
      throw validationFailed([{ path: 'secret', message: STANDARD_SECRET_MESSAGE }]);
    }
  }

  /** Creates an endpoint; its secret is in this answer only, the database keeps it sealed. */
  async create(tenantId: string, req: CreateWebhookEndpointRequest): Promise<CreatedWebhookEndpoint> {
    this.checkSecret(req.provider, req.secret);
    const secret = req.secret ?? generateWebhookSecret();
    const now = new Date();
    const doc = await this.scope(tenantId).create({
      _id: newId(),
      provider: req.provider,
      label: req.label ?? null,
      secrets: [{ sealed: this.ctx.secrets.seal(secret), createdAt: now, expiresAt: null }],
      createdAt: now,
      updatedAt: now,
    });
    this.ctx.log.info({ tenantId, endpointId: doc._id, provider: doc.provider }, 'webhook endpoint created');
    return { ...this.present(doc, now), secret };
  }

  /**
   * Puts a new secret first; the others keep verifying for `graceSeconds` (never
   * longer than they already would), expired ones are dropped. A compare-and-set
   * on `updatedAt` keeps two concurrent rotations from losing one's secret.
   */
  async rotate(tenantId: string, id: string, req: RotateWebhookEndpointRequest): Promise<RotatedWebhookSecret> {
    for (let attempt = 1; ; attempt++) {
      const current = await this.scope(tenantId).findById(id);
      if (!current) throw notFound('webhook endpoint');
      this.checkSecret(current.provider, req.secret);
      const secret = req.secret ?? generateWebhookSecret();
      const now = new Date(Math.max(Date.now(), current.updatedAt.getTime() + 1));
      const graceEnd = new Date(now.getTime() + req.graceSeconds * 1000);
      const previous = current.secrets
        .filter((s) => isActive(s, now) && req.graceSeconds > 0)
        .map((s) => ({ ...s, expiresAt: s.expiresAt && s.expiresAt < graceEnd ? s.expiresAt : graceEnd }));
      const secrets = [{ sealed: this.ctx.secrets.seal(secret), createdAt: now, expiresAt: null }, ...previous];
      const updated = await this.scope(tenantId).findOneAndUpdate(
        { _id: id, updatedAt: current.updatedAt },
        { $set: { secrets, updatedAt: now } },
      );
      if (updated) {
        this.ctx.log.info({ tenantId, endpointId: id, graceSeconds: req.graceSeconds }, 'webhook secret rotated');
        return { id, secret, graceEndsAt: previous.length ? graceEnd.toISOString() : null };
      }
      if (attempt >= ROTATE_ATTEMPTS) throw new Error(`webhook endpoint ${id} kept changing during rotation`);
    }
  }

  async delete(tenantId: string, id: string) {
    const res = await this.scope(tenantId).deleteOne({ _id: id });
    if (res.deletedCount === 0) throw notFound('webhook endpoint');
    this.ctx.log.info({ tenantId, endpointId: id }, 'webhook endpoint deleted');
  }

  /** Operator (the simulator): a fresh secret for the tenant's endpoint with this label, creating it when missing. */
  async ensure(slug: string, req: { provider: WebhookProvider; label: string; graceSeconds: number }): Promise<CreatedWebhookEndpoint> {
    const tenant = await new TenantService(this.ctx).findBySlug(slug);
    if (!tenant) throw notFound('tenant');
    const existing = await this.scope(tenant._id).findOne({ provider: req.provider, label: req.label });
    if (!existing) return this.create(tenant._id, { provider: req.provider, label: req.label });
    const { secret } = await this.rotate(tenant._id, existing._id, { graceSeconds: req.graceSeconds });
    const doc = (await this.scope(tenant._id).findById(existing._id)) ?? existing;
    return { ...this.present(doc), secret };
  }

  /**
   * The hot path of every delivery: the endpoint by `_id` alone (the tenant comes
   * from it, never from the payload) and its secrets that verify now. A secret
   * that no longer opens (SECRETS_KEY changed) is skipped and reported once per delivery.
   */
  async forDelivery(provider: WebhookProvider, id: string): Promise<DeliveryEndpoint | null> {
    const doc = await this.model.findById(id).lean<WebhookEndpointDoc>().exec();
    if (!doc || doc.provider !== provider) return null;
    const now = new Date();
    const secrets: string[] = [];
    for (const s of doc.secrets.filter((x) => isActive(x, now))) {
      try {
        secrets.push(this.ctx.secrets.open(s.sealed));
      } catch {
        this.ctx.log.warn({ endpointId: id }, 'a webhook secret does not open with SECRETS_KEY; it is ignored');
      }
    }
    return { doc, secrets };
  }
}
