import { createApiKeyRequest, idSchema, pageQuery } from '@callboard/shared';
import { z } from 'zod';
import type { AppContext } from '../../context.ts';
import { route } from '../../http/routes.ts';
import { ApiKeyService } from './service.ts';

export function apiKeyRoutes(ctx: AppContext) {
  const keys = new ApiKeyService(ctx);
  return [
    route({
      method: 'get',
      path: '/api-keys',
      access: 'admin',
      query: pageQuery,
      summary: "The tenant's API keys, without secrets",
      handle: ({ auth, query }) => keys.list(auth.tenantId, query),
    }),
    route({
      method: 'post',
      path: '/api-keys',
      access: 'admin',
      body: createApiKeyRequest,
      status: 201,
      summary: 'Create an API key with a role; the key is shown once',
      handle: ({ auth, body }) => keys.create(auth.tenantId, body, auth.actor.id ?? null),
    }),
    route({
      method: 'delete',
      path: '/api-keys/:id',
      access: 'admin',
      params: z.strictObject({ id: idSchema }),
      summary: 'Delete an API key; it is refused at once on every node',
      handle: ({ auth, params }) => keys.delete(auth.tenantId, params.id),
    }),
  ];
}
