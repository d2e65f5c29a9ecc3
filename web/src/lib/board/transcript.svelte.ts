import type { TranscriptTurn, VoiceSession, VoiceSessionSummary } from '@callboard/shared';
import { api } from '$lib/api.ts';
import { insertTurn } from './freshness.ts';
import type { RecordMap } from './record-map.ts';

/**
 * One session's transcript as it is spoken: the turns so far from one read, then
 * each `voice_session.turn` as it arrives, in `atSec` order and each once.
 */
export class TranscriptView {
  turns = $state<TranscriptTurn[]>([]);
  loading = $state(false);
  failure = $state<unknown>(null);
  #sessionId: string | null = null;

  get sessionId(): string | null {
    return this.#sessionId;
  }

  /** Shows a session; its summary goes to the board's `sessions`, which events keep current. */
  async show(sessionId: string | null, sessions: RecordMap<VoiceSessionSummary>) {
    if (sessionId === this.#sessionId) return;
    this.#sessionId = sessionId;
    this.turns = [];
    this.failure = null;
    if (!sessionId) return;
    this.loading = true;
    try {
      const { transcript, ...summary } = await api.get<VoiceSession>(`/api/voice-sessions/${sessionId}`);
      if (this.#sessionId !== sessionId) return;
      sessions.upsert(summary);
      // Turns that arrived while reading are already in place; the read adds the earlier ones.
      for (const turn of transcript) insertTurn(this.turns, turn);
    } catch (error) {
      if (this.#sessionId === sessionId) this.failure = error;
    } finally {
      if (this.#sessionId === sessionId) this.loading = false;
    }
  }

  applyTurn(sessionId: string, turn: TranscriptTurn) {
    if (sessionId === this.#sessionId) insertTurn(this.turns, turn);
  }
}
