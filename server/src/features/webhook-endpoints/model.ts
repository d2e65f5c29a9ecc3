import { Schema, type Connection } from 'mongoose';
import type { WebhookProvider } from '@callboard/shared';

/** One secret of an endpoint, sealed with SECRETS_KEY; `expiresAt` is set when a rotation retires it. */
export interface SealedSecret {
  sealed: string;
  createdAt: Date;
  expiresAt: Date | null;
}

export interface WebhookEndpointDoc {
  _id: string;
  tenantId: string;
  provider: WebhookProvider;
  label: string | null;
  /** newest first; a delivery verifies against any that has not expired */
  secrets: SealedSecret[];
  createdAt: Date;
  updatedAt: Date;
}

const schema = new Schema<WebhookEndpointDoc>(
  {
    _id: { type: String, required: true },
    tenantId: { type: String, required: true },
    provider: { type: String, required: true },
    label: { type: String, default: null },
    secrets: { type: [Object], required: true },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { versionKey: false, minimize: false },
);
// Deliveries find their endpoint by `_id` alone (the tenant comes from it); admin lists by tenant.
schema.index({ tenantId: 1, _id: -1 });
schema.index({ tenantId: 1, provider: 1, label: 1 });

export const webhookEndpointModel = (conn: Connection) => conn.model<WebhookEndpointDoc>('WebhookEndpoint', schema, 'webhookEndpoints');
