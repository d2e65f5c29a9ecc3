import type { Redis } from 'ioredis';
import { z } from 'zod';
import { customerFieldNameSchema } from '@callboard/shared';
import { parseRecordKey, recordKey, type PresenceStore, type RecordRef, type ViewerEntry } from './presence-store.ts';

/** Expired entries removed per sweep; the rest wait for the next one. */
const SWEEP_BATCH = 500;
const EXPIRY = 'cb:presence:expiry';
const hashOf = (r: RecordRef) => `cb:presence:rec:${recordKey(r)}`;
const tenantSetOf = (tenantId: string) => `cb:presence:tenant:${tenantId}`;
/** Socket ids and record keys hold no `|`. */
const memberOf = (r: RecordRef, socketId: string) => `${recordKey(r)}|${socketId}`;

// What another node wrote is read back defensively: a bad entry is skipped, never trusted.
const storedEntry = z.object({
  userId: z.string(),
  name: z.string(),
  field: customerFieldNameSchema.nullable(),
  node: z.string(),
  joinedAt: z.number(),
  focusedAt: z.number(),
  expiresAt: z.number(),
});

function parseEntry(raw: string | null): ViewerEntry | null {
  if (raw === null) return null;
  try {
    const parsed = storedEntry.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Runs a MULTI and answers each command's result, throwing the first command error. */
async function transaction(multi: ReturnType<Redis['multi']>): Promise<unknown[]> {
  const replies = await multi.exec();
  if (!replies) throw new Error('presence transaction aborted');
  return replies.map(([err, result]) => {
    if (err) throw err;
    return result;
  });
}

/**
 * Presence shared by every node through Redis: a hash per record (socket id →
 * entry), a set per tenant of its viewed records (for the snapshot a connecting
 * socket gets) and one sorted set of every entry by expiry (for the sweep).
 */
export class RedisPresenceStore implements PresenceStore {
  constructor(private readonly redis: Redis) {}

  async put(record: RecordRef, socketId: string, entry: ViewerEntry) {
    const [added] = await transaction(
      this.redis
        .multi()
        .hset(hashOf(record), socketId, JSON.stringify(entry))
        .zadd(EXPIRY, entry.expiresAt, memberOf(record, socketId))
        .sadd(tenantSetOf(record.tenantId), recordKey(record)),
    );
    return added === 1;
  }

  async remove(record: RecordRef, socketId: string) {
    const [removed, , left] = await transaction(
      this.redis.multi().hdel(hashOf(record), socketId).zrem(EXPIRY, memberOf(record, socketId)).hlen(hashOf(record)),
    );
    // A put on another node between these two steps is listed again by its next refresh.
    if (left === 0) await this.redis.srem(tenantSetOf(record.tenantId), recordKey(record));
    return removed === 1;
  }

  async entries(record: RecordRef, now: number) {
    const live = new Map<string, ViewerEntry>();
    for (const [socketId, raw] of Object.entries(await this.redis.hgetall(hashOf(record)))) {
      const entry = parseEntry(raw);
      if (entry && entry.expiresAt > now) live.set(socketId, entry);
    }
    return live;
  }

  async records(tenantId: string) {
    const keys = await this.redis.smembers(tenantSetOf(tenantId));
    return keys.map(parseRecordKey).filter((r): r is RecordRef => r?.tenantId === tenantId);
  }

  async sweep(now: number) {
    const due = await this.redis.zrangebyscore(EXPIRY, '-inf', now, 'LIMIT', 0, SWEEP_BATCH);
    const touched = new Map<string, RecordRef>();
    await Promise.all(
      due.map(async (member) => {
        // Every node sweeps; the one whose ZREM wins cleans the entry and announces it.
        if ((await this.redis.zrem(EXPIRY, member)) === 0) return;
        const [key, socketId] = member.split('|');
        const record = key ? parseRecordKey(key) : null;
        if (!record || !socketId) return;
        const entry = parseEntry(await this.redis.hget(hashOf(record), socketId));
        if (entry && entry.expiresAt > now) {
          // refreshed after the schedule was read: keep it scheduled
          await this.redis.zadd(EXPIRY, entry.expiresAt, member);
          return;
        }
        if ((await this.redis.hdel(hashOf(record), socketId)) === 1) touched.set(key!, record);
      }),
    );
    await Promise.all(
      [...touched.values()].map(async (record) => {
        if ((await this.redis.hlen(hashOf(record))) === 0) await this.redis.srem(tenantSetOf(record.tenantId), recordKey(record));
      }),
    );
    return [...touched.values()];
  }
}
