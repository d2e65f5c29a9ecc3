import type { AppContext } from '../../context.ts';
import { route } from '../../http/routes.ts';
import { BoardStatsService } from './service.ts';

export function statsRoutes(ctx: AppContext) {
  const stats = new BoardStatsService(ctx);
  return [
    route({
      method: 'get',
      path: '/stats/board',
      access: 'agent',
      summary:
        "The live board's numbers: live and queued calls now; today's calls, answered, average handle time, failed, AI success rate (the tenant's day, in its time zone); calls per minute over the last hour; and the change seq they were read at",
      handle: ({ auth }) => stats.board(auth.tenantId),
    }),
  ];
}
