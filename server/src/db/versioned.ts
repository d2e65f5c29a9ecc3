import { conflict, notFound } from '../http/errors.ts';

export interface Versioned {
  version: number;
  fieldVersions: Record<string, number>;
  updatedAt: Date;
}

export interface VersionedStore<T> {
  load(): Promise<T | null>;
  /** Applies `$set` only if the document is still at `version` (a single-document compare-and-set). */
  commitIfAt(version: number, $set: Record<string, unknown>): Promise<T | null>;
}

const MAX_ATTEMPTS = 8;

/** The fields of `set` that someone changed after version `basedOn` (all of them if `basedOn` is from the future). */
export function changedSince(doc: Versioned, basedOn: number, fields: string[]): string[] {
  return basedOn > doc.version ? fields : fields.filter((f) => (doc.fieldVersions?.[f] ?? 0) > basedOn);
}

/**
 * Field-level optimistic concurrency (API.md §5): the patch applies when no field
 * in `set` changed after `basedOn`; edits of other fields made meanwhile are kept.
 * Otherwise a 409 carries the current record. Returns the updated document.
 */
export async function patchVersioned<T extends Versioned>(
  store: VersionedStore<T>,
  basedOn: number,
  set: Record<string, unknown>,
  present: (doc: T) => unknown,
  toStored: (set: Record<string, unknown>) => Record<string, unknown> = (s) => s,
): Promise<{ before: T; after: T }> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const doc = await store.load();
    if (!doc) throw notFound();
    const fields = Object.keys(set);
    const clashes = changedSince(doc, basedOn, fields);
    if (clashes.length > 0) {
      throw conflict(
        `changed by someone else since version ${basedOn}: ${clashes.join(', ')}`,
        clashes.map((path) => ({ path, message: 'changed since your version' })),
        { current: present(doc) },
      );
    }
    const version = doc.version + 1;
    const $set: Record<string, unknown> = { ...toStored(set), version, updatedAt: new Date() };
    for (const f of fields) $set[`fieldVersions.${f}`] = version;
    const after = await store.commitIfAt(doc.version, $set);
    if (after) return { before: doc, after };
  }
  throw conflict('the record is changing too fast, try again');
}
