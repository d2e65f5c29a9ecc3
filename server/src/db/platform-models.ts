import { Schema, type Connection } from 'mongoose';

/**
 * A claim makes a value unique without a global or partial index: its `_id` is
 * the claimed key (`email:<address>`, `slug:<slug>`, a hash of tenant and phone),
 * so a second insert of the same key fails with a duplicate-key error.
 */
export interface Claim {
  _id: string;
  tenantId: string;
  ownerId: string;
  createdAt: Date;
}

const claimSchema = new Schema<Claim>(
  {
    _id: { type: String, required: true },
    tenantId: { type: String, required: true },
    ownerId: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false },
);
claimSchema.index({ tenantId: 1, ownerId: 1 });

export const claimModel = (conn: Connection) => conn.model<Claim>('Claim', claimSchema, 'claims');

/** Process-wide settings kept in the database, such as the generated SECRETS_KEY. */
export interface PlatformValue {
  _id: string;
  value: string;
}
const platformSchema = new Schema<PlatformValue>(
  { _id: { type: String, required: true }, value: { type: String, required: true } },
  { versionKey: false },
);
export const platformModel = (conn: Connection) => conn.model<PlatformValue>('Platform', platformSchema, 'platform');

export const isDuplicateKey = (err: unknown) => (err as { code?: number } | null)?.code === 11000;
