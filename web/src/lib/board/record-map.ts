import { SvelteMap } from 'svelte/reactivity';

/**
 * Records of one kind keyed by id, patched one at a time by answers and events.
 * A deleted id stays gone: an older copy replayed later does not bring it back.
 */
export class RecordMap<T extends { id: string }> {
  readonly byId = new SvelteMap<string, T>();
  readonly #gone = new Set<string>();
  // Ids changed by events while a reload is under way: the reload's copy must not undo them.
  #touched = new Set<string>();
  #reload = 0;

  constructor(private readonly isNewer: (next: T, shown: T) => boolean) {}

  get values(): T[] {
    return [...this.byId.values()];
  }

  get(id: string): T | undefined {
    return this.byId.get(id);
  }

  upsert(record: T) {
    this.#touched.add(record.id);
    if (this.#gone.has(record.id)) return;
    const shown = this.byId.get(record.id);
    if (!shown || this.isNewer(record, shown)) this.byId.set(record.id, record);
  }

  remove(id: string) {
    this.#touched.add(id);
    this.#gone.add(id);
    this.byId.delete(id);
  }

  /** Starts reading the records afresh; pass the answer to `finishReload`. */
  beginReload(): number {
    this.#touched = new Set();
    return ++this.#reload;
  }

  /**
   * Shows what a reload read: records it did not return are dropped (deleted, or
   * out of the filter), except those events changed meanwhile. A reload overtaken
   * by a newer one is ignored.
   */
  finishReload(reload: number, fresh: T[]) {
    if (reload !== this.#reload) return;
    const ids = new Set(fresh.map((r) => r.id));
    for (const id of [...this.byId.keys()]) if (!ids.has(id) && !this.#touched.has(id)) this.byId.delete(id);
    for (const record of fresh) this.upsert(record);
  }

  /** Drops the records `keep` refuses, so a board open all day does not grow without end. */
  prune(keep: (record: T) => boolean) {
    for (const [id, record] of [...this.byId]) if (!keep(record)) this.byId.delete(id);
  }
}
