/** `GET /api/stats/board`, the numbers of the live board: today is the tenant's day, in its time zone. */
export interface BoardStats {
  /** the tenant's change seq read before the numbers: changes after it may not be counted yet */
  seq: number;
  asOf: string;
  timeZone: string;
  dayStart: string;
  /** calls dialling, ringing or talking now, whenever they began */
  live: number;
  /** calls waiting for the dialer */
  queued: number;
  callsToday: number;
  answeredToday: number;
  /** mean talk time of today's completed calls, seconds */
  averageHandleSec: number | null;
  /** today's calls that ended busy, failed, unanswered or canceled */
  failedToday: number;
  aiSessionsEnded: number;
  /** share of today's ended AI sessions judged successful, 0..1 */
  aiSuccessRate: number | null;
  /** calls created in each of the last 60 minutes, oldest first; the last is the current minute */
  perMinute: { minute: string; calls: number }[];
}
