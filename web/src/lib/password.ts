import { passwordSchema } from '@callboard/shared';
import { i18n, t } from './i18n.svelte.ts';

/** The shortest password the API accepts, read from the shared schema so the form and server agree. */
export const passwordMinLength = passwordSchema.out.minLength ?? 0;

export const passwordHint = () => t('users.passwordHint', { min: i18n.number(passwordMinLength) });
