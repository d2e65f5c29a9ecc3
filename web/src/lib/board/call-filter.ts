import { isTerminalCall, type Call, type CallDirection, type CallStatus } from '@callboard/shared';
import { listQuery } from './query.ts';

export interface CallFilter {
  status: 'all' | 'live' | CallStatus;
  direction: 'all' | CallDirection;
  /** '' for every campaign */
  campaignId: string;
}

export const newestFirst = (a: { createdAt: string }, b: { createdAt: string }) => b.createdAt.localeCompare(a.createdAt);

export function matchesFilter(call: Call, f: CallFilter): boolean {
  if (f.status === 'live' ? isTerminalCall(call.status) : f.status !== 'all' && call.status !== f.status) return false;
  if (f.direction !== 'all' && call.direction !== f.direction) return false;
  return f.campaignId === '' || call.campaignId === f.campaignId;
}

/** The server filters it can apply (direction is filtered on the board). */
export function recentCallsQuery(f: CallFilter, limit: number): string {
  return listQuery({
    limit,
    live: f.status === 'live' ? 'true' : undefined,
    status: f.status === 'live' || f.status === 'all' ? undefined : f.status,
    campaignId: f.campaignId,
  });
}

/** The ids of the `keep` most recent ended calls: older ended ones may leave the board. */
export function recentEnded(calls: Call[], keep: number): Set<string> {
  return new Set(calls.filter((c) => isTerminalCall(c.status)).sort(newestFirst).slice(0, keep).map((c) => c.id));
}
