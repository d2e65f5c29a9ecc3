import { displayName, type Activity, type Actor, type Customer, type Page } from '@callboard/shared';
import { SvelteMap } from 'svelte/reactivity';
import { api, ApiError } from '$lib/api.ts';
import { errorMessage } from '$lib/error-message.ts';
import { realtime } from '$lib/realtime.svelte.ts';
import { actorName } from './actors.ts';
import { problemText } from './format.ts';

export const customerFields = ['name', 'phone', 'email', 'language', 'stage', 'tags', 'consents', 'notes'] as const;
export type CustomerField = (typeof customerFields)[number];
export type CustomerChanges = Partial<Pick<Customer, CustomerField>>;

/** Where one field of one customer stands on this screen, beyond its value. */
export interface FieldStatus {
  saving: boolean;
  /** a value the server refused; the field shows what is stored and says why */
  refused?: { value: unknown; message: string };
  /** someone else changed the field since this edit began: their value against ours */
  conflict?: { mine: unknown; theirs: unknown; by: string | null };
}

const FLASH_MS = 1_600;
const fieldKey = (id: string, field: string) => `${id}/${field}`;
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** A 409 that carries the record as it is now: a field changed since, not a taken phone number. */
function versionConflict(error: unknown): Customer | null {
  return error instanceof ApiError && error.code === 'conflict' && error.current ? (error.current as Customer) : null;
}

/**
 * Customers keyed by id, as the server last confirmed them (answers and change
 * events, applied by version), with this screen's unconfirmed edits laid over them.
 */
export class CustomerRecords {
  readonly #server = new SvelteMap<string, Customer>();
  readonly #pending = new SvelteMap<string, CustomerChanges>();
  readonly #status = new SvelteMap<string, FieldStatus>();
  // Recently changed elsewhere, by row id or `id/field`: lit up briefly.
  readonly #flashed = new SvelteMap<string, number>();
  /** Who deleted a customer this screen still refers to. */
  readonly deletedBy = new SvelteMap<string, string>();
  // Who last changed each field, from change events: names the other side of a conflict.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- read when a conflict arises, never rendered
  readonly #changedBy = new Map<string, string>();

  /** The customer as this screen shows it: confirmed values, with edits still on their way on top. */
  view(id: string): Customer | undefined {
    const confirmed = this.#server.get(id);
    const pending = this.#pending.get(id);
    if (!confirmed || !pending) return confirmed;
    const shown = { ...confirmed, ...pending };
    return { ...shown, displayName: displayName(shown) };
  }

  status(id: string, field: CustomerField): FieldStatus | undefined {
    return this.#status.get(fieldKey(id, field));
  }

  /**
   * Takes a customer from an answer or an event; an older version than the one held
   * is ignored (null). Answers the fields whose value changed.
   */
  apply(next: Customer, actor?: Actor): CustomerField[] | null {
    const known = this.#server.get(next.id);
    if (known && next.version <= known.version) return null;
    const changed = known ? customerFields.filter((field) => !same(known[field], next[field])) : [];
    if (actor) for (const field of changed) this.#changedBy.set(fieldKey(next.id, field), actorName(actor));
    this.#server.set(next.id, next);
    return changed;
  }

  /** Lit briefly after a change from elsewhere: the row, or one field of it. */
  isFlashing(id: string, field?: CustomerField): boolean {
    return this.#flashed.has(field ? fieldKey(id, field) : id);
  }

  remove(id: string, actor: Actor) {
    this.#server.delete(id);
    this.deletedBy.set(id, actorName(actor));
  }

  #flash(key: string) {
    const stamp = Date.now();
    this.#flashed.set(key, stamp);
    setTimeout(() => {
      if (this.#flashed.get(key) === stamp) this.#flashed.delete(key);
    }, FLASH_MS);
  }

