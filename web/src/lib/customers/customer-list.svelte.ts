import type { Customer, CustomerStage, Page } from '@callboard/shared';
import { api } from '$lib/api.ts';
import type { CustomerRecords } from './customer-records.svelte.ts';
import { queryString } from './paged-list.svelte.ts';

const PAGE_SIZE = 50;

/** What the server's `q` matches (API.md §5): a prefix of the name or one of its words, the phone, the email. */
export function matchesSearch(customer: Customer, q: string): boolean {
  const query = q.trim().toLowerCase();
  if (!query) return true;
  const name = customer.name?.toLowerCase() ?? '';
  const keys = [name, ...name.split(/\s+/), customer.phone ?? '', customer.phone?.slice(1) ?? '', customer.email ?? ''];
  return keys.some((key) => key !== '' && key.startsWith(query));
}

/**
 * The customers list: which ids the current search shows, newest first, a page
 * at a time. The records themselves live in the shared CustomerRecords.
 */
export class CustomerList {
  ids = $state<string[]>([]);
  nextCursor = $state<string | null>(null);
  loaded = $state(false);
  loading = $state(false);
  failure = $state<unknown>(null);
  q = $state('');
  stage = $state<CustomerStage | ''>('');
  // Bumped per search, so the answer to an older search is dropped.
  #generation = 0;

  constructor(private readonly records: CustomerRecords) {}

  async load() {
    const generation = ++this.#generation;
    this.loading = true;
    this.failure = null;
    try {
      const page = await this.#fetch(null);
      if (generation !== this.#generation) return;
      this.ids = this.#take(page);
      this.nextCursor = page.nextCursor;
      this.loaded = true;
    } catch (error) {
      if (generation === this.#generation) this.failure = error;
    } finally {
      if (generation === this.#generation) this.loading = false;
    }
  }

  async loadMore() {
    if (!this.nextCursor || this.loading) return;
    const generation = this.#generation;
    this.loading = true;
    this.failure = null;
    try {
      const page = await this.#fetch(this.nextCursor);
      if (generation !== this.#generation) return;
      // A customer created since the first page was read is already on top; do not list it twice.
      this.ids.push(...this.#take(page).filter((id) => !this.ids.includes(id)));
      this.nextCursor = page.nextCursor;
    } catch (error) {
      if (generation === this.#generation) this.failure = error;
    } finally {
      if (generation === this.#generation) this.loading = false;
    }
  }

  /** A customer created anywhere joins the top of the list when the current search would find it. */
  created(customer: Customer) {
    if (this.ids.includes(customer.id)) return;
    if (this.stage && customer.stage !== this.stage) return;
    if (!matchesSearch(customer, this.q)) return;
    this.ids.unshift(customer.id);
  }

  deleted(id: string) {
    this.ids = this.ids.filter((known) => known !== id);
  }

  #take(page: Page<Customer>): string[] {
    for (const customer of page.items) this.records.apply(customer);
    return page.items.map((c) => c.id);
  }

  #fetch(cursor: string | null) {
    const query = queryString({ limit: String(PAGE_SIZE), q: this.q.trim(), stage: this.stage, cursor });
    return api.get<Page<Customer>>(`/api/customers?${query}`);
  }
}
