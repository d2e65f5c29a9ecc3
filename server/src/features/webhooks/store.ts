import type { Model } from 'mongoose';
import type { Database } from '../../db/mongo.ts';
import type { TenantOwned } from '../../db/tenant-scope.ts';
import { comparable } from '../../db/values.ts';

type Stamped = TenantOwned & { updatedAt: Date };
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- mongoose's Model is invariant in its document type
type AnyModel = Model<any>;

/** How often a write that lost a compare-and-set re-reads and tries again. */
export const CAS_ATTEMPTS = 8;

/** The fields of `next` whose values differ from `cur` (dates by time, arrays and objects by value); null when none. */
export function changedFields<T extends object>(cur: T, next: Partial<T>): Partial<T> | null {
  const out: Partial<T> = {};
  let any = false;
  for (const key of Object.keys(next) as (keyof T)[]) {
    if (comparable(next[key]) !== comparable(cur[key])) {
      out[key] = next[key];
      any = true;
    }
  }
  return any ? out : null;
}

/**
 * Writes a change decided from `cur`. Callers hold the document's lock
 * (`atomically`), which serialises every writer of it in this process and, on
 * FerretDB with Redis, across nodes: there the write goes by `_id` alone (see
 * db/single-doc.ts). On MongoDB, nodes share no lock, so the write is a compare-and-set
 * on `updatedAt`: a writer that lost the race gets null, re-reads and decides again.
 */
export function casUpdate<T extends Stamped>(db: Database, model: AnyModel, cur: T, set: Partial<T>): Promise<T | null> {
  const updatedAt = new Date(Math.max(Date.now(), cur.updatedAt.getTime() + 1));
  const filter = db.isFerretDb ? { _id: cur._id } : { _id: cur._id, tenantId: cur.tenantId, updatedAt: cur.updatedAt };
  return model.findOneAndUpdate(filter, { $set: { ...set, updatedAt } }, { new: true }).lean<T>().exec();
}
