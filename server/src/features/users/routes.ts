import { createUserRequest, idSchema, pageQuery, patchUserRequest, resetPasswordRequest } from '@callboard/shared';
import { z } from 'zod';
import type { AppContext } from '../../context.ts';
import { route } from '../../http/routes.ts';
import { presentUser, UserService } from './service.ts';

const byId = z.strictObject({ id: idSchema });

export function userRoutes(ctx: AppContext) {
  const users = new UserService(ctx);
  return [
    route({
      method: 'get',
      path: '/users',
      access: 'admin',
      query: pageQuery,
      summary: "The tenant's users, newest first",
      handle: ({ auth, query }) => users.list(auth.tenantId, query),
    }),
    route({
      method: 'post',
      path: '/users',
      access: 'admin',
      body: createUserRequest,
      status: 201,
      summary: 'Create a user with a role',
      handle: ({ auth, body }) => users.create(auth.tenantId, body, auth.actor),
    }),
    route({
      method: 'get',
      path: '/users/:id',
      access: 'admin',
      params: byId,
      handle: async ({ auth, params }) => presentUser(await users.get(auth.tenantId, params.id)),
    }),
    route({
      method: 'patch',
      path: '/users/:id',
      access: 'admin',
      params: byId,
      body: patchUserRequest,
      summary: "Change a user's name or role, or disable them (their sessions end at once)",
      handle: ({ auth, params, body }) => users.patch(auth.tenantId, params.id, body, auth.actor, auth.userId),
    }),
    route({
      method: 'post',
      path: '/users/:id/password',
      access: 'admin',
      params: byId,
      body: resetPasswordRequest,
      summary: "Reset a user's password (their sessions end)",
      handle: async ({ auth, params, body }) => {
        await users.setPassword(auth.tenantId, params.id, body.password);
        await users.endSessions(auth.tenantId, params.id);
      },
    }),
  ];
}
