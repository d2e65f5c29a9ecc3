import { Schema } from 'mongoose';

/** Fields every editable tenant record has. */
export const editableBase = {
  _id: { type: String, required: true },
  tenantId: { type: String, required: true },
  version: { type: Number, required: true },
  fieldVersions: { type: Object, default: {} },
  createdAt: { type: Date, required: true },
  updatedAt: { type: Date, required: true },
} as const;

export const schemaOptions = { versionKey: false, minimize: false } as const;

export const nullableString = { type: String, default: null };
export const nullableDate = { type: Date, default: null };
export const nullableNumber = { type: Number, default: null };
export const mixed = { type: Schema.Types.Mixed, default: null };

/** An API date-time string (or nothing) as stored. */
export const dateOrNull = (v: string | null | undefined) => (v ? new Date(v) : null);
