import type { Call, VoiceSessionSummary } from '@callboard/shared';

const seconds = (from: string, to: number) => Math.max(0, (to - Date.parse(from)) / 1000);

/**
 * How long a call has lasted, by the client's clock while it is live: talk time
 * once answered, ringing time before; an ended call shows what the provider reported.
 */
export function callSeconds(call: Call, now: number): number | null {
  switch (call.status) {
    case 'queued':
      return null;
    case 'initiated':
    case 'ringing':
      return seconds(call.startedAt ?? call.createdAt, now);
    case 'in-progress':
      return seconds(call.answeredAt ?? call.startedAt ?? call.createdAt, now);
    default: {
      if (call.durationSec !== null) return call.durationSec;
      const from = call.answeredAt ?? call.startedAt;
      return from && call.endedAt ? seconds(from, Date.parse(call.endedAt)) : null;
    }
  }
}

export function sessionSeconds(session: VoiceSessionSummary, now: number): number | null {
  if (session.status === 'live') return seconds(session.startedAt ?? session.createdAt, now);
  if (session.durationSec !== null) return session.durationSec;
  return session.startedAt && session.endedAt ? seconds(session.startedAt, Date.parse(session.endedAt)) : null;
}
