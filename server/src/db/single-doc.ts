import type { Connection, Model } from 'mongoose';
import { atomically } from './doc-lock.ts';

/**
 * Single-document reads and writes found by `_id`, fast on both servers.
 *
 * FerretDB's SQLite backend answers a filter of `_id` alone from its primary key
 * but evaluates any other filter, `{_id, tenantId}` included, over the whole
 * collection (measured: 16 ms against 264 ms at 3,000 documents). So on FerretDB
 * the document is read by `_id`, its other conditions are checked here, and the
 * write goes by `_id` alone, all under the document's lock (doc-lock.ts), which
 * also supplies the atomicity FerretDB's updates lack. MongoDB gets the whole
 * filter, which it serves from the `_id` index atomically.
 */
const ferretConnections = new WeakSet<Connection>();

export function markFerretDb(conn: Connection) {
  ferretConnections.add(conn);
}

type Conditions = Record<string, unknown>;
type AnyModel = Model<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function valueAt(doc: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((v, key) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined), doc);
}

const same = (a: unknown, b: unknown) => (a instanceof Date || b instanceof Date ? String(new Date(a as string)) === String(new Date(b as string)) : a === b);

function satisfies(actual: unknown, expected: unknown): boolean {
  if (expected === null || typeof expected !== 'object' || expected instanceof Date) return same(actual ?? null, expected);
  return Object.entries(expected as Record<string, unknown>).every(([op, arg]) => {
    switch (op) {
      case '$in':
        return (arg as unknown[]).some((v) => same(actual ?? null, v));
      case '$nin':
        return !(arg as unknown[]).some((v) => same(actual ?? null, v));
      case '$ne':
        return !same(actual ?? null, arg);
      case '$exists':
        return (actual !== undefined) === arg;
      default:
        throw new Error(`single-doc conditions do not support ${op}`);
    }
  });
}

/** Whether a document meets equality / `$in` / `$nin` / `$ne` / `$exists` conditions on its fields. */
export function meets(doc: unknown, conditions: Conditions): boolean {
  return Object.entries(conditions).every(([path, expected]) => satisfies(valueAt(doc, path), expected));
}

export async function findByIdWhere<T>(model: AnyModel, id: string, conditions: Conditions): Promise<T | null> {
  if (!ferretConnections.has(model.db)) return model.findOne({ ...conditions, _id: id }).lean<T>().exec();
  const doc = await model.findById(id).lean<T>().exec();
  return doc && meets(doc, conditions) ? doc : null;
}

/** Applies `update` to document `id` if it meets `conditions`; answers the updated document or null. */
export function updateByIdWhere<T>(model: AnyModel, id: string, conditions: Conditions, update: object): Promise<T | null> {
  return atomically(model, id, async () => {
    if (!ferretConnections.has(model.db)) {
      return model.findOneAndUpdate({ ...conditions, _id: id }, update, { new: true }).lean<T>().exec();
    }
    const current = await model.findById(id).lean().exec();
    if (!current || !meets(current, conditions)) return null;
    return model.findByIdAndUpdate(id, update, { new: true }).lean<T>().exec();
  });
}

/** Deletes document `id` if it meets `conditions`; answers whether it did. */
export function deleteByIdWhere(model: AnyModel, id: string, conditions: Conditions): Promise<boolean> {
  return atomically(model, id, async () => {
    if (!ferretConnections.has(model.db)) return (await model.deleteOne({ ...conditions, _id: id }).exec()).deletedCount === 1;
    const current = await model.findById(id).lean().exec();
    if (!current || !meets(current, conditions)) return false;
    return (await model.deleteOne({ _id: id }).exec()).deletedCount === 1;
  });
}

/** Several documents by `_id` meeting conditions: one `$in` query on MongoDB, `_id` lookups on FerretDB. */
export async function findByIdsWhere<T>(model: AnyModel, ids: string[], conditions: Conditions): Promise<T[]> {
  if (ids.length === 0) return [];
  if (!ferretConnections.has(model.db)) return model.find({ ...conditions, _id: { $in: ids } }).lean<T[]>().exec();
  const docs = await Promise.all(ids.map((id) => findByIdWhere<T>(model, id, conditions)));
  return docs.filter((d): d is NonNullable<typeof d> => d !== null) as T[];
}
