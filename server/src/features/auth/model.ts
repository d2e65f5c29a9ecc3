import { Schema, type Connection } from 'mongoose';

/** A login session; `_id` is the SHA-256 of the token, so a request finds it by `_id`. */
export interface SessionDoc {
  _id: string;
  tenantId: string;
  userId: string;
  createdAt: Date;
  expiresAt: Date;
}

const schema = new Schema<SessionDoc>(
  {
    _id: { type: String, required: true },
    tenantId: { type: String, required: true },
    userId: { type: String, required: true },
    createdAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
  },
  { versionKey: false },
);
schema.index({ tenantId: 1, userId: 1 });
schema.index({ tenantId: 1, expiresAt: 1 });

export const sessionModel = (conn: Connection) => conn.model<SessionDoc>('Session', schema, 'sessions');
