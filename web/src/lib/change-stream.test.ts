import type { ChangeEnvelope, LoggedChange, SyncAnswer } from '@callboard/shared';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ChangeStream, GAP_WAIT_MS } from './change-stream.ts';

const actor = { type: 'system' } as const;
const at = '2025-01-01T00:00:00.000Z';

function deleted(seq: number): ChangeEnvelope<{ id: string }> {
  return { seq, at, actor, data: { id: `c${seq}` } };
}

function logged(seq: number): LoggedChange {
  return { event: 'customer.deleted', ...deleted(seq) };
}

interface PendingSync {
  since: number;
  resolve: (answer: SyncAnswer) => void;
  reject: (error: Error) => void;
}

/** A stream whose syncs wait until the test answers them, and a record of what subscribers saw. */
function harness() {
  const syncs: PendingSync[] = [];
  const behind: boolean[] = [];
  const stream = new ChangeStream({
    requestSync: (since) => new Promise((resolve, reject) => syncs.push({ since, resolve, reject })),
    onBehindChange: (value) => behind.push(value),
  });
  const applied: number[] = [];
  stream.subscribe((_event, change) => applied.push(change.seq));
  const resets = vi.fn();
  stream.onReset(resets);
  return { stream, syncs, applied, behind, resets };
}

