import { Schema, type Connection } from 'mongoose';
import type { Role } from '@callboard/shared';

export interface ApiKeyDoc {
  _id: string;
  tenantId: string;
  name: string;
  role: Role;
  prefix: string;
  hash: string;
  createdBy: string | null;
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
}

const schema = new Schema<ApiKeyDoc>(
  {
    _id: { type: String, required: true },
    tenantId: { type: String, required: true },
    name: { type: String, required: true },
    role: { type: String, required: true },
    prefix: { type: String, required: true },
    hash: { type: String, required: true },
    createdBy: { type: String, default: null },
    createdAt: { type: Date, required: true },
    lastUsedAt: { type: Date, default: null },
    expiresAt: { type: Date, default: null },
  },
  { versionKey: false },
);
schema.index({ tenantId: 1, _id: -1 });

export const apiKeyModel = (conn: Connection) => conn.model<ApiKeyDoc>('ApiKey', schema, 'apiKeys');
