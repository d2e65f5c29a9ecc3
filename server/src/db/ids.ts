import { createHash, randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

function randomChars(n: number) {
  const bytes = randomBytes(n);
  let out = '';
  for (let i = 0; i < n; i++) out += ALPHABET[bytes[i]! % 62];
  return out;
}

/**
 * A new record id: 9 base-36 characters of milliseconds, then 12 random ones.
 * Ids sort by creation time, which makes `_id` alone a stable keyset cursor.
 */
export function newId(): string {
  return Date.now().toString(36).padStart(9, '0') + randomChars(12);
}

/** A deterministic id from parts, for documents found by a natural key (`_id` lookups are the fast path). */
export function derivedId(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\u001f')).digest('base64url').slice(0, 32);
}

export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

export { randomChars };
