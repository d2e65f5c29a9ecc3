import { z } from 'zod';
import { localeSchema, type Locale } from './auth.ts';
import { nonEmptyText, text, versionedPatch } from './primitives.ts';

export const platformLimits = { maxInFlight: 100, dialsPerSecond: 10, bulkPerMinute: 600 } as const;

function isTimeZone(tz: string) {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export const timeZoneSchema = text(64).refine(isTimeZone, { message: 'must be an IANA time zone' });
const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'must be HH:MM' });

export const callingHoursSchema = z.strictObject({
  days: z.array(z.number().int().min(0).max(6)).max(7),
  start: clock,
  end: clock,
});
export const limitsSchema = z.strictObject({
  bulkPerMinute: z.number().int().min(1).max(platformLimits.bulkPerMinute),
  maxInFlight: z.number().int().min(1).max(platformLimits.maxInFlight),
  dialsPerSecond: z.number().min(0.1).max(platformLimits.dialsPerSecond),
});
const telephonyProvider = z.enum(['simulated', 'twilio']);
/** Credentials are write-only: they are accepted here and never answered back. */
export const telephonyInputSchema = z.strictObject({
  provider: telephonyProvider,
  accountSid: text(64).optional(),
  authToken: text(128).optional(),
  fromNumber: text(32).optional(),
});

export const patchTenantRequest = versionedPatch({
  name: nonEmptyText(120),
  timeZone: timeZoneSchema,
  locale: localeSchema,
  callingHours: callingHoursSchema,
  limits: limitsSchema,
  telephony: telephonyInputSchema,
});
export type PatchTenantRequest = z.infer<typeof patchTenantRequest>;

export interface TenantSettings {
  id: string;
  slug: string;
  name: string;
  timeZone: string;
  locale: Locale;
  callingHours: z.infer<typeof callingHoursSchema>;
  limits: z.infer<typeof limitsSchema>;
  telephony: {
    provider: z.infer<typeof telephonyProvider>;
    accountSid: string | null;
    fromNumber: string | null;
    authTokenSet: boolean;
  };
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** Sunday to Thursday, the Saudi working week. */
export const defaultTenantSettings: Pick<TenantSettings, 'timeZone' | 'callingHours' | 'limits'> = {
  timeZone: 'Asia/Riyadh',
  callingHours: { days: [0, 1, 2, 3, 4], start: '09:00', end: '21:00' },
  limits: { bulkPerMinute: 60, maxInFlight: 5, dialsPerSecond: 1 },
};
