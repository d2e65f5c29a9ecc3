/** Counts hits per key in fixed windows. In process now; Redis-backed when nodes share limits. */
export interface RateLimiter {
  /** Hits left in the key's current window, and seconds until it resets. */
  peek(key: string, limit: number, windowSec: number): Promise<{ remaining: number; retryAfterSec: number }>;
  hit(key: string, windowSec: number): Promise<void>;
  reset(key: string): Promise<void>;
}

export class MemoryRateLimiter implements RateLimiter {
  private readonly windows = new Map<string, { count: number; endsAt: number }>();

  private current(key: string, windowSec: number) {
    const now = Date.now();
    let w = this.windows.get(key);
    if (!w || w.endsAt <= now) {
      w = { count: 0, endsAt: now + windowSec * 1000 };
      this.windows.set(key, w);
      if (this.windows.size > 100_000) this.sweep(now);
    }
    return w;
  }

  private sweep(now: number) {
    for (const [k, w] of this.windows) if (w.endsAt <= now) this.windows.delete(k);
  }

  async peek(key: string, limit: number, windowSec: number) {
    const w = this.current(key, windowSec);
    return { remaining: Math.max(0, limit - w.count), retryAfterSec: Math.ceil((w.endsAt - Date.now()) / 1000) };
  }

  async hit(key: string, windowSec: number) {
    this.current(key, windowSec).count++;
  }

  async reset(key: string) {
    this.windows.delete(key);
  }
}

/** The same fixed windows in Redis, so every node counts the same hits. */
export class RedisRateLimiter implements RateLimiter {
  constructor(private readonly redis: import('ioredis').Redis) {}

  private key(key: string) {
    return `cb:rate:${key}`;
  }

  async peek(key: string, limit: number, windowSec: number) {
    const [count, ttl] = await Promise.all([this.redis.get(this.key(key)), this.redis.pttl(this.key(key))]);
    const used = Number(count ?? 0);
    return { remaining: Math.max(0, limit - used), retryAfterSec: ttl > 0 ? Math.ceil(ttl / 1000) : windowSec };
  }

  async hit(key: string, windowSec: number) {
    const k = this.key(key);
    const count = await this.redis.incr(k);
    if (count === 1) await this.redis.pexpire(k, windowSec * 1000);
  }

  async reset(key: string) {
    await this.redis.del(this.key(key));
  }
}
