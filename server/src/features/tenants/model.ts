import { Schema, type Connection } from 'mongoose';
import type { Locale } from '@callboard/shared';

export interface TenantDoc {
  _id: string;
  slug: string;
  name: string;
  locale: Locale;
  timeZone: string;
  callingHours: { days: number[]; start: string; end: string };
  limits: { bulkPerMinute: number; maxInFlight: number; dialsPerSecond: number };
  telephony: { provider: 'simulated' | 'twilio'; accountSid: string | null; fromNumber: string | null; authTokenSealed: string | null };
  version: number;
  fieldVersions: Record<string, number>;
  createdAt: Date;
  updatedAt: Date;
}

const schema = new Schema<TenantDoc>(
  {
    _id: { type: String, required: true },
    slug: { type: String, required: true },
    name: { type: String, required: true },
    locale: { type: String, required: true },
    timeZone: { type: String, required: true },
    callingHours: { type: Object, required: true },
    limits: { type: Object, required: true },
    telephony: { type: Object, required: true },
    version: { type: Number, required: true },
    fieldVersions: { type: Object, default: {} },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { versionKey: false, minimize: false },
);

// The tenant collection is the root of tenancy: it is found by `_id` (the
// tenant id) or by slug, never scanned; slugs are kept unique by a claim.
export const tenantModel = (conn: Connection) => conn.model<TenantDoc>('Tenant', schema, 'tenants');
