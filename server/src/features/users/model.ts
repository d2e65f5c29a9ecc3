import { Schema, type Connection } from 'mongoose';
import type { Role } from '@callboard/shared';

export interface UserDoc {
  _id: string;
  tenantId: string;
  email: string;
  name: string;
  role: Role;
  passwordHash: string;
  disabled: boolean;
  version: number;
  fieldVersions: Record<string, number>;
  createdAt: Date;
  updatedAt: Date;
}

const schema = new Schema<UserDoc>(
  {
    _id: { type: String, required: true },
    tenantId: { type: String, required: true },
    email: { type: String, required: true },
    name: { type: String, required: true },
    role: { type: String, required: true },
    passwordHash: { type: String, required: true },
    disabled: { type: Boolean, default: false },
    version: { type: Number, required: true },
    fieldVersions: { type: Object, default: {} },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { versionKey: false, minimize: false },
);
schema.index({ tenantId: 1, _id: -1 });

export const userModel = (conn: Connection) => conn.model<UserDoc>('User', schema, 'users');