// Lets the `then` of an answered sync run.
const settle = () => vi.advanceTimersByTimeAsync(0);

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('ChangeStream', () => {
  it('applies changes that arrive in order, with their event name', () => {
    const { stream, applied } = harness();
    const seen: string[] = [];
    stream.subscribe((event, _change) => seen.push(event));
    stream.start(0);
    for (const seq of [1, 2, 3]) stream.accept('customer.deleted', deleted(seq));
    expect(applied).toEqual([1, 2, 3]);
    expect(seen).toEqual(['customer.deleted', 'customer.deleted', 'customer.deleted']);
    expect(stream.lastSeq).toBe(3);
    expect(stream.behind).toBe(false);
  });

  it('holds a change that arrives early until the ones before it are applied', () => {
    const { stream, applied, behind } = harness();
    stream.start(0);
    stream.accept('customer.deleted', deleted(3));
    expect(applied).toEqual([]);
    expect(stream.behind).toBe(true);
    stream.accept('customer.deleted', deleted(1));
    expect(applied).toEqual([1]);
    stream.accept('customer.deleted', deleted(2));
    expect(applied).toEqual([1, 2, 3]);
    expect(stream.lastSeq).toBe(3);
    expect(behind).toEqual([true, false]);
  });

  it('drops duplicates, whether already applied or still held', () => {
    const { stream, applied } = harness();
    stream.start(0);
    for (const seq of [1, 1, 3, 3, 2, 2, 1]) stream.accept('customer.deleted', deleted(seq));
    expect(applied).toEqual([1, 2, 3]);
  });

  it('skips a noop but counts its seq', () => {
    const { stream, applied } = harness();
    stream.start(0);
    stream.accept('customer.deleted', deleted(1));
    stream.accept('noop', { seq: 3, at, actor, data: null });
    stream.accept('noop', { seq: 2, at, actor, data: null });
    stream.accept('customer.deleted', deleted(4));
    expect(applied).toEqual([1, 4]);
    expect(stream.lastSeq).toBe(4);
  });

  it('asks sync when a missing seq has not arrived within 2 s of a later one, and applies the answer', async () => {
    const { stream, syncs, applied } = harness();
    stream.start(0);
    stream.connected();
    syncs[0]!.resolve({ events: [] });
    await settle();
    stream.accept('customer.deleted', deleted(1));
    stream.accept('customer.deleted', deleted(3));
    await vi.advanceTimersByTimeAsync(GAP_WAIT_MS - 1);
    expect(syncs).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(syncs).toHaveLength(2);
    expect(syncs[1]!.since).toBe(1);
    syncs[1]!.resolve({ events: [logged(2), logged(3)] });
    await settle();
    expect(applied).toEqual([1, 2, 3]);
    expect(stream.behind).toBe(false);
  });

  it('does not sync when the missing seq arrives in time', async () => {
    const { stream, syncs, applied } = harness();
    stream.start(0);
    stream.connected();
    syncs[0]!.resolve({ events: [] });
    await settle();
    stream.accept('customer.deleted', deleted(2));
    await vi.advanceTimersByTimeAsync(GAP_WAIT_MS / 2);
    stream.accept('customer.deleted', deleted(1));
    await vi.advanceTimersByTimeAsync(GAP_WAIT_MS * 5);
    expect(syncs).toHaveLength(1);
    expect(applied).toEqual([1, 2]);
  });

  it('asks again 2 s later when the answer stops short of a seq still in flight', async () => {
    const { stream, syncs, applied } = harness();
    stream.start(0);
    stream.connected();
    syncs[0]!.resolve({ events: [] });
    await settle();
    stream.accept('customer.deleted', deleted(3));
    await vi.advanceTimersByTimeAsync(GAP_WAIT_MS);
    syncs[1]!.resolve({ events: [logged(1)] });
    await settle();
    expect(stream.behind).toBe(true);
    await vi.advanceTimersByTimeAsync(GAP_WAIT_MS);
    expect(syncs[2]!.since).toBe(1);
    syncs[2]!.resolve({ events: [{ event: 'noop', seq: 2, at, actor, data: null }, logged(3)] });
    await settle();
    expect(applied).toEqual([1, 3]);
    expect(stream.behind).toBe(false);
  });

  it('syncs at once when a heartbeat shows a seq beyond the last applied', async () => {
    const { stream, syncs, applied } = harness();
    stream.start(5);
    stream.connected();
    syncs[0]!.resolve({ events: [] });
    await settle();
    stream.heartbeat(5);
    expect(syncs).toHaveLength(1);
    stream.heartbeat(7);
    expect(syncs).toHaveLength(2);
    expect(syncs[1]!.since).toBe(5);
    expect(stream.behind).toBe(true);
    syncs[1]!.resolve({ events: [logged(6), logged(7)] });
    await settle();
    expect(applied).toEqual([6, 7]);
    expect(stream.behind).toBe(false);
  });

  it('syncs from the last applied seq on every (re)connect', async () => {
    const { stream, syncs } = harness();
    stream.start(0);
    stream.connected();
    expect(syncs[0]!.since).toBe(0);
    syncs[0]!.resolve({ events: [logged(1), logged(2)] });
    await settle();
    stream.disconnected();
    stream.connected();
    expect(syncs).toHaveLength(2);
    expect(syncs[1]!.since).toBe(2);
  });

  it('on a reset, takes the new seq, drops what it held and tells the listeners', async () => {
    const { stream, syncs, applied, resets } = harness();
    stream.start(10);
    stream.connected();
    stream.accept('customer.deleted', deleted(12));
    syncs[0]!.resolve({ reset: true, seq: 50 });
    await settle();
    expect(resets).toHaveBeenCalledOnce();
    expect(stream.lastSeq).toBe(50);
    expect(stream.behind).toBe(false);
    stream.accept('customer.deleted', deleted(11));
    stream.accept('customer.deleted', deleted(51));
    expect(applied).toEqual([51]);
  });

  it('keeps one sync in flight and asks once more after it when needed', async () => {
    const { stream, syncs } = harness();
    stream.start(0);
    stream.connected();
    stream.heartbeat(3);
    stream.connected();
    await vi.advanceTimersByTimeAsync(GAP_WAIT_MS * 2);
    expect(syncs).toHaveLength(1);
    syncs[0]!.resolve({ events: [logged(1)] });
    await settle();
    expect(syncs).toHaveLength(2);
    expect(syncs[1]!.since).toBe(1);
  });

  it('retries a failed sync with growing delays, and not while disconnected', async () => {
    const { stream, syncs } = harness();
    stream.start(0);
    stream.connected();
    syncs[0]!.reject(new Error('timeout'));
    await settle();
    await vi.advanceTimersByTimeAsync(999);
    expect(syncs).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(syncs).toHaveLength(2);
    syncs[1]!.reject(new Error('timeout'));
    await settle();
    await vi.advanceTimersByTimeAsync(1_999);
    expect(syncs).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(syncs).toHaveLength(3);
    syncs[2]!.reject(new Error('socket has been disconnected'));
    stream.disconnected();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(syncs).toHaveLength(3);
  });

  it('without start(), takes the position from the first event or heartbeat', async () => {
    const fromEvent = harness();
    fromEvent.stream.connected();
    expect(fromEvent.syncs).toHaveLength(0);
    fromEvent.stream.accept('customer.deleted', deleted(8));
    expect(fromEvent.applied).toEqual([8]);
    expect(fromEvent.stream.lastSeq).toBe(8);

    const fromHeartbeat = harness();
    fromHeartbeat.stream.connected();
    fromHeartbeat.stream.heartbeat(8);
    expect(fromHeartbeat.syncs[0]!.since).toBe(7);
    fromHeartbeat.syncs[0]!.resolve({ events: [logged(8)] });
    await settle();
    expect(fromHeartbeat.applied).toEqual([8]);
  });

  it('after stop(), forgets its position and ignores the answer to a sync of before', async () => {
    const { stream, syncs, applied } = harness();
    stream.start(0);
    stream.connected();
    stream.stop();
    syncs[0]!.resolve({ events: [logged(1)] });
    await settle();
    expect(applied).toEqual([]);
    expect(stream.lastSeq).toBeNull();
    expect(stream.behind).toBe(false);
  });

  it('stops delivering to a handler once it unsubscribes', () => {
    const { stream, applied } = harness();
    const late: number[] = [];
    const stop = stream.subscribe((_event, change) => late.push(change.seq));
    stream.start(0);
    stream.accept('customer.deleted', deleted(1));
    stop();
    stream.accept('customer.deleted', deleted(2));
    expect(applied).toEqual([1, 2]);
    expect(late).toEqual([1]);
  });
});
