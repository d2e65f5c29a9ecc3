import type { CustomerFieldName, Presence } from '@callboard/shared';
import type { Logger } from '../logger.ts';
import { unavailable } from '../http/errors.ts';
import { recordKey, viewersOf, type PresenceStore, type RecordRef, type ViewerEntry } from './presence-store.ts';

/**
 * A dead node's viewers are gone at most TTL + SWEEP (14 s) after its last
 * refresh, so well inside the 30 s API.md §7 allows even on a loaded machine. Live nodes
 * rewrite their entries every REFRESH, so a live entry never nears its expiry.
 */
export const PRESENCE_REFRESH_MS = 5_000;
export const PRESENCE_TTL_MS = 12_000;
export const PRESENCE_SWEEP_MS = 2_000;
/**
 * Announcements from different nodes (or interleaved awaits) can arrive in the
 * wrong order, leaving a stale list on screens; one more read-and-announce this
 * long after a record's last change makes every screen converge.
 */
const SETTLE_MS = 1_000;

/** The part of a socket presence needs: its id, and whether it is still connected. */
export interface PresenceSocket {
  id: string;
  connected: boolean;
}

interface Viewing {
  ref: RecordRef;
  userId: string;
  name: string;
  field: CustomerFieldName | null;
  joinedAt: number;
  focusedAt: number;
}

/**
 * This node's side of presence. Its own sockets' viewing is held here (the
 * source every refresh writes from); the store holds everyone's, and each
 * change of a record's viewers is announced to the record's tenant.
 */
export class PresenceHub {
  private readonly local = new Map<string, { socket: PresenceSocket; viewing: Map<string, Viewing> }>();
  /** Store writes of one socket run in order, so a leave can never be overtaken by an older refresh. */
  private readonly queues = new Map<string, Promise<unknown>>();
  private readonly settling = new Map<string, NodeJS.Timeout>();
  private readonly timers = new Set<NodeJS.Timeout>();
  /** set first on close: no more refreshes or sweeps */
  private stopping = false;
  /** set last on close: no more announcements */
  private closed = false;

  constructor(
    private readonly store: PresenceStore,
    private readonly announceTo: (tenantId: string, presence: Presence) => void,
    private readonly node: string,
    private readonly log: Logger,
  ) {}

  start() {
    this.every(PRESENCE_REFRESH_MS, () => this.refresh());
    this.every(PRESENCE_SWEEP_MS, () => this.sweep());
  }

  async join(socket: PresenceSocket, who: { userId: string; name: string }, ref: RecordRef) {
    const key = recordKey(ref);
    await this.serial(socket.id, async () => {
      // A socket that disconnected while its join was checked never becomes a viewer.
      if (!socket.connected) return;
      const mine = this.local.get(socket.id) ?? { socket, viewing: new Map<string, Viewing>() };
      this.local.set(socket.id, mine);
      if (mine.viewing.has(key)) return;
      const now = Date.now();
      const viewing: Viewing = { ref, ...who, field: null, joinedAt: now, focusedAt: now };
      mine.viewing.set(key, viewing);
      try {
        await this.write(socket.id, viewing);
      } catch (err) {
        mine.viewing.delete(key);
        if (mine.viewing.size === 0) this.local.delete(socket.id);
        throw this.storeFailed(err);
      }
    });
    await this.announce(ref);
  }

  /** Sets the field a viewer edits; false when the socket is not viewing the record. */
  async focus(socket: PresenceSocket, ref: RecordRef, field: CustomerFieldName | null): Promise<boolean> {
    const outcome = await this.serial(socket.id, async () => {
      const viewing = this.local.get(socket.id)?.viewing.get(recordKey(ref));
      if (!viewing) return 'not viewing';
      if (viewing.field === field) return 'unchanged';
      const previous = { field: viewing.field, focusedAt: viewing.focusedAt };
      Object.assign(viewing, { field, focusedAt: Date.now() });
      try {
        await this.write(socket.id, viewing);
      } catch (err) {
        Object.assign(viewing, previous);
        throw this.storeFailed(err);
      }
      return 'changed';
    });
    if (outcome === 'changed') await this.announce(ref);
    return outcome !== 'not viewing';
  }

  /** Stops viewing a record; false when the socket was not viewing it. */
  async leave(socket: PresenceSocket, ref: RecordRef): Promise<boolean> {
    const key = recordKey(ref);
    const was = await this.serial(socket.id, async () => {
      const mine = this.local.get(socket.id);
      if (!mine?.viewing.delete(key)) return false;
      if (mine.viewing.size === 0) this.local.delete(socket.id);
      await this.forget(ref, socket.id);
      return true;
    });
    if (was) await this.announce(ref);
    return was;
  }

