import { customerStages, type CustomerStage, type Locale } from '@callboard/shared';
import { languages, t } from '$lib/i18n.svelte.ts';
import { customerFields, type CustomerChanges, type CustomerField } from './customer-records.svelte.ts';
import { parseTags, phoneText, tagsText } from './format.ts';

/** The fields edited as text; stage and language are picked, consents ticked. */
export type TextField = 'name' | 'phone' | 'email' | 'tags' | 'notes';

/** What an input shows for a stored value. */
export function toText(field: TextField, value: unknown): string {
  if (field === 'phone') return phoneText(value as string | null);
  if (field === 'tags') return tagsText((value as string[] | undefined) ?? []);
  return typeof value === 'string' ? value : '';
}

/** What a PATCH sends for what was typed: blank is "no value"; a phone loses its spacing. */
export function fromText(field: TextField, text: string): CustomerChanges[TextField] {
  if (field === 'tags') return parseTags(text);
  const trimmed = field === 'phone' ? text.replace(/[\s\-().]/g, '') : text.trim();
  return trimmed === '' ? null : trimmed;
}

export const sameValue = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

export const stageName = (stage: CustomerStage) => t(`customers.stage.${stage}`);
export const languageName = (locale: Locale) => languages.find((l) => l.locale === locale)?.name ?? locale;
// A function, not a constant: the labels follow the interface language.
export const stageOptions = () => customerStages.map((stage) => ({ value: stage, label: stageName(stage) }));

/** Any field's value in words, for conflicts, refusals and the activity timeline. */
export function valueText(field: string, value: unknown): string {
  if (value === null || value === undefined || value === '') return t('customers.none');
  if (field === 'phone' && typeof value === 'string') return phoneText(value) || value;
  if (field === 'stage' && (customerStages as readonly unknown[]).includes(value)) return stageName(value as CustomerStage);
  if (field === 'language' && (value === 'ar' || value === 'en')) return languageName(value);
  if (Array.isArray(value)) return value.length ? value.join(', ') : t('customers.none');
  if (typeof value === 'boolean') return value ? t('customers.yes') : t('customers.no');
  if (typeof value === 'object') {
    // consents: the ones given
    const given = Object.entries(value).filter(([, on]) => on === true);
    return given.length ? given.map(([name]) => consentName(name)).join(', ') : t('customers.none');
  }
  return String(value);
}

export function consentName(name: string): string {
  return name === 'marketing' || name === 'recording' || name === 'whatsapp' ? t(`customers.consent.${name}`) : name;
}

const isCustomerField = (field: string): field is CustomerField => (customerFields as readonly string[]).includes(field);

/** The label of each customer field, in the reader's language. */
export const fieldLabel = (field: string): string => (isCustomerField(field) ? t(`customers.field.${field}`) : field);
