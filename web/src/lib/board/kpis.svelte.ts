import { api } from '$lib/api.ts';
import type { BoardStats } from '@callboard/shared';

// Changes come in bursts (a call's status callbacks, a session's turns): one read settles a burst.
const SETTLE_MS = 300;

/**
 * The board's numbers. Counting them on the client would need every call of the
 * day; the server counts them, and the board reads them again shortly after any
 * change that can move them (at most one read at a time, one per burst).
 */
export class BoardKpis {
  stats = $state<BoardStats | null>(null);
  failure = $state<unknown>(null);
  #timer: ReturnType<typeof setTimeout> | undefined;
  #inFlight = false;
  #again = false;

  async load(): Promise<BoardStats> {
    this.#inFlight = true;
    try {
      const stats = await api.get<BoardStats>('/api/stats/board');
      this.#take(stats);
      this.failure = null;
      return stats;
    } finally {
      this.#inFlight = false;
      if (this.#again) this.refreshSoon();
    }
  }

  /** Called for each change that may move a number. */
  refreshSoon() {
    if (this.#inFlight) {
      this.#again = true;
      return;
    }
    this.#again = false;
    if (this.#timer !== undefined) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.load().catch((error: unknown) => (this.failure = error));
    }, SETTLE_MS);
  }

  stop() {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#again = false;
  }

  // Two reads may cross (a reload and a refresh): the one read at the later seq wins.
  #take(stats: BoardStats) {
    const shown = this.stats;
    if (!shown || stats.seq > shown.seq || (stats.seq === shown.seq && stats.asOf >= shown.asOf)) this.stats = stats;
  }
}
