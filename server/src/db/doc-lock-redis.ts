import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { DistributedLock } from './doc-lock.ts';

const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;
const HOLD_MS = 5_000;
const WAIT_MS = 10_000;

/**
 * Several nodes on one FerretDB need the per-document lock across processes:
 * a Redis key per document, taken with SET NX PX and released only by its holder.
 */
export function redisDocLock(redis: Redis): DistributedLock {
  return {
    async run(key, fn) {
      const name = `cb:lock:${key}`;
      const token = randomBytes(12).toString('base64url');
      const deadline = Date.now() + WAIT_MS;
      let pause = 1;
      while ((await redis.set(name, token, 'PX', HOLD_MS, 'NX')) !== 'OK') {
        if (Date.now() > deadline) throw new Error(`timed out waiting for the lock on ${key}`);
        await new Promise((r) => setTimeout(r, pause));
        pause = Math.min(pause * 2, 20);
      }
      try {
        return await fn();
      } finally {
        await redis.eval(RELEASE, 1, name, token);
      }
    },
  };
}
