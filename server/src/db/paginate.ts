import type { FilterQuery } from 'mongoose';
import type { Page } from '@callboard/shared';
import type { TenantOwned, TenantScope } from './tenant-scope.ts';

/**
 * Newest-first keyset pagination on `_id` (ids sort by creation time). The cursor
 * is the last id of the page, so inserts made while paging never shift a page:
 * no duplicates, no gaps.
 */
export async function paginate<T extends TenantOwned, R>(
  scope: TenantScope<T>,
  filter: FilterQuery<T>,
  page: { limit: number; cursor?: string | undefined },
  present: (doc: T) => R,
): Promise<Page<R>> {
  const where = page.cursor ? { ...filter, _id: { $lt: page.cursor } } : filter;
  const docs = await scope
    .find(where as FilterQuery<T>)
    .sort({ _id: -1 })
    .limit(page.limit + 1)
    .exec();
  const more = docs.length > page.limit;
  const items = (more ? docs.slice(0, page.limit) : docs).map(present);
  return { items, nextCursor: more ? (docs[page.limit - 1]!._id as string) : null };
}
