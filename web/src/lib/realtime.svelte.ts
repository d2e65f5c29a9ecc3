import { goto } from '$app/navigation';
import { resolve } from '$app/paths';
import { HEARTBEAT_MS, type ClientToServerEvents, type ServerToClientEvents } from '@callboard/shared';
import { io, type Socket } from 'socket.io-client';

export type ConnectionState = 'connecting' | 'live' | 'reconnecting' | 'stale';

// The server beats every HEARTBEAT_MS; two missed beats mean updates may have stopped arriving.
const STALE_AFTER_MS = 2 * HEARTBEAT_MS;
const RETRY_REFUSED_MS = 3_000;

/** The one Socket.IO connection of the dashboard, on the same origin as the page. */
class Realtime {
  state = $state<ConnectionState>('connecting');
  #socket: Socket<ServerToClientEvents, ClientToServerEvents> | null = null;
  #staleTimer: ReturnType<typeof setTimeout> | undefined;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;

  connect() {
    this.#io().connect();
  }

  disconnect() {
    clearTimeout(this.#staleTimer);
    clearTimeout(this.#retryTimer);
    this.#socket?.disconnect();
    this.state = 'connecting';
  }

  /** Listens to a server event until the returned function is called. */
  on<E extends keyof ServerToClientEvents>(event: E, handler: ServerToClientEvents[E]): () => void {
    const socket = this.#io();
    // socket.io's listener types cannot follow a generic event name; this signature keeps callers exact.
    const listener = handler as never;
    socket.on(event, listener);
    return () => {
      socket.off(event, listener);
    };
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
    socket.on('connect', () => this.#alive());
    socket.on('heartbeat', () => this.#alive());
    socket.on('disconnect', (reason) => {
      clearTimeout(this.#staleTimer);
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

export const realtime = new Realtime();
