import type { AppContext } from './context.ts';
import type { RouteDef } from './http/routes.ts';
import type { AuthService } from './features/auth/service.ts';
import { authRoutes } from './features/auth/routes.ts';
import { tenantRoutes } from './features/tenants/routes.ts';
import { userRoutes } from './features/users/routes.ts';
import { apiKeyRoutes } from './features/api-keys/routes.ts';
import { customerRoutes } from './features/customers/routes.ts';
import { ticketRoutes } from './features/tickets/routes.ts';
import { bookingRoutes } from './features/bookings/routes.ts';
import { campaignRoutes } from './features/campaigns/routes.ts';
import { callRoutes } from './features/calls/routes.ts';
import { voiceSessionRoutes } from './features/voice-sessions/routes.ts';
import { webhookEndpointRoutes } from './features/webhook-endpoints/routes.ts';
import { statsRoutes } from './features/stats/routes.ts';

/** Every API route with the role it needs: the one table access is checked from. */
export function routeTable(ctx: AppContext, auth: AuthService): RouteDef[] {
  return [
    ...authRoutes(ctx, auth),
    ...tenantRoutes(ctx),
    ...userRoutes(ctx),
    ...apiKeyRoutes(ctx),
    ...customerRoutes(ctx),
    ...callRoutes(ctx),
    ...voiceSessionRoutes(ctx),
    ...ticketRoutes(ctx),
    ...bookingRoutes(ctx),
    ...campaignRoutes(ctx),
    ...webhookEndpointRoutes(ctx),
    ...statsRoutes(ctx),
  ];
}