  /**
   * Applies change events until the returned function is called. Only changes newer
   * than what is held flash, so this screen's own saves (answered first) stay calm.
   */
  listen(hooks: { created?: (c: Customer) => void; deleted?: (id: string) => void } = {}): () => void {
    const stops = [
      realtime.on('customer.created', ({ data }) => {
        if (this.apply(data)) this.#flash(data.id);
        hooks.created?.(data);
      }),
      realtime.on('customer.updated', ({ data, actor }) => {
        // This screen's own save can be heard before its answer: the fields it is saving stay calm.
        const saving = this.#pending.get(data.id) ?? {};
        const changed = this.apply(data, actor)?.filter((field) => !(field in saving));
        if (!changed?.length) return;
        this.#flash(data.id);
        for (const field of changed) this.#flash(fieldKey(data.id, field));
      }),
      realtime.on('customer.deleted', ({ data, actor }) => {
        this.remove(data.id, actor);
        hooks.deleted?.(data.id);
      }),
    ];
    return () => stops.forEach((stop) => stop());
  }

  async create(body: Record<string, unknown>): Promise<Customer> {
    const created = await api.post<Customer>('/api/customers', body);
    this.apply(created);
    return created;
  }

  /**
   * Saves only the fields changed, against the version the edit began from, so
   * edits of other fields merge and a clash of the same field is a 409, never an
   * overwrite. Shown at once; rolled back, with the reason by the field, on failure.
   */
  async save(id: string, set: CustomerChanges, basedOn: number): Promise<boolean> {
    const fields = Object.keys(set) as CustomerField[];
    this.#pending.set(id, { ...this.#pending.get(id), ...set });
    for (const field of fields) this.#status.set(fieldKey(id, field), { saving: true });
    try {
      this.apply(await api.patch<Customer>(`/api/customers/${id}`, { version: basedOn, set }));
      for (const field of fields) this.#status.delete(fieldKey(id, field));
      return true;
    } catch (error) {
      const current = versionConflict(error);
      if (current) this.apply(current);
      for (const field of fields) {
        const key = fieldKey(id, field);
        if (current) {
          const by = this.#changedBy.get(key) ?? null;
          this.#status.set(key, { saving: false, conflict: { mine: set[field], theirs: current[field], by } });
          if (!by) void this.#findEditor(id, field);
        } else {
          this.#status.set(key, { saving: false, refused: { value: set[field], message: refusal(error, field) } });
        }
      }
      return false;
    } finally {
      this.#unpend(id, set);
    }
  }

  /** Resolves a conflict with this user's value: sent again, now against the version they have seen. */
  async keepMine(id: string, field: CustomerField): Promise<boolean> {
    const conflict = this.status(id, field)?.conflict;
    const current = this.#server.get(id);
    if (!conflict || !current) return false;
    return this.save(id, { [field]: conflict.mine }, current.version);
  }

  /** Takes the other value (already shown) or dismisses a refusal. */
  settle(id: string, field: CustomerField) {
    this.#status.delete(fieldKey(id, field));
  }

  /** Undoes this user's last change; the answer (and everyone else's screen) gets it as a normal update. */
  async undo(id: string): Promise<Customer> {
    try {
      const restored = await api.post<Customer>(`/api/customers/${id}/undo`);
      this.apply(restored);
      return restored;
    } catch (error) {
      const current = versionConflict(error);
      if (current) this.apply(current);
      throw error;
    }
  }

  // Drops the overlay of this save, unless a later save of the same field replaced it.
  #unpend(id: string, set: CustomerChanges) {
    const pending = { ...this.#pending.get(id) };
    for (const [field, value] of Object.entries(set)) {
      if (pending[field as CustomerField] === value) delete pending[field as CustomerField];
    }
    if (Object.keys(pending).length > 0) this.#pending.set(id, pending);
    else this.#pending.delete(id);
  }

  // The change event may have been missed or not yet arrived: the activity log names the editor.
  async #findEditor(id: string, field: CustomerField) {
    try {
      const page = await api.get<Page<Activity>>(`/api/customers/${id}/activity?limit=50`);
      const entry = page.items.find((a) => a.recordType === 'customer' && a.changes.some((c) => c.field === field));
      const key = fieldKey(id, field);
      const status = this.#status.get(key);
      if (entry && status?.conflict) this.#status.set(key, { ...status, conflict: { ...status.conflict, by: actorName(entry.actor) } });
    } catch {
      // The choice works without the name; the field still says it changed.
    }
  }
}

function refusal(error: unknown, field: CustomerField): string {
  const detail = error instanceof ApiError ? (error.detail(`set.${field}`) ?? error.detail(field)) : undefined;
  return detail ? problemText(detail) : errorMessage(error);
}
