import { Redis } from 'ioredis';
import type { Logger } from './logger.ts';

export interface RedisLink {
  /** commands (rate limits, locks) */
  client: Redis;
  /** the Socket.IO adapter's publisher and subscriber */
  pub: Redis;
  sub: Redis;
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

/** Connects to REDIS_URL; the node still serves while Redis is away (healthz says `down`). */
export async function connectRedis(url: string, log: Logger): Promise<RedisLink> {
  // Commands (rate limits, locks) fail fast while Redis is away; the adapter's
  // publisher and subscriber wait for it instead, so no subscription is ever dropped.
  const make = (name: string, maxRetriesPerRequest: number | null) => {
    const r = new Redis(url, { connectionName: `callboard-${name}`, maxRetriesPerRequest, enableOfflineQueue: true });
    r.on('error', (err) => log.warn({ err: err.message, redis: name }, 'redis error'));
    return r;
  };
  const client = make('client', 2);
  const pub = make('pub', null);
  const sub = make('sub', null);
  try {
    // all three connected before the adapter subscribes through `sub`
    await Promise.all([client.ping(), pub.ping(), sub.ping()]);
  } catch (err) {
    client.disconnect();
    pub.disconnect();
    sub.disconnect();
    throw new Error(`cannot reach Redis at REDIS_URL: ${(err as Error).message}`, { cause: err });
  }
  return {
    client,
    pub,
    sub,
    async ping() {
      try {
        return (await Promise.race([client.ping(), new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 1_000).unref())])) === 'PONG';
      } catch {
        return false;
      }
    },
    async close() {
      await Promise.allSettled([client.quit(), pub.quit(), sub.quit()]);
    },
  };
}
