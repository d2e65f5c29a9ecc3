import { randomBytes, timingSafeEqual } from 'node:crypto';
import { newId, sha256 } from '../db/ids.ts';

/** A session token: random, shown to the client once, stored only as its hash. */
export function newSessionToken() {
  const token = `cbs_${randomBytes(32).toString('base64url')}`;
  return { token, hash: sha256(token) };
}

/**
 * An API key `cbk_<id>_<secret>`: the id finds the record by `_id`, the secret is
 * checked against the stored hash. The prefix shown in lists is `cbk_<id>`.
 */
export function newApiKey() {
  const id = newId();
  const key = `cbk_${id}_${randomBytes(32).toString('base64url')}`;
  return { id, key, prefix: `cbk_${id}`, hash: sha256(key) };
}

export function parseApiKey(key: string): { id: string } | null {
  const m = /^cbk_([A-Za-z0-9]{21})_[A-Za-z0-9_-]{43}$/.exec(key);
  return m ? { id: m[1]! } : null;
}

export function hashesEqual(a: string, b: string) {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}
