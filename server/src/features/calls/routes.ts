import { byIdParams, callListQuery, createCallRequest } from '@callboard/shared';
import type { AppContext } from '../../context.ts';
import { route } from '../../http/routes.ts';
import { CallService } from './service.ts';

export function callRoutes(ctx: AppContext) {
  const calls = new CallService(ctx);
  return [
    route({
      method: 'get',
      path: '/calls',
      access: 'agent',
      query: callListQuery,
      summary: 'Calls, newest first; live=true for calls not yet ended',
      handle: ({ auth, query }) => calls.list(auth.tenantId, query, query),
    }),
    route({
      method: 'post',
      path: '/calls',
      access: 'supervisor',
      body: createCallRequest,
      status: 202,
      summary: 'Queue one outbound call to a customer',
      handle: ({ auth, body }) => calls.create(auth.tenantId, body.customerId, auth.actor),
    }),
    route({
      method: 'get',
      path: '/calls/:id',
      access: 'agent',
      params: byIdParams,
      handle: ({ auth, params }) => calls.get(auth.tenantId, params.id),
    }),
    route({
      method: 'post',
      path: '/calls/:id/cancel',
      access: 'supervisor',
      params: byIdParams,
      summary: 'Cancel a call that has not ended',
      handle: ({ auth, params }) => calls.cancel(auth.tenantId, params.id, auth.actor),
    }),
  ];
}
