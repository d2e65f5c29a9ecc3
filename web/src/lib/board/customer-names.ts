import type { Customer } from '@callboard/shared';
import { SvelteMap } from 'svelte/reactivity';
import { api } from '$lib/api.ts';

const PARALLEL = 4;

/**
 * Display names of the customers tickets and bookings point at. Records carry
 * only the customer id; each name is read once by id and kept current by events.
 */
export class CustomerNames {
  readonly #names = new SvelteMap<string, string>();
  readonly #asked = new Set<string>();
  #queue: string[] = [];
  #running = 0;

  name(id: string): string | undefined {
    return this.#names.get(id);
  }

  want(ids: Iterable<string>) {
    for (const id of ids) {
      if (this.#asked.has(id)) continue;
      this.#asked.add(id);
      this.#queue.push(id);
    }
    while (this.#running < PARALLEL && this.#queue.length > 0) void this.#read(this.#queue.shift()!);
  }

  apply(customer: Pick<Customer, 'id' | 'displayName'>) {
    if (this.#asked.has(customer.id)) this.#names.set(customer.id, customer.displayName);
  }

  async #read(id: string) {
    this.#running++;
    try {
      this.apply(await api.get<Customer>(`/api/customers/${id}`));
    } catch {
      // A deleted customer has no name to show; the record still shows without one.
    } finally {
      this.#running--;
      this.want([]);
    }
  }
}
