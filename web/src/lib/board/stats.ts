/**
 * The answer of `GET /api/stats/board` (server/src/features/stats/service.ts).
 * It belongs in shared/ beside the other records; it is declared here until it moves.
 */
export interface BoardStats {
  /** the tenant's change seq read before the numbers */
  seq: number;
  asOf: string;
  timeZone: string;
  dayStart: string;
  live: number;
  queued: number;
  callsToday: number;
  answeredToday: number;
  averageHandleSec: number | null;
  failedToday: number;
  aiSessionsEnded: number;
  aiSuccessRate: number | null;
  perMinute: { minute: string; calls: number }[];
}
