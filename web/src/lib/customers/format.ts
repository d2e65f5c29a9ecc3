import { formatPhone } from '@callboard/shared';
import { i18n, t, type MessageKey } from '$lib/i18n.svelte.ts';

/** `+966 50 123 4567`, Latin digits; shown inside a `dir="ltr"` span wherever the page is RTL. */
export const phoneText = (e164: string | null | undefined): string => (e164 ? formatPhone(e164) : '');

/** Tags as typed: separated by commas, Arabic commas included; blanks and repeats dropped. */
export function parseTags(text: string): string[] {
  const tags = text
    .split(/[,،]/)
    .map((tag) => tag.trim())
    .filter(Boolean);
  return [...new Set(tags)];
}

export const tagsText = (tags: readonly string[]): string => tags.join(', ');

/** The first letters of the first two words: what an avatar shows. */
export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  return words
    .slice(0, 2)
    .map((word) => [...word][0] ?? '')
    .join('')
    .toUpperCase();
}

// Same locales as i18n's own formats: Gregorian calendar, the interface language's digits.
const intlLocale = () => (i18n.locale === 'ar' ? 'ar-SA-u-ca-gregory' : 'en');

export function sar(value: number): string {
  return new Intl.NumberFormat(intlLocale(), { style: 'currency', currency: 'SAR' }).format(value);
}

// Booking dates are calendar days agreed with the customer, so read in UTC where the API stores them.
const calendar = () => new Intl.DateTimeFormat(intlLocale(), { dateStyle: 'medium', timeZone: 'UTC' });

export function calendarDate(iso: string): string {
  return calendar().format(new Date(iso));
}

/** `Dec 10 – 17, 2030`, as the language writes a span of days. */
export function calendarRange(startIso: string, endIso: string): string {
  return calendar().formatRange(new Date(startIso), new Date(endIso));
}

export function duration(seconds: number): string {
  const m = Math.floor(seconds / 60);
  const s = Math.round(seconds % 60);
  return `${m}:${String(s).padStart(2, '0')}`;
}

/** `<input type="date">` value of a stored date-time (the day in UTC, as above). */
export const dateInput = (iso: string | null): string => (iso ? iso.slice(0, 10) : '');

/** `<input type="datetime-local">` value of a moment, in this browser's clock. */
export function localDateTimeInput(iso: string | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  const local = new Date(d.getTime() - d.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 16);
}

/** A `datetime-local` value back to a date-time with an offset, which the API requires. */
export function fromLocalDateTime(value: string): string | null {
  if (!value) return null;
  const d = new Date(value);
  // An unparsable value goes to the API as typed, so its refusal appears next to the field.
  return Number.isNaN(d.getTime()) ? value : d.toISOString();
}

// The API's validation messages are English; the common ones are said in the reader's language.
const knownProblems: Record<string, MessageKey> = {
  'must be an E.164 number': 'customers.problem.phone',
  'must be an email address': 'customers.problem.email',
  'already used by another customer': 'customers.problem.phoneTaken',
  'must not be empty': 'customers.problem.empty',
  'must be an ISO date or date-time': 'customers.problem.date',
  'must not be before startDate': 'customers.problem.endBeforeStart',
  'must not be after endDate': 'customers.problem.startAfterEnd',
};

export function problemText(message: string): string {
  const key = knownProblems[message];
  return key ? t(key) : message;
}
