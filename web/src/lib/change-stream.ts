import type { ChangeEnvelope, ChangeEventData, ChangeEventName, LoggedChange, SyncAnswer } from '@callboard/shared';

/**
 * One change as subscribers get it: a union of pairs, so checking `event` narrows
 * `change`. A handler declares both parameters; TS refuses a one-parameter one here.
 */
export type OrderedChange = {
  [E in ChangeEventName]: [event: E, change: ChangeEnvelope<ChangeEventData[E]>];
}[ChangeEventName];
export type ChangeHandler = (...change: OrderedChange) => void;

export interface Timers {
  set(run: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export interface ChangeStreamOptions {
  /** Asks the server for every change after `since` (API.md §7 `sync`); rejects on an error or timeout. */
  requestSync: (since: number) => Promise<SyncAnswer>;
  onBehindChange?: (behind: boolean) => void;
  timers?: Timers;
}

// API.md §7: a missing seq is asked for when it has not arrived within two seconds of a later one.
export const GAP_WAIT_MS = 2_000;
const RETRY_FIRST_MS = 1_000;
const RETRY_MAX_MS = 30_000;

const globalTimers: Timers = {
  // Looked up on each call, so fake timers installed after this module loads still apply.
  set: (run, ms) => setTimeout(run, ms),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * The ordering buffer between the socket and the dashboard: changes reach
 * subscribers once each and strictly in seq order, and any gap is closed by
 * `sync`. Knows nothing of sockets or Svelte, so it is tested on its own.
 */
export class ChangeStream {
  #lastSeq: number | null = null;
  // The highest seq known to exist, from events and heartbeats; above lastSeq means a gap.
  #newestSeen = 0;
  #buffer = new Map<number, OrderedChange>();
  #handlers = new Set<ChangeHandler>();
  #resetListeners = new Set<() => void>();
  #connected = false;
  #inFlight = false;
  #syncAgain = false;
  #gapTimer: unknown = null;
  #retryTimer: unknown = null;
  #retryMs = 0;
  // Bumped by stop(), so an answer meant for the previous session is ignored.
  #epoch = 0;
  #behind = false;
  readonly #options: Required<ChangeStreamOptions>;

  constructor({ requestSync, onBehindChange = () => {}, timers = globalTimers }: ChangeStreamOptions) {
    this.#options = { requestSync, onBehindChange, timers };
  }

  /** The highest seq applied with nothing missing below it; null until the position is known. */
  get lastSeq(): number | null {
    return this.#lastSeq;
  }

  /** True while a seq is missing or a sync is under way: what is shown may be out of date. */
  get behind(): boolean {
    return this.#behind;
  }

  subscribe(handler: ChangeHandler): () => void {
    this.#handlers.add(handler);
    return () => this.#handlers.delete(handler);
  }

  /** Called when the server could not replay the gap: listeners refetch what they show. */
  onReset(listener: () => void): () => void {
    this.#resetListeners.add(listener);
    return () => this.#resetListeners.delete(listener);
  }

  /**
   * Sets the position to the seq the page's data was read at, so the first sync
   * replays exactly what that data lacks. Only the first position counts: once
   * changes flow, a later page's data is kept current by them.
   */
  start(seq: number) {
    if (this.#lastSeq !== null) return;
    this.#lastSeq = seq;
    this.#sync();
  }

  accept<E extends ChangeEventName>(event: E, change: ChangeEnvelope<ChangeEventData[E]>) {
    // A generic E does not tie the pair together for the compiler; the socket delivered them together.
    this.#take([event, change] as OrderedChange);
    this.#settle();
  }

  heartbeat(seq: number) {
    const last = this.#position(seq);
    this.#newestSeen = Math.max(this.#newestSeen, seq);
    if (seq > last) this.#sync();
    else this.#settle();
  }

  connected() {
    this.#connected = true;
    this.#sync();
  }

  disconnected() {
    this.#connected = false;
    this.#clearRetry();
    this.#settle();
  }

  /** Forgets the position and the buffer: the next connection may be another tenant's (sign-out). */
  stop() {
    this.#epoch++;
    this.#lastSeq = null;
    this.#newestSeen = 0;
    this.#buffer.clear();
    this.#inFlight = this.#syncAgain = false;
    this.#retryMs = 0;
    this.disconnected();
  }

  // Without start(), the first seq heard fixes the position one below it: that change is then
  // applied (or fetched) even if the page's data had it, which upserting handlers absorb, whereas
  // a higher position could skip a change the page never saw.
  #position(seq: number): number {
    return (this.#lastSeq ??= Math.max(0, seq - 1));
  }

  #take(change: OrderedChange) {
    const { seq } = change[1];
    let last = this.#position(seq);
    if (seq <= last || this.#buffer.has(seq)) return;
    this.#newestSeen = Math.max(this.#newestSeen, seq);
    this.#buffer.set(seq, change);
    for (let next = this.#buffer.get(last + 1); next; next = this.#buffer.get(last + 1)) {
      this.#buffer.delete(++last);
      this.#lastSeq = last;
      // A noop only fills its seq (a change that failed or was cut off); nobody has anything to apply.
      if (next[0] !== 'noop') this.#notify(this.#handlers, (handler) => handler(...next));
    }
  }

  #sync() {
    if (!this.#connected || this.#lastSeq === null) return;
    if (this.#inFlight) {
      this.#syncAgain = true;
      return;
    }
    this.#inFlight = true;
    this.#syncAgain = false;
    this.#clearRetry();
    this.#settle();
    const epoch = this.#epoch;
    void this.#options.requestSync(this.#lastSeq).then(
      (answer) => {
        if (epoch !== this.#epoch) return;
        this.#inFlight = false;
        this.#retryMs = 0;
        if ('reset' in answer) this.#reset(answer.seq);
        else for (const logged of answer.events) this.#take(loggedChange(logged));
        if (this.#syncAgain) this.#sync();
        else this.#settle();
      },
      () => {
        if (epoch !== this.#epoch) return;
        this.#inFlight = false;
        this.#retryMs = Math.min(RETRY_MAX_MS, this.#retryMs * 2 || RETRY_FIRST_MS);
        if (this.#connected) this.#retryTimer = this.#options.timers.set(() => this.#sync(), this.#retryMs);
        this.#settle();
      },
    );
  }

  #reset(seq: number) {
    this.#lastSeq = seq;
    this.#buffer.clear();
    this.#notify(this.#resetListeners, (listener) => listener());
  }

  // Arms the gap timer while a seq is missing and nothing else will fetch it, and reports `behind`.
  #settle() {
    const gap = this.#lastSeq !== null && this.#newestSeen > this.#lastSeq;
    const syncing = this.#inFlight || this.#retryTimer !== null;
    if (!gap || syncing || !this.#connected) {
      this.#options.timers.clear(this.#gapTimer);
      this.#gapTimer = null;
    } else if (this.#gapTimer === null) {
      this.#gapTimer = this.#options.timers.set(() => {
        this.#gapTimer = null;
        this.#sync();
      }, GAP_WAIT_MS);
    }
    const behind = gap || syncing;
    if (behind !== this.#behind) this.#options.onBehindChange((this.#behind = behind));
  }

  #clearRetry() {
    this.#options.timers.clear(this.#retryTimer);
    this.#retryTimer = null;
  }

  // One failing subscriber must not stop the others nor the stream; its error still surfaces.
  #notify<T>(listeners: Set<T>, call: (listener: T) => void) {
    for (const listener of [...listeners]) {
      try {
        call(listener);
      } catch (error) {
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }
}

function loggedChange({ event, ...change }: LoggedChange): OrderedChange {
  // A logged change carries its name beside the envelope; the server logged the two together.
  return [event, change] as OrderedChange;
}
