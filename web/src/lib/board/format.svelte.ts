import type { Locale } from '@callboard/shared';
import { i18n } from '$lib/i18n.svelte.ts';
import { session } from '$lib/session.svelte.ts';

// As in i18n.svelte.ts: Gregorian dates even in Arabic, where bookings and SLAs are agreed in them.
const intlLocale = (locale: Locale) => (locale === 'ar' ? 'ar-SA-u-ca-gregory' : 'en');

/**
 * The board's numbers, money, times and durations in the reader's language and
 * the workspace's time zone, so everyone in a tenant reads the same clock.
 */
class BoardFormat {
  readonly #locale = $derived(intlLocale(i18n.locale));
  readonly #timeZone = $derived(session.me?.tenant.timeZone);
  readonly #count = $derived(new Intl.NumberFormat(this.#locale));
  readonly #twoDigits = $derived(new Intl.NumberFormat(this.#locale, { minimumIntegerDigits: 2 }));
  readonly #sar = $derived(new Intl.NumberFormat(this.#locale, { style: 'currency', currency: 'SAR' }));
  readonly #percent = $derived(new Intl.NumberFormat(this.#locale, { style: 'percent', maximumFractionDigits: 0 }));
  readonly #time = $derived(
    new Intl.DateTimeFormat(this.#locale, { hour: '2-digit', minute: '2-digit', timeZone: this.#timeZone }),
  );
  readonly #dateTime = $derived(
    new Intl.DateTimeFormat(this.#locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: this.#timeZone }),
  );
  // Booking dates are calendar days, stored as UTC midnight: read them back in UTC.
  readonly #day = $derived(new Intl.DateTimeFormat(this.#locale, { dateStyle: 'medium', timeZone: 'UTC' }));
  readonly #units = $derived(
    Object.fromEntries(
      (['day', 'hour', 'minute', 'second'] as const).map((unit) => [
        unit,
        new Intl.NumberFormat(this.#locale, { style: 'unit', unit, unitDisplay: 'narrow' }),
      ]),
    ) as Record<'day' | 'hour' | 'minute' | 'second', Intl.NumberFormat>,
  );

  get timeZone(): string | undefined {
    return this.#timeZone;
  }

  count(n: number): string {
    return this.#count.format(n);
  }

  sar(amount: number): string {
    return this.#sar.format(amount);
  }

  percent(ratio: number): string {
    return this.#percent.format(ratio);
  }

  time(iso: string): string {
    return this.#time.format(new Date(iso));
  }

  dateTime(iso: string): string {
    return this.#dateTime.format(new Date(iso));
  }

  day(iso: string): string {
    return this.#day.format(new Date(iso));
  }

  /** A stopwatch reading: `4:05`, `1:02:09`. */
  duration(seconds: number): string {
    const s = Math.max(0, Math.floor(seconds));
    const [h, m, sec] = [Math.floor(s / 3600), Math.floor((s % 3600) / 60), s % 60];
    const two = (n: number) => this.#twoDigits.format(n);
    return h > 0 ? `${this.#count.format(h)}:${two(m)}:${two(sec)}` : `${this.#count.format(m)}:${two(sec)}`;
  }

  /** A span of time in words, to the two largest units: `3d 4h`, `2h 15m`, `45m`, `30s`. */
  span(ms: number): string {
    const s = Math.max(0, Math.round(Math.abs(ms) / 1000));
    const [h, m] = [Math.floor(s / 3600), Math.floor((s % 3600) / 60)];
    const u = this.#units;
    if (h >= 48) return h % 24 > 0 ? `${u.day.format(Math.floor(h / 24))} ${u.hour.format(h % 24)}` : u.day.format(h / 24);
    if (h > 0) return m > 0 ? `${u.hour.format(h)} ${u.minute.format(m)}` : u.hour.format(h);
    return m > 0 ? u.minute.format(m) : u.second.format(s);
  }
}

export const format = new BoardFormat();
