import { Schema, type Connection } from 'mongoose';
import type { Locale } from '@callboard/shared';

export interface CustomerDoc {
  _id: string;
  tenantId: string;
  name: string | null;
  phone: string | null;
  email: string | null;
  /** Lower-cased name, phone and email for prefix search (FerretDB has no collations). */
  search: string[];
  language: Locale;
  stage: 'new' | 'qualified' | 'booked' | 'won' | 'lost';
  tags: string[];
  consents: { marketing: boolean; recording: boolean; whatsapp: boolean };
  notes: string | null;
  version: number;
  fieldVersions: Record<string, number>;
  createdAt: Date;
  updatedAt: Date;
}

const schema = new Schema<CustomerDoc>(
  {
    _id: { type: String, required: true },
    tenantId: { type: String, required: true },
    name: { type: String, default: null },
    phone: { type: String, default: null },
    email: { type: String, default: null },
    search: { type: [String], default: [] },
    language: { type: String, required: true },
    stage: { type: String, required: true },
    tags: { type: [String], default: [] },
    consents: { type: Object, required: true },
    notes: { type: String, default: null },
    version: { type: Number, required: true },
    fieldVersions: { type: Object, default: {} },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { versionKey: false, minimize: false },
);
schema.index({ tenantId: 1, _id: -1 });
schema.index({ tenantId: 1, stage: 1, _id: -1 });
schema.index({ tenantId: 1, search: 1, _id: -1 });
schema.index({ tenantId: 1, stage: 1, search: 1, _id: -1 });

export const customerModel = (conn: Connection) => conn.model<CustomerDoc>('Customer', schema, 'customers');
