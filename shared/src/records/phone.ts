import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { z } from 'zod';
import { text } from '../primitives.ts';

/** A phone number in international format, normalised to E.164 (`+966501234567`). */
export const phoneSchema = text(40).transform((value, ctx) => {
  const parsed = value.trim().startsWith('+') ? parsePhoneNumberFromString(value) : undefined;
  if (!parsed || !parsed.isValid()) {
    ctx.addIssue({ code: 'custom', message: 'must be an E.164 number' });
    return z.NEVER;
  }
  return parsed.number as string;
});

/** `+966 50 123 4567`: international format with Latin digits, for display. */
export function formatPhone(e164: string): string {
  return parsePhoneNumberFromString(e164)?.formatInternational() ?? e164;
}