  /** A socket is gone: it stops viewing everything, wherever it was. */
  async disconnect(socketId: string) {
    const refs = await this.serial(socketId, async () => {
      const mine = this.local.get(socketId);
      this.local.delete(socketId);
      const left = [...(mine?.viewing.values() ?? [])].map((v) => v.ref);
      await Promise.all(left.map((ref) => this.forget(ref, socketId)));
      return left;
    });
    await Promise.all(refs.map((ref) => this.announce(ref)));
  }

  /** The viewer lists of the tenant's viewed records, for a socket that just connected. */
  async snapshot(tenantId: string): Promise<Presence[]> {
    const now = Date.now();
    const lists = await Promise.all(
      (await this.store.records(tenantId)).map(async (ref) => ({ entity: ref.entity, id: ref.id, viewers: viewersOf((await this.store.entries(ref, now)).values()) })),
    );
    return lists.filter((p) => p.viewers.length > 0);
  }

  /** Takes this node's viewers out at once (rather than letting them expire), then stops. */
  async close() {
    this.stopping = true;
    for (const t of this.timers) clearTimeout(t);
    await Promise.all([...this.local.keys()].map((id) => this.disconnect(id)));
    this.closed = true;
    for (const t of this.settling.values()) clearTimeout(t);
  }

  private write(socketId: string, v: Viewing) {
    const entry: ViewerEntry = { userId: v.userId, name: v.name, field: v.field, node: this.node, joinedAt: v.joinedAt, focusedAt: v.focusedAt, expiresAt: Date.now() + PRESENCE_TTL_MS };
    return this.store.put(v.ref, socketId, entry);
  }

  /** A removal that fails is not retried: the entry, no longer refreshed, expires and is swept. */
  private async forget(ref: RecordRef, socketId: string) {
    try {
      await this.store.remove(ref, socketId);
    } catch (err) {
      this.log.warn({ err, socketId }, 'presence removal failed; the entry will expire');
    }
  }

  private storeFailed(err: unknown) {
    this.log.warn({ err }, 'presence store unavailable');
    return unavailable('presence is unavailable, try again');
  }

  /** Reads a record's viewers and sends them to its tenant; never throws (the settle pass retries). */
  private async announce(ref: RecordRef, settle = true) {
    if (this.closed) return;
    try {
      const entries = await this.store.entries(ref, Date.now());
      this.announceTo(ref.tenantId, { entity: ref.entity, id: ref.id, viewers: viewersOf(entries.values()) });
    } catch (err) {
      this.log.warn({ err, record: ref.id }, 'presence announcement skipped');
    }
    if (!settle || this.closed) return;
    const key = recordKey(ref);
    clearTimeout(this.settling.get(key));
    const timer = setTimeout(() => {
      this.settling.delete(key);
      void this.announce(ref, false);
    }, SETTLE_MS);
    timer.unref();
    this.settling.set(key, timer);
  }

  private async refresh() {
    const revived: RecordRef[] = [];
    await Promise.all(
      [...this.local.keys()].map((socketId) =>
        this.serial(socketId, async () => {
          const mine = this.local.get(socketId);
          if (!mine) return;
          if (!mine.socket.connected) return void this.disconnect(socketId);
          for (const v of mine.viewing.values()) if (await this.write(socketId, v)) revived.push(v.ref);
        }).catch((err: unknown) => this.log.warn({ err, socketId }, 'presence refresh failed')),
      ),
    );
    // An entry swept while this node was late is back: its record's list changed again.
    await Promise.all(revived.map((ref) => this.announce(ref)));
  }

  private async sweep() {
    const gone = await this.store.sweep(Date.now());
    await Promise.all(gone.map((ref) => this.announce(ref)));
  }

  private serial<T>(socketId: string, task: () => Promise<T>): Promise<T> {
    const run = (this.queues.get(socketId) ?? Promise.resolve()).then(task);
    const tail = run.catch(() => undefined);
    this.queues.set(socketId, tail);
    void tail.then(() => {
      if (this.queues.get(socketId) === tail) this.queues.delete(socketId);
    });
    return run;
  }

  /** Runs `job` every `ms`, never two at once, logging its failures. */
  private every(ms: number, job: () => Promise<void>) {
    const tick = () => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        job().then(
          () => !this.stopping && tick(),
          (err: unknown) => {
            this.log.warn({ err }, 'presence job failed');
            if (!this.stopping) tick();
          },
        );
      }, ms);
      timer.unref();
      this.timers.add(timer);
    };
    tick();
  }
}
