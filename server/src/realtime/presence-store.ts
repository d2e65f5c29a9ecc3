import type { CustomerFieldName, PresenceEntity, PresenceViewer } from '@callboard/shared';

/** A record that has viewers; the tenant is part of its identity, so ids never meet across tenants. */
export interface RecordRef {
  tenantId: string;
  entity: PresenceEntity;
  id: string;
}

/** One socket on one record, as every node sees it. */
export interface ViewerEntry {
  userId: string;
  name: string;
  field: CustomerFieldName | null;
  /** the node holding the socket */
  node: string;
  joinedAt: number;
  /** when `field` last changed */
  focusedAt: number;
  /** epoch ms after which the entry counts as gone: its node stopped refreshing it */
  expiresAt: number;
}

/**
 * Who views which record, shared by every node of the cluster (Redis) or held by
 * the only one (memory). Entries are keyed by socket id; each node writes only
 * its own sockets' entries, and any node may remove expired ones.
 */
export interface PresenceStore {
  /** Adds or replaces one socket's entry; true when it was not there before. */
  put(record: RecordRef, socketId: string, entry: ViewerEntry): Promise<boolean>;
  /** Removes one socket's entry; true when it was there. */
  remove(record: RecordRef, socketId: string): Promise<boolean>;
  /** The record's entries that have not expired at `now`, by socket id. */
  entries(record: RecordRef, now: number): Promise<Map<string, ViewerEntry>>;
  /** The tenant's records that have entries (possibly some that just lost their last one). */
  records(tenantId: string): Promise<RecordRef[]>;
  /** Removes the entries expired at `now`; answers the records that lost one. */
  sweep(now: number): Promise<RecordRef[]>;
}

/** Tenant and record ids are URL-safe (no `:`), so the key splits back unambiguously. */
export const recordKey = (r: RecordRef) => `${r.tenantId}:${r.entity}:${r.id}`;

export function parseRecordKey(key: string): RecordRef | null {
  const [tenantId, entity, id, extra] = key.split(':');
  if (!tenantId || entity !== 'customer' || !id || extra !== undefined) return null;
  return { tenantId, entity, id };
}

/**
 * One entry per person: a user with two tabs on a record appears once, arriving
 * when their first tab did, editing the field they focused last among the tabs
 * that have one focused (a second, idle tab does not hide the first one's marker).
 */
export function viewersOf(entries: Iterable<ViewerEntry>): PresenceViewer[] {
  const people = new Map<string, { viewer: PresenceViewer; joinedAt: number; focusedAt: number }>();
  for (const e of entries) {
    const person = people.get(e.userId);
    if (!person) {
      people.set(e.userId, { viewer: { userId: e.userId, name: e.name, field: e.field }, joinedAt: e.joinedAt, focusedAt: e.field ? e.focusedAt : -1 });
      continue;
    }
    person.joinedAt = Math.min(person.joinedAt, e.joinedAt);
    if (e.field && e.focusedAt > person.focusedAt) {
      person.viewer.field = e.field;
      person.focusedAt = e.focusedAt;
    }
  }
  return [...people.values()].sort((a, b) => a.joinedAt - b.joinedAt || a.viewer.userId.localeCompare(b.viewer.userId)).map((p) => p.viewer);
}

/** The single-node store: one process holds every socket, so a map is the whole truth. */
export class MemoryPresenceStore implements PresenceStore {
  private readonly byRecord = new Map<string, Map<string, ViewerEntry>>();

  async put(record: RecordRef, socketId: string, entry: ViewerEntry) {
    const key = recordKey(record);
    const entries = this.byRecord.get(key) ?? new Map<string, ViewerEntry>();
    this.byRecord.set(key, entries);
    const added = !entries.has(socketId);
    entries.set(socketId, { ...entry });
    return added;
  }

  async remove(record: RecordRef, socketId: string) {
    const key = recordKey(record);
    const entries = this.byRecord.get(key);
    const removed = entries?.delete(socketId) ?? false;
    if (entries?.size === 0) this.byRecord.delete(key);
    return removed;
  }

  async entries(record: RecordRef, now: number) {
    const live = new Map<string, ViewerEntry>();
    for (const [socketId, entry] of this.byRecord.get(recordKey(record)) ?? []) if (entry.expiresAt > now) live.set(socketId, { ...entry });
    return live;
  }

  async records(tenantId: string) {
    const refs: RecordRef[] = [];
    for (const key of this.byRecord.keys()) {
      const ref = parseRecordKey(key);
      if (ref?.tenantId === tenantId) refs.push(ref);
    }
    return refs;
  }

  async sweep(now: number) {
    const touched: RecordRef[] = [];
    for (const [key, entries] of this.byRecord) {
      const before = entries.size;
      for (const [socketId, entry] of entries) if (entry.expiresAt <= now) entries.delete(socketId);
      if (entries.size === before) continue;
      if (entries.size === 0) this.byRecord.delete(key);
      const ref = parseRecordKey(key);
      if (ref) touched.push(ref);
    }
    return touched;
  }
}
