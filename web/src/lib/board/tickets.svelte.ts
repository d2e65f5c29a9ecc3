import {
  canMove,
  roleAtLeast,
  ticketPriorities,
  ticketStatuses,
  ticketTransitions,
  type Page,
  type Role,
  type Ticket,
  type TicketStatus,
} from '@callboard/shared';
import { untrack } from 'svelte';
import { api, ApiError } from '$lib/api.ts';
import { realtime } from '$lib/realtime.svelte.ts';
import { CustomerNames } from './customer-names.ts';
import { versionIsNewer } from './freshness.ts';
import { RecordMap } from './record-map.ts';

// Resolved tickets pile up; the board shows the latest of them, every open one.
const PER_COLUMN: Record<TicketStatus, number> = { open: 200, in_progress: 200, pending_approval: 200, resolved: 30 };
const urgency = (t: Ticket) => -ticketPriorities.indexOf(t.priority);
const dueOrder = (t: Ticket) => (t.slaDueAt ? Date.parse(t.slaDueAt) : Number.POSITIVE_INFINITY);

/** Whether this role may move the ticket there: the shared transitions, and approval for supervisors and admins. */
export function mayMove(ticket: Ticket, to: TicketStatus, role: Role): boolean {
  if (!canMove(ticketTransitions, ticket.status, to)) return false;
  return !(ticket.status === 'pending_approval' && to === 'resolved' && !roleAtLeast(role, 'supervisor'));
}

/** The ticket board: a column per status, most urgent first, live for everyone in the workspace. */
export class TicketBoard {
  readonly tickets = new RecordMap<Ticket>(versionIsNewer);
  readonly customers = new CustomerNames();
  loaded = $state(false);
  failure = $state<unknown>(null);
  /** what the last move did, for the status line a screen reader announces */
  notice = $state<{ kind: 'success' | 'error'; key: 'moved' | 'conflict' | 'failed'; ticket: Ticket; error?: unknown } | null>(null);

  readonly columns = $derived(
    ticketStatuses.map((status) => ({
      status,
      tickets: this.tickets.values
        .filter((t) => t.status === status)
        .sort((a, b) => urgency(a) - urgency(b) || dueOrder(a) - dueOrder(b) || b.createdAt.localeCompare(a.createdAt)),
    })),
  );

  connect(): () => void {
    const stops = [
      realtime.on('ticket.created', ({ data }) => this.#take(data)),
      realtime.on('ticket.updated', ({ data }) => this.#take(data)),
      realtime.on('ticket.deleted', ({ data }) => this.tickets.remove(data.id)),
      realtime.on('customer.updated', ({ data }) => this.customers.apply(data)),
      realtime.onReset(() => void this.load()),
    ];
    // Read once; what the first read looks at (the filter) is no reason to subscribe again.
    untrack(() => void this.load());
    return () => stops.forEach((stop) => stop());
  }

  async load() {
    const reload = this.tickets.beginReload();
    try {
      const pages = await Promise.all(
        ticketStatuses.map((s) => api.get<Page<Ticket>>(`/api/tickets?status=${s}&limit=${PER_COLUMN[s]}`)),
      );
      const all = pages.flatMap((p) => p.items);
      this.tickets.finishReload(reload, all);
      this.customers.want(all.map((t) => t.customerId));
      this.loaded = true;
      this.failure = null;
    } catch (error) {
      this.failure = error;
    }
  }

  async move(ticket: Ticket, to: TicketStatus) {
    this.notice = null;
    try {
      const moved = await api.patch<Ticket>(`/api/tickets/${ticket.id}`, { version: ticket.version, set: { status: to } });
      this.tickets.upsert(moved);
      this.notice = { kind: 'success', key: 'moved', ticket: moved };
    } catch (error) {
      // Someone moved it first: show it as it is now, and say so.
      if (error instanceof ApiError && error.code === 'conflict' && error.current) {
        const current = error.current as Ticket;
        this.tickets.upsert(current);
        this.notice = { kind: 'error', key: 'conflict', ticket: current };
      } else {
        this.notice = { kind: 'error', key: 'failed', ticket, error };
      }
    }
  }

  #take(ticket: Ticket) {
    this.tickets.upsert(ticket);
    this.customers.want([ticket.customerId]);
  }
}
