import type { Booking, Page, Ticket } from '@callboard/shared';
import { api } from '$lib/api.ts';
import { realtime } from '$lib/realtime.svelte.ts';

const PAGE_SIZE = 20;

/** A query string of the parameters that have a value (empty ones are not sent: the API is strict). */
export function queryString(params: Record<string, string | null | undefined>): string {
  return Object.entries(params)
    .filter((entry): entry is [string, string] => Boolean(entry[1]))
    .map(([name, value]) => `${name}=${encodeURIComponent(value)}`)
    .join('&');
}

/**
 * One of a customer's own lists (`/api/customers/:id/tickets`…), newest first,
 * a page at a time, patched record by record by answers and change events.
 */
export class PagedList<T extends { id: string; version?: number }> {
  items = $state<T[]>([]);
  nextCursor = $state<string | null>(null);
  loaded = $state(false);
  loading = $state(false);
  failure = $state<unknown>(null);

  constructor(private readonly path: string) {}

  async load() {
    await this.#page(null, (page) => {
      this.items = page.items;
      this.nextCursor = page.nextCursor;
      this.loaded = true;
    });
  }

  async loadMore() {
    const cursor = this.nextCursor;
    if (!cursor || this.loading) return;
    await this.#page(cursor, (page) => {
      this.items.push(...page.items.filter((item) => !this.items.some((known) => known.id === item.id)));
      this.nextCursor = page.nextCursor;
    });
  }

  /** Re-reads the first page and puts what is new on top, for lists no event carries (the activity log). */
  async refreshHead() {
    if (!this.loaded) return;
    await this.#page(null, (page) => {
      const fresh = page.items.filter((item) => !this.items.some((known) => known.id === item.id));
      this.items.unshift(...fresh);
    });
  }

  /** A record from an answer or an event: replaces an older version in place, or joins the top. */
  upsert(item: T) {
    const index = this.items.findIndex((known) => known.id === item.id);
    const known = this.items[index];
    if (!known) this.items.unshift(item);
    else if ((item.version ?? 0) >= (known.version ?? 0)) this.items[index] = item;
  }

  /** Changes a record already listed; one not listed (on a later page) is left to that page. */
  update(item: T) {
    if (this.items.some((known) => known.id === item.id)) this.upsert(item);
  }

  remove(id: string) {
    this.items = this.items.filter((item) => item.id !== id);
  }

  async #page(cursor: string | null, use: (page: Page<T>) => void) {
    this.loading = true;
    this.failure = null;
    try {
      use(await api.get<Page<T>>(`${this.path}?${queryString({ limit: String(PAGE_SIZE), cursor })}`));
    } catch (error) {
      this.failure = error;
    } finally {
      this.loading = false;
    }
  }
}

type OwnKind = { ticket: Ticket; booking: Booking };

/**
 * Keeps one of a customer's lists live from `<kind>.created|updated|deleted`:
 * records of this customer are upserted, deleted ones removed. Returns the unsubscribe.
 */
export function followOwn<K extends keyof OwnKind>(list: PagedList<OwnKind[K]>, customerId: string, kind: K): () => void {
  const upsert = ({ data }: { data: OwnKind[K] }) => {
    if (data.customerId === customerId) list.upsert(data);
  };
  // The event names are built from `kind`; the payload types follow it, which TypeScript cannot see.
  const on = realtime.on as (event: string, handler: (change: { data: never }) => void) => () => void;
  const stops = [
    on.call(realtime, `${kind}.created`, upsert),
    on.call(realtime, `${kind}.updated`, upsert),
    on.call(realtime, `${kind}.deleted`, ({ data }: { data: { id: string } }) => list.remove(data.id)),
  ];
  return () => stops.forEach((stop) => stop());
}
