import type { FilterQuery } from 'mongoose';
import type { Page } from '@callboard/shared';
import type { TenantOwned, TenantScope } from './tenant-scope.ts';

export interface PageRequest {
  limit: number;
  cursor?: string | undefined;
}

/**
 * Newest-first keyset pagination on a time-sortable key: `_id` for records with
 * generated ids, `order` where the `_id` is derived from a provider key. The
 * cursor is the last key of the page, so inserts made while paging never shift
 * a page: no duplicates, no gaps.
 */
export async function paginate<T extends TenantOwned, R>(
  scope: TenantScope<T>,
  filter: FilterQuery<T>,
  page: PageRequest,
  present: (doc: T) => R,
  key: '_id' | 'order' = '_id',
): Promise<Page<R>> {
  const where = page.cursor ? { ...filter, [key]: { $lt: page.cursor } } : filter;
  const docs = await scope
    .find(where as FilterQuery<T>)
    .sort({ [key]: -1 })
    .limit(page.limit + 1)
    .exec();
  const more = docs.length > page.limit;
  const items = (more ? docs.slice(0, page.limit) : docs).map(present);
  const last = docs[page.limit - 1] as unknown as Record<string, string> | undefined;
  return { items, nextCursor: more ? last![key]! : null };
}
