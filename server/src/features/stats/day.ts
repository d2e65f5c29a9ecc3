/**
 * Calendar arithmetic in a tenant's time zone with Intl only: "today" on the
 * board is the tenant's day (Asia/Riyadh for the demo), not the server's.
 */
const formats = new Map<string, Intl.DateTimeFormat>();

function wallClock(ms: number, timeZone: string) {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formats.set(timeZone, format);
  }
  const parts: Record<string, number> = {};
  for (const p of format.formatToParts(new Date(ms))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return parts as Record<'year' | 'month' | 'day' | 'hour' | 'minute' | 'second', number>;
}

/** How far the zone's wall clock is ahead of UTC at instant `ms`. */
function offsetAt(ms: number, timeZone: string): number {
  const w = wallClock(ms, timeZone);
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - (ms - (((ms % 1000) + 1000) % 1000));
}

/** The instant the tenant's current day began (local midnight), as epoch milliseconds. */
export function startOfDay(timeZone: string, now: number): number {
  const w = wallClock(now, timeZone);
  const midnightAsUtc = Date.UTC(w.year, w.month - 1, w.day);
  // Two passes settle a day on which the offset changes (daylight saving).
  const guess = midnightAsUtc - offsetAt(midnightAsUtc, timeZone);
  return midnightAsUtc - offsetAt(guess, timeZone);
}

/** The smallest `order` key (see newId) a record created at `ms` or later can have. */
export const orderKeyAt = (ms: number) => ms.toString(36).padStart(9, '0');

export const MINUTE_MS = 60_000;
