import { byIdParams, createTicketRequest, patchTicketRequest, ticketListQuery } from '@callboard/shared';
import type { AppContext } from '../../context.ts';
import { route } from '../../http/routes.ts';
import { presentTicket, TicketService } from './service.ts';

export function ticketRoutes(ctx: AppContext) {
  const tickets = new TicketService(ctx);
  return [
    route({
      method: 'get',
      path: '/tickets',
      access: 'agent',
      query: ticketListQuery,
      summary: 'Tickets, newest first, by status, priority or customer',
      handle: ({ auth, query: { limit, cursor, ...filter } }) => tickets.list(auth.tenantId, filter, { limit, cursor }),
    }),
    route({
      method: 'post',
      path: '/tickets',
      access: 'agent',
      body: createTicketRequest,
      status: 201,
      summary: 'Open a ticket for a customer of the tenant',
      handle: ({ auth, body }) => tickets.create(auth.tenantId, body, auth.actor),
    }),
    route({
      method: 'get',
      path: '/tickets/:id',
      access: 'agent',
      params: byIdParams,
      handle: async ({ auth, params }) => presentTicket(await tickets.get(auth.tenantId, params.id)),
    }),
    route({
      method: 'patch',
      path: '/tickets/:id',
      access: 'agent',
      params: byIdParams,
      body: patchTicketRequest,
      summary:
        'Edit fields; status moves open → in_progress → pending_approval → resolved (approval by a supervisor) or back to in_progress',
      handle: ({ auth, params, body }) => tickets.patch(auth.tenantId, params.id, body, auth),
    }),
    route({
      method: 'delete',
      path: '/tickets/:id',
      access: 'supervisor',
      params: byIdParams,
      handle: ({ auth, params }) => tickets.delete(auth.tenantId, params.id, auth.actor),
    }),
  ];
}
