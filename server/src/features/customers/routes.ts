import { byIdParams, createCustomerRequest, customerListQuery, listQuery, patchCustomerRequest } from '@callboard/shared';
import type { AppContext } from '../../context.ts';
import { route } from '../../http/routes.ts';
import { ActivityLog } from '../activity/service.ts';
import { TenantService } from '../tenants/service.ts';
import { CallService } from '../calls/service.ts';
import { VoiceSessionService } from '../voice-sessions/service.ts';
import { TicketService } from '../tickets/service.ts';
import { BookingService } from '../bookings/service.ts';
import { customerCampaigns } from '../campaigns/service.ts';
import { CustomerService, presentCustomer } from './service.ts';
import { undoLastChange } from './undo.ts';

const pageOnly = listQuery({});

export function customerRoutes(ctx: AppContext) {
  const customers = new CustomerService(ctx);
  const tenants = new TenantService(ctx);
  const activity = new ActivityLog(ctx);
  const calls = new CallService(ctx);
  const sessions = new VoiceSessionService(ctx);
  const tickets = new TicketService(ctx);
  const bookings = new BookingService(ctx);
  /** A customer's own records: one paginated query on that customer only, after checking it is the caller's. */
  const own = (path: string, summary: string, list: (tenantId: string, customerId: string, page: { limit: number; cursor?: string | undefined }) => Promise<unknown>) =>
    route({
      method: 'get',
      path: `/customers/:id/${path}`,
      access: 'agent',
      params: byIdParams,
      query: pageOnly,
      summary,
      handle: async ({ auth, params, query }) => {
        await customers.get(auth.tenantId, params.id);
        return list(auth.tenantId, params.id, query);
      },
    });
  return [
    route({
      method: 'get',
      path: '/customers',
      access: 'agent',
      query: customerListQuery,
      summary: 'Customers, newest first; q is a case-insensitive prefix of name, phone or email',
      handle: ({ auth, query }) => customers.list(auth.tenantId, query),
    }),
    route({
      method: 'post',
      path: '/customers',
      access: 'agent',
      body: createCustomerRequest,
      status: 201,
      summary: 'Create a customer; a phone already used in the tenant is a 409',
      handle: async ({ auth, body }) => {
        const tenant = await tenants.get(auth.tenantId);
        return customers.create(auth.tenantId, body, auth.actor, tenant.locale);
      },
    }),
    route({
      method: 'get',
      path: '/customers/:id',
      access: 'agent',
      params: byIdParams,
      handle: async ({ auth, params }) => presentCustomer(await customers.get(auth.tenantId, params.id)),
    }),
    route({
      method: 'patch',
      path: '/customers/:id',
      access: 'agent',
      params: byIdParams,
      body: patchCustomerRequest,
      summary: 'Edit fields; edits of other fields made meanwhile merge, a field changed since your version is a 409',
      handle: ({ auth, params, body }) => customers.patch(auth.tenantId, params.id, body, auth.actor),
    }),
    route({
      method: 'post',
      path: '/customers/:id/undo',
      access: 'agent',
      params: byIdParams,
      summary:
        'Undo your own last change to the customer, as a new versioned change (a second undo redoes); 409 when someone else changed those fields since, or when you have nothing to undo',
      handle: ({ auth, params }) => undoLastChange(ctx, customers, auth.tenantId, params.id, auth.actor),
    }),
    route({
      method: 'delete',
      path: '/customers/:id',
      access: 'supervisor',
      params: byIdParams,
      handle: ({ auth, params }) => customers.delete(auth.tenantId, params.id, auth.actor),
    }),
    own('activity', "The customer's activity timeline: who changed what, with before and after", (t, id, page) => activity.list(t, id, page)),
    own('calls', "The customer's calls, newest first", (t, id, page) => calls.list(t, { customerId: id }, page)),
    own('voice-sessions', "The customer's AI voice sessions, newest first", (t, id, page) => sessions.list(t, { customerId: id }, page)),
    own('tickets', "The customer's tickets, newest first", (t, id, page) => tickets.list(t, { customerId: id }, page)),
    own('bookings', "The customer's bookings, newest first", (t, id, page) => bookings.list(t, { customerId: id }, page)),
    own('campaigns', 'The campaigns the customer is a member of', (t, id, page) => customerCampaigns(ctx, t, id, page)),
  ];
}
