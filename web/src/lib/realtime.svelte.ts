import { goto } from '$app/navigation';
import { resolve } from '$app/paths';
import {
  changeEventNames,
  HEARTBEAT_MS,
  type AckError,
  type ChangeEventName,
  type ClientToServerEvents,
  type CustomerFieldName,
  type PresenceEntity,
  type PresenceOk,
  type PresenceViewer,
  type ServerToClientEvents,
  type SyncAnswer,
} from '@callboard/shared';
import { io, type Socket } from 'socket.io-client';
import { SvelteMap } from 'svelte/reactivity';
import { ChangeStream, type ChangeHandler, type OrderedChange } from './change-stream.ts';

export type ConnectionState = 'connecting' | 'live' | 'reconnecting' | 'stale';

// The server beats every HEARTBEAT_MS; two missed beats mean updates may have stopped arriving.
const STALE_AFTER_MS = 2 * HEARTBEAT_MS;
const RETRY_REFUSED_MS = 3_000;
const SYNC_TIMEOUT_MS = 10_000;
const PRESENCE_TIMEOUT_MS = 5_000;

const CHANGE_EVENT_NAMES = Object.keys(changeEventNames) as ChangeEventName[];

function isChangeEvent(event: string): event is ChangeEventName {
  return Object.hasOwn(changeEventNames, event);
}

