import { callStatusRank, type Call, type TranscriptTurn, type VoiceSessionSummary } from '@callboard/shared';

/*
 * The same record can reach the board twice or late: from a list read while
 * events flowed, or replayed by a sync. These say whether an incoming copy may
 * replace the one shown; an equal copy may (so replays are harmless), an older
 * one never does.
 */

export const versionIsNewer = (next: { version: number }, shown: { version: number }) => next.version >= shown.version;

/** Calls only move forward (Twilio's order), then by their last change. */
export function callIsNewer(next: Call, shown: Call): boolean {
  const rank = callStatusRank[next.status] - callStatusRank[shown.status];
  return rank !== 0 ? rank > 0 : next.updatedAt >= shown.updatedAt;
}

const sessionRank: Record<VoiceSessionSummary['status'], number> = { live: 0, processing: 1, done: 2, failed: 2 };

export function sessionIsNewer(next: VoiceSessionSummary, shown: VoiceSessionSummary): boolean {
  const rank = sessionRank[next.status] - sessionRank[shown.status];
  return rank !== 0 ? rank > 0 : next.updatedAt >= shown.updatedAt;
}

const sameTurn = (a: TranscriptTurn, b: TranscriptTurn) => a.atSec === b.atSec && a.role === b.role && a.text === b.text;

/**
 * Places a turn by `atSec` (turns can arrive out of order) and ignores one
 * already present (a replay after a resync). Returns whether it was added.
 */
export function insertTurn(turns: TranscriptTurn[], turn: TranscriptTurn): boolean {
  let at = turns.length;
  while (at > 0 && turns[at - 1]!.atSec > turn.atSec) at--;
  for (let i = at - 1; i >= 0 && turns[i]!.atSec === turn.atSec; i--) if (sameTurn(turns[i]!, turn)) return false;
  turns.splice(at, 0, turn);
  return true;
}
