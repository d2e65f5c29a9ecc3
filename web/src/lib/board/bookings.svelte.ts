import type { Booking, BookingStatus, Page } from '@callboard/shared';
import { untrack } from 'svelte';
import { api, ApiError } from '$lib/api.ts';
import { realtime } from '$lib/realtime.svelte.ts';
import { CustomerNames } from './customer-names.ts';
import { versionIsNewer } from './freshness.ts';
import { listQuery } from './query.ts';
import { RecordMap } from './record-map.ts';

export type BookingDecision = 'confirmed' | 'canceled';

/** Bookings newest first, by status, with approval of pending ones; live for everyone. */
export class BookingsTable {
  readonly bookings = new RecordMap<Booking>(versionIsNewer);
  readonly customers = new CustomerNames();
  status = $state<BookingStatus | 'all'>('all');
  nextCursor = $state<string | null>(null);
  loaded = $state(false);
  failure = $state<unknown>(null);
  /** ids with a decision on its way, so their buttons wait */
  deciding = $state<string[]>([]);

  readonly rows: Booking[] = $derived(
    this.bookings.values
      .filter((b) => this.status === 'all' || b.status === this.status)
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt)),
  );

  connect(): () => void {
    const stops = [
      realtime.on('booking.created', ({ data }) => this.#take(data)),
      realtime.on('booking.updated', ({ data }) => this.#take(data)),
      realtime.on('booking.deleted', ({ data }) => this.bookings.remove(data.id)),
      realtime.on('customer.updated', ({ data }) => this.customers.apply(data)),
      realtime.onReset(() => void this.load()),
    ];
    // Read once; what the first read looks at (the filter) is no reason to subscribe again.
    untrack(() => void this.load());
    return () => stops.forEach((stop) => stop());
  }

  setStatus(status: BookingStatus | 'all') {
    this.status = status;
    void this.load();
  }

  async load() {
    const reload = this.bookings.beginReload();
    try {
      const page = await api.get<Page<Booking>>(`/api/bookings?${this.#query()}`);
      this.bookings.finishReload(reload, page.items);
      this.nextCursor = page.nextCursor;
      this.customers.want(page.items.map((b) => b.customerId));
      this.loaded = true;
      this.failure = null;
    } catch (error) {
      this.failure = error;
    }
  }

  async loadMore() {
    if (!this.nextCursor) return;
    try {
      const page = await api.get<Page<Booking>>(`/api/bookings?${this.#query(this.nextCursor)}`);
      for (const b of page.items) this.#take(b);
      this.nextCursor = page.nextCursor;
    } catch (error) {
      this.failure = error;
    }
  }

  async decide(booking: Booking, status: BookingDecision) {
    this.failure = null;
    this.deciding.push(booking.id);
    try {
      this.bookings.upsert(await api.patch<Booking>(`/api/bookings/${booking.id}`, { version: booking.version, set: { status } }));
    } catch (error) {
      // Decided elsewhere first: the row shows what it is now, with the reason.
      if (error instanceof ApiError && error.current) this.bookings.upsert(error.current as Booking);
      this.failure = error;
    } finally {
      this.deciding = this.deciding.filter((id) => id !== booking.id);
    }
  }

  #query(cursor?: string) {
    return listQuery({ limit: 50, status: this.status === 'all' ? undefined : this.status, cursor });
  }

  #take(booking: Booking) {
    this.bookings.upsert(booking);
    this.customers.want([booking.customerId]);
  }
}
