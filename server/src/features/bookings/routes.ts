import { bookingListQuery, byIdParams, createBookingRequest, patchBookingRequest } from '@callboard/shared';
import type { AppContext } from '../../context.ts';
import { route } from '../../http/routes.ts';
import { BookingService, presentBooking } from './service.ts';

export function bookingRoutes(ctx: AppContext) {
  const bookings = new BookingService(ctx);
  return [
    route({
      method: 'get',
      path: '/bookings',
      access: 'agent',
      query: bookingListQuery,
      summary: 'Bookings, newest first, by status or customer',
      handle: ({ auth, query: { limit, cursor, ...filter } }) => bookings.list(auth.tenantId, filter, { limit, cursor }),
    }),
    route({
      method: 'post',
      path: '/bookings',
      access: 'agent',
      body: createBookingRequest,
      status: 201,
      summary: 'Book a property for a customer of the tenant; endDate, when given, is not before startDate',
      handle: ({ auth, body }) => bookings.create(auth.tenantId, body, auth.actor),
    }),
    route({
      method: 'get',
      path: '/bookings/:id',
      access: 'agent',
      params: byIdParams,
      handle: async ({ auth, params }) => presentBooking(await bookings.get(auth.tenantId, params.id)),
    }),
    route({
      method: 'patch',
      path: '/bookings/:id',
      access: 'agent',
      params: byIdParams,
      body: patchBookingRequest,
      summary: 'Edit fields; status moves pending → confirmed | canceled, confirmed → completed | canceled',
      handle: ({ auth, params, body }) => bookings.patch(auth.tenantId, params.id, body, auth.actor),
    }),
    route({
      method: 'delete',
      path: '/bookings/:id',
      access: 'supervisor',
      params: byIdParams,
      handle: ({ auth, params }) => bookings.delete(auth.tenantId, params.id, auth.actor),
    }),
  ];
}
