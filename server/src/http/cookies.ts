import { parse } from 'cookie';

export const SESSION_COOKIE = 'cb_session';

export function readCookie(header: string | undefined, name: string): string | null {
  if (!header) return null;
  return parse(header)[name] ?? null;
}