/** The one Socket.IO connection of the dashboard, on the same origin as the page. */
class Realtime {
  state = $state<ConnectionState>('connecting');
  /** A change is missing or being fetched: what the page shows may lag (the ordering stream's `behind`). */
  behind = $state(false);
  #changes = new ChangeStream({
    requestSync: (since) => this.#requestSync(since),
    onBehindChange: (behind) => (this.behind = behind),
  });
  #socket: Socket<ServerToClientEvents, ClientToServerEvents> | null = null;
  #staleTimer: ReturnType<typeof setTimeout> | undefined;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  // Who is on which record, as the server last said; it says it again to each new connection.
  readonly #viewers = new SvelteMap<string, PresenceViewer[]>();
  // The records this tab is on, with the field focused in each: the server ends presence with
  // the socket, so they are announced again after a reconnect.
  readonly #present = new Map<string, { entity: PresenceEntity; id: string; field: CustomerFieldName | null }>();

  connect() {
    this.#io().connect();
  }

  disconnect() {
    clearTimeout(this.#staleTimer);
    clearTimeout(this.#retryTimer);
    this.#socket?.disconnect();
    // The next connection may be another tenant's, whose seqs are unrelated.
    this.#changes.stop();
    this.state = 'connecting';
  }

  /**
   * Listens to a server event until the returned function is called. Change events
   * come through the ordering stream: once each, in seq order, never a `noop`.
   */
  on<E extends keyof ServerToClientEvents>(event: E, handler: ServerToClientEvents[E]): () => void {
    if (isChangeEvent(event)) {
      const apply = handler as (change: OrderedChange[1]) => void;
      return this.#changes.subscribe((name, change) => {
        if (name === event) apply(change);
      });
    }
    const socket = this.#io();
    // socket.io's listener types cannot follow a generic event name; this signature keeps callers exact.
    const listener = handler as never;
    socket.on(event, listener);
    return () => {
      socket.off(event, listener);
    };
  }

  /** Every change, in seq order; `event` narrows `change`. */
  onChange(handler: ChangeHandler): () => void {
    return this.#changes.subscribe(handler);
  }

  /** The server could not replay a gap: the listener refetches what it shows. */
  onReset(listener: () => void): () => void {
    return this.#changes.onReset(listener);
  }

  /** The seq a page's data was read at, so the first sync replays only what it lacks. */
  start(seq: number) {
    this.#changes.start(seq);
  }

  /** The people on a record (this user included), in order of arrival; empty while offline. */
  viewers(entity: PresenceEntity, id: string): PresenceViewer[] {
    return this.#viewers.get(`${entity}:${id}`) ?? [];
  }

  /** Announces this tab on a record until leave(); rejects when the server refuses (an unknown record). */
  async join(entity: PresenceEntity, id: string) {
    this.#present.set(`${entity}:${id}`, { entity, id, field: null });
    await this.#announce((socket) => socket.emitWithAck('presence.join', { entity, id }));
  }

  async leave(entity: PresenceEntity, id: string) {
    if (!this.#present.delete(`${entity}:${id}`)) return;
    await this.#announce((socket) => socket.emitWithAck('presence.leave', { entity, id }));
  }

  /** The field this tab is editing on a record it has joined (null: none). */
  async focus(entity: PresenceEntity, id: string, field: CustomerFieldName | null) {
    const present = this.#present.get(`${entity}:${id}`);
    if (!present) return;
    present.field = field;
    await this.#announce((socket) => socket.emitWithAck('presence.focus', { entity, id, field }));
  }

  // Offline, nothing is sent: the next connection announces every record this tab is on.
  async #announce(send: (socket: PresenceSocket) => Promise<PresenceOk | AckError>) {
    const socket = this.#io();
    if (!socket.connected) return;
    const answer = await send(socket.timeout(PRESENCE_TIMEOUT_MS));
    if ('error' in answer) throw new PresenceRefused(answer.error.code);
  }

  #announceAll() {
    for (const { entity, id, field } of this.#present.values()) {
      const again = async () => {
        await this.#announce((socket) => socket.emitWithAck('presence.join', { entity, id }));
        if (field) await this.#announce((socket) => socket.emitWithAck('presence.focus', { entity, id, field }));
      };
      // A record deleted while offline is refused and forgotten; a timeout waits for the next connection.
      again().catch((error: unknown) => {
        if (error instanceof PresenceRefused) this.#present.delete(`${entity}:${id}`);
      });
    }
  }

  async #requestSync(since: number): Promise<SyncAnswer> {
    const answer = await this.#io().timeout(SYNC_TIMEOUT_MS).emitWithAck('sync', { since });
    if ('error' in answer) throw new Error(`sync refused: ${answer.error.code}`);
    return answer;
  }

  // Created on first use rather than at import, so nothing touches `location` before the app runs.
  #io() {
    if (this.#socket) return this.#socket;
    // The session cookie authenticates the handshake; the token never lives in script-readable storage.
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io({
      path: '/socket.io',
      withCredentials: true,
      autoConnect: false,
    });
    socket.on('connect', () => {
      this.#alive();
      this.#changes.connected();
    });
    socket.on('heartbeat', ({ seq }) => {
      this.#alive();
      this.#changes.heartbeat(seq);
    });
    for (const event of CHANGE_EVENT_NAMES) {
      // The same cast as in on(): the listener type cannot follow the loop's event name.
      socket.on(event, ((change: OrderedChange[1]) => this.#changes.accept(event, change)) as never);
    }
    socket.on('disconnect', (reason) => {
      clearTimeout(this.#staleTimer);
      this.#changes.disconnected();
      // The server closing us is not retried by socket.io; retry once, and a refused session lands on /login.
      if (reason === 'io server disconnect') socket.connect();
      this.state = socket.active ? 'reconnecting' : 'connecting';
    });
    socket.on('connect_error', (error) => {
      if (error.message === 'unauthorized') {
        socket.disconnect();
        void goto(resolve('/login'));
        return;
      }
      // socket.io retries lost transports itself, but not a handshake the server refused (`unavailable`).
      if (!socket.active) this.#retryTimer = setTimeout(() => socket.connect(), RETRY_REFUSED_MS);
      if (this.state !== 'connecting') this.state = 'reconnecting';
    });
    socket.on('connect', () => this.#announceAll());
    socket.on('presence', ({ entity, id, viewers }) => this.#viewers.set(`${entity}:${id}`, viewers));
    // Announcements are missed while offline; the server repeats them to the next connection.
    socket.on('disconnect', () => this.#viewers.clear());
    this.#socket = socket;
    return socket;
  }

  #alive() {
    this.state = 'live';
    clearTimeout(this.#staleTimer);
    this.#staleTimer = setTimeout(() => {
      this.state = 'stale';
    }, STALE_AFTER_MS);
  }
}

type PresenceSocket = ReturnType<Socket<ServerToClientEvents, ClientToServerEvents>['timeout']>;

/** The server refused a presence message (an unknown record, or another tenant's). */
export class PresenceRefused extends Error {
  constructor(readonly code: string) {
    super(`presence refused: ${code}`);
    this.name = 'PresenceRefused';
  }
}

export const realtime = new Realtime();
