import { describe, expect, it } from 'vitest';
import type { Call, TranscriptTurn } from '@callboard/shared';
import { callIsNewer, insertTurn } from './freshness.ts';

const call = (status: Call['status'], updatedAt: string) => ({ status, updatedAt }) as Call;

describe('board freshness', () => {
  it('never moves a call back, and takes a same-status copy only when not older', () => {
    expect(callIsNewer(call('in-progress', '2026-01-01T00:00:01Z'), call('ringing', '2026-01-01T00:00:05Z'))).toBe(true);
    expect(callIsNewer(call('ringing', '2026-01-01T00:00:09Z'), call('completed', '2026-01-01T00:00:05Z'))).toBe(false);
    expect(callIsNewer(call('completed', '2026-01-01T00:00:05Z'), call('completed', '2026-01-01T00:00:05Z'))).toBe(true);
    expect(callIsNewer(call('completed', '2026-01-01T00:00:04Z'), call('completed', '2026-01-01T00:00:05Z'))).toBe(false);
  });

  it('keeps turns in atSec order and drops repeats', () => {
    const turns: TranscriptTurn[] = [];
    const agent = (text: string, atSec: number): TranscriptTurn => ({ role: 'agent', text, atSec });
    expect(insertTurn(turns, agent('c', 3))).toBe(true);
    expect(insertTurn(turns, agent('a', 1))).toBe(true);
    expect(insertTurn(turns, agent('b', 2))).toBe(true);
    expect(insertTurn(turns, agent('a', 1))).toBe(false);
    expect(insertTurn(turns, { role: 'user', text: 'a', atSec: 1 })).toBe(true);
    expect(insertTurn(turns, agent('c2', 3))).toBe(true);
    expect(turns.map((t) => t.text)).toEqual(['a', 'a', 'b', 'c', 'c2']);
  });
});
