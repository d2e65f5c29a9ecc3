import type { Locale, TenantSummary } from '@callboard/shared';
import { ar } from './i18n/ar.ts';
import { en, type MessageKey } from './i18n/en.ts';

export type { MessageKey };

const STORAGE_KEY = 'callboard.locale';
const dictionaries: Record<Locale, Record<MessageKey, string>> = { en, ar };
// Gregorian dates even in Arabic: bookings and SLAs are agreed in Gregorian dates.
const intlLocales: Record<Locale, string> = { en: 'en', ar: 'ar-SA-u-ca-gregory' };

/** Each language is named in itself, so whoever reads it can find their own. */
export const languages: ReadonlyArray<{ locale: Locale; name: string }> = [
  { locale: 'en', name: 'English' },
  { locale: 'ar', name: 'العربية' },
];

const isLocale = (value: unknown): value is Locale => value === 'en' || value === 'ar';

function browserLocale(): Locale {
  return navigator.language.toLowerCase().startsWith('ar') ? 'ar' : 'en';
}

/**
 * The interface language: the user's own choice (kept in this browser), else the
 * tenant's default, else the browser's language.
 */
class I18n {
  #chosen = $state<Locale | null>(null);
  #tenant = $state<Pick<TenantSummary, 'locale' | 'timeZone'> | null>(null);

  readonly locale: Locale = $derived(this.#chosen ?? this.#tenant?.locale ?? browserLocale());
  readonly dir: 'rtl' | 'ltr' = $derived(this.locale === 'ar' ? 'rtl' : 'ltr');

  readonly #number = $derived(new Intl.NumberFormat(intlLocales[this.locale]));
  readonly #dateTime = $derived(
    new Intl.DateTimeFormat(intlLocales[this.locale], {
      dateStyle: 'medium',
      timeStyle: 'short',
      timeZone: this.#tenant?.timeZone,
    }),
  );

  constructor() {
    const stored = localStorage.getItem(STORAGE_KEY);
    this.#chosen = isLocale(stored) ? stored : null;
  }

  choose(locale: Locale) {
    this.#chosen = locale;
    localStorage.setItem(STORAGE_KEY, locale);
  }

  useTenant(tenant: Pick<TenantSummary, 'locale' | 'timeZone'>) {
    this.#tenant = { locale: tenant.locale, timeZone: tenant.timeZone };
  }

  t(key: MessageKey, params: Record<string, string | number> = {}): string {
    return dictionaries[this.locale][key].replace(/\{(\w+)\}/g, (match, name: string) =>
      name in params ? String(params[name]) : match,
    );
  }

  number(value: number): string {
    return this.#number.format(value);
  }

  /** A date and time in the tenant's time zone, so everyone in the workspace reads the same clock. */
  dateTime(iso: string): string {
    return this.#dateTime.format(new Date(iso));
  }
}

export const i18n = new I18n();
export const t = (key: MessageKey, params?: Record<string, string | number>) => i18n.t(key, params);
