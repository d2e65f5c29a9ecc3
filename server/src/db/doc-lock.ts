import type { Connection } from 'mongoose';

/**
 * FerretDB 1.24 applies findAndModify and conditional updates as a read, then a
 * separate write: concurrent `$inc`s lose increments and two compare-and-sets can
 * both win (measured: 30 concurrent `$inc`s left the counter at 3). MongoDB makes
 * each single-document update atomic. So every read-modify-write of one document
 * runs here under a lock on that document, which gives the same guarantee within
 * a process on both servers and costs MongoDB one uncontended promise per write.
 */
class KeyedLocks {
  private readonly tails = new Map<string, Promise<unknown>>();

  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((r) => (release = r));
    const tail = previous.then(() => mine);
    this.tails.set(key, tail);
    await previous.catch(() => {});
    try {
      return await fn();
    } finally {
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}

/** A lock shared by every node, for several nodes on one FerretDB (see doc-lock-redis.ts). */
export interface DistributedLock {
  run<T>(key: string, fn: () => Promise<T>): Promise<T>;
}

const perConnection = new WeakMap<Connection, { local: KeyedLocks; shared: DistributedLock | null }>();

function locksOf(conn: Connection) {
  let locks = perConnection.get(conn);
  if (!locks) {
    locks = { local: new KeyedLocks(), shared: null };
    perConnection.set(conn, locks);
  }
  return locks;
}

/** Makes every node's writes on this connection take the shared lock too. */
export function shareDocLocks(conn: Connection, lock: DistributedLock) {
  locksOf(conn).shared = lock;
}

/** Runs a read-modify-write of the document `id` of `model` with no other such write of it in between. */
export function atomically<T>(model: { db: Connection; collection: { collectionName: string } }, id: string, fn: () => Promise<T>): Promise<T> {
  const { local, shared } = locksOf(model.db);
  const key = `${model.collection.collectionName}:${id}`;
  return local.run(key, shared ? () => shared.run(key, fn) : fn);
}
