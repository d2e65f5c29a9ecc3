import type { Connection } from 'mongoose';

/** A query the application sent: its collection, method, filter and sort. */
export interface RecordedQuery {
  collection: string;
  method: string;
  filter: Record<string, unknown>;
  sort: Record<string, unknown>;
}

const QUERY_METHODS = new Set(['find', 'findOne', 'findOneAndUpdate', 'updateOne', 'updateMany', 'deleteOne', 'deleteMany', 'countDocuments']);

/** Records every query mongoose sends on this connection (mongoose's own debug hook). */
export function recordQueries(conn: Connection): RecordedQuery[] {
  const seen: RecordedQuery[] = [];
  conn.set('debug', (collection: string, method: string, ...args: unknown[]) => {
    if (!QUERY_METHODS.has(method)) return;
    const filter = (args[0] ?? {}) as Record<string, unknown>;
    // mongoose passes (filter, options) for find and (filter, update, options) for updates
    const options = args.slice(1).find((a) => a !== null && typeof a === 'object' && 'sort' in a) as { sort?: Record<string, unknown> } | undefined;
    seen.push({ collection, method, filter, sort: options?.sort ?? {} });
  });
  return seen;
}

const OPERATORS_ON_ID = ['$in', '$eq'];

/** `_id` equality (or `$in`) is served by the primary key on any server. */
function byIdOnly(filter: Record<string, unknown>) {
  const id = filter._id;
  if (id === undefined) return false;
  if (typeof id === 'string') return true;
  return typeof id === 'object' && id !== null && Object.keys(id).every((op) => OPERATORS_ON_ID.includes(op));
}

/**
 * Whether a declared index serves the query: its first field is `tenantId`, and
 * the query's filter fields then its sort fields are a prefix of the index's
 * fields (equality fields in any order before the sort or range field).
 */
export function coveringIndex(q: RecordedQuery, indexes: Record<string, unknown>[]): Record<string, unknown> | 'by-id' | null {
  if (byIdOnly(q.filter)) return 'by-id';
  const filterFields = Object.keys(q.filter).filter((f) => !f.startsWith('$'));
  const sortFields = Object.keys(q.sort);
  for (const index of indexes) {
    const fields = Object.keys(index);
    if (fields[0] !== 'tenantId') continue;
    const eq = new Set(filterFields.filter((f) => !sortFields.includes(f)));
    const used = fields.slice(0, eq.size);
    if (!used.every((f) => eq.has(f))) continue;
    const rest = fields.slice(eq.size);
    if (sortFields.every((f, i) => rest[i] === f)) return index;
  }
  return null;
}
