import { ApiError } from './api.ts';
import { t } from './i18n.svelte.ts';

/** What to tell the user about a failed call, in their language; field details are shown by their inputs. */
export function errorMessage(error: unknown): string {
  return t(error instanceof ApiError ? `error.${error.code}` : 'error.internal');
}

/** The contract's message for one input (`set.timeZone`), if the server reported one. */
export function fieldError(error: unknown, path: string): string | undefined {
  return error instanceof ApiError ? error.detail(path) : undefined;
}
