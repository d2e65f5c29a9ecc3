import {
  byIdParams,
  createWebhookEndpointRequest,
  ensureWebhookEndpointRequest,
  pageQuery,
  rotateWebhookEndpointRequest,
  slugSchema,
  webhookDeliveryListQuery,
} from '@callboard/shared';
import { z } from 'zod';
import type { AppContext } from '../../context.ts';
import { route } from '../../http/routes.ts';
import { DeliveryLog } from '../webhooks/deliveries.ts';
import { WebhookEndpointService } from './service.ts';

export function webhookEndpointRoutes(ctx: AppContext) {
  const endpoints = new WebhookEndpointService(ctx);
  const deliveries = new DeliveryLog(ctx);
  return [
    route({
      method: 'get',
      path: '/webhook-endpoints',
      access: 'admin',
      query: pageQuery,
      summary: "The tenant's webhook endpoints with their URLs, without secrets",
      handle: ({ auth, query }) => endpoints.list(auth.tenantId, query),
    }),
    route({
      method: 'post',
      path: '/webhook-endpoints',
      access: 'admin',
      body: createWebhookEndpointRequest,
      status: 201,
      summary: "Create an endpoint for a provider with the tenant's secret or a generated one; the secret is shown once",
      handle: ({ auth, body }) => endpoints.create(auth.tenantId, body),
    }),
    route({
      method: 'post',
      path: '/webhook-endpoints/:id/rotate',
      access: 'admin',
      params: byIdParams,
      body: rotateWebhookEndpointRequest,
      status: 201,
      summary: 'A new secret, shown once; the previous ones keep verifying for graceSeconds (default 86400, 0 = at once)',
      handle: ({ auth, params, body }) => endpoints.rotate(auth.tenantId, params.id, body),
    }),
    route({
      method: 'delete',
      path: '/webhook-endpoints/:id',
      access: 'admin',
      params: byIdParams,
      summary: 'Delete an endpoint; its deliveries are refused (404) at once',
      handle: ({ auth, params }) => endpoints.delete(auth.tenantId, params.id),
    }),
    route({
      method: 'get',
      path: '/webhook-deliveries',
      access: 'admin',
      query: webhookDeliveryListQuery,
      summary: 'The delivery log, newest first: time, endpoint, provider key, verified, result, error code',
      handle: ({ auth, query }) => deliveries.list(auth.tenantId, query),
    }),
    route({
      method: 'post',
      path: '/admin/tenants/:slug/webhook-endpoints',
      access: 'operator',
      params: z.strictObject({ slug: slugSchema }),
      body: ensureWebhookEndpointRequest,
      status: 201,
      summary: "Operator: a fresh secret for the tenant's endpoint with this label, created when missing (the traffic simulator)",
      handle: ({ params, body }) => endpoints.ensure(params.slug, body),
    }),
  ];
}
