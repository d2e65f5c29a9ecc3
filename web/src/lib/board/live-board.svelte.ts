import { isTerminalCall, type Call, type Campaign, type Page, type VoiceSessionSummary } from '@callboard/shared';
import { untrack } from 'svelte';
import { api } from '$lib/api.ts';
import { realtime } from '$lib/realtime.svelte.ts';
import { matchesFilter, newestFirst, recentCallsQuery, recentEnded, type CallFilter } from './call-filter.ts';
import { callIsNewer, sessionIsNewer, versionIsNewer } from './freshness.ts';
import { BoardKpis } from './kpis.svelte.ts';
import { RecordMap } from './record-map.ts';

export type TranscriptTarget = { kind: 'call' | 'session'; id: string };

const RECENT = 50;
const SHOWN_ROWS = 100;
// Past this many records the oldest ended ones are let go; live ones always stay.
const KEEP_ENDED = 200;
const MINUTE_MS = 60_000;

/**
 * The live board's state: the day's numbers, the live and recent calls and AI
 * sessions, kept current by change events after one initial read.
 */
export class LiveBoard {
  readonly kpis = new BoardKpis();
  readonly calls = new RecordMap<Call>(callIsNewer);
  readonly sessions = new RecordMap<VoiceSessionSummary>(sessionIsNewer);
  readonly campaigns = new RecordMap<Campaign>(versionIsNewer);
  filter = $state<CallFilter>({ status: 'all', direction: 'all', campaignId: '' });
  selected = $state<TranscriptTarget | null>(null);
  loaded = $state(false);
  failure = $state<unknown>(null);

  readonly rows: Call[] = $derived(
    this.calls.values
      .filter((c) => matchesFilter(c, this.filter))
      .sort(newestFirst)
      .slice(0, SHOWN_ROWS),
  );
  readonly sessionRows: VoiceSessionSummary[] = $derived.by(() => {
    const all = this.sessions.values.sort(newestFirst);
    return [...all.filter((s) => s.status === 'live'), ...all.filter((s) => s.status !== 'live').slice(0, 8)];
  });

  /** The session whose transcript the panel shows: the one opened, or the one linked to the call opened. */
  readonly selectedSessionId: string | null = $derived.by(() => {
    const target = this.selected;
    if (!target) return null;
    if (target.kind === 'session') return target.id;
    const call = this.calls.get(target.id);
    return call?.voiceSessionId ?? this.sessions.values.find((s) => s.callId === target.id)?.id ?? null;
  });

  /** Subscribes to changes, then reads the board; returns the unsubscribe. */
  connect(): () => void {
    const stops = [
      realtime.on('call.created', ({ data }) => this.#call(data)),
      realtime.on('call.updated', ({ data }) => this.#call(data)),
      realtime.on('voice_session.created', ({ data }) => this.#session(data)),
      realtime.on('voice_session.updated', ({ data }) => this.#session(data)),
      realtime.on('campaign.created', ({ data }) => this.campaigns.upsert(data)),
      realtime.on('campaign.updated', ({ data }) => this.campaigns.upsert(data)),
      // The server could not replay what was missed: read everything again.
      realtime.onReset(() => void this.load()),
    ];
    // The chart's hour slides and the day turns over even when nothing happens.
    const minute = setInterval(() => this.kpis.refreshSoon(), MINUTE_MS);
    // Read once; what the first read looks at (the filter) is no reason to subscribe again.
    untrack(() => void this.load());
    return () => {
      for (const stop of stops) stop();
      clearInterval(minute);
      this.kpis.stop();
    };
  }

  async load() {
    try {
      // The numbers carry the seq they were read at; everything read after them is at least as new.
      const stats = await this.kpis.load();
      realtime.start(stats.seq);
      await Promise.all([this.reloadCalls(), this.#loadSessions(), this.#loadCampaigns()]);
      this.loaded = true;
      this.failure = null;
    } catch (error) {
      this.failure = error;
    }
  }

  /** Reads the live calls and the most recent ones the filter asks for. */
  async reloadCalls() {
    const reload = this.calls.beginReload();
    const [live, recent] = await Promise.all([
      api.get<Page<Call>>('/api/calls?live=true&limit=200'),
      api.get<Page<Call>>(`/api/calls?${recentCallsQuery(this.filter, RECENT)}`),
    ]);
    this.calls.finishReload(reload, [...live.items, ...recent.items]);
  }

  setFilter(filter: CallFilter) {
    this.filter = filter;
    this.reloadCalls().catch((error: unknown) => (this.failure = error));
  }

  async #loadSessions() {
    const reload = this.sessions.beginReload();
    const [live, recent] = await Promise.all([
      api.get<Page<VoiceSessionSummary>>('/api/voice-sessions?status=live&limit=100'),
      api.get<Page<VoiceSessionSummary>>('/api/voice-sessions?limit=20'),
    ]);
    this.sessions.finishReload(reload, [...live.items, ...recent.items]);
  }

  async #loadCampaigns() {
    const reload = this.campaigns.beginReload();
    this.campaigns.finishReload(reload, (await api.get<Page<Campaign>>('/api/campaigns?limit=200')).items);
  }

  #call(call: Call) {
    this.calls.upsert(call);
    this.kpis.refreshSoon();
    if (this.calls.byId.size > 2 * KEEP_ENDED) {
      const keep = recentEnded(this.calls.values, KEEP_ENDED);
      this.calls.prune((c) => !isTerminalCall(c.status) || keep.has(c.id) || c.id === this.selected?.id);
    }
  }

  #session(session: VoiceSessionSummary) {
    this.sessions.upsert(session);
    this.kpis.refreshSoon();
  }
}
