import { patchTenantRequest, provisionTenantRequest } from '@callboard/shared';
import type { AppContext } from '../../context.ts';
import { route } from '../../http/routes.ts';
import { presentTenant, TenantService } from './service.ts';

export function tenantRoutes(ctx: AppContext) {
  const tenants = new TenantService(ctx);
  return [
    route({
      method: 'post',
      path: '/admin/tenants',
      access: 'operator',
      body: provisionTenantRequest,
      status: 201,
      summary: 'Provision a tenant with its first admin and an admin API key',
      handle: ({ body }) => tenants.provision(body),
    }),
    route({
      method: 'get',
      path: '/tenant',
      access: 'admin',
      summary: "The tenant's settings",
      handle: async ({ auth }) => presentTenant(await tenants.get(auth.tenantId)),
    }),
    route({
      method: 'patch',
      path: '/tenant',
      access: 'admin',
      body: patchTenantRequest,
      summary: "Change the tenant's settings",
      handle: ({ auth, body }) => tenants.patch(auth.tenantId, body, auth.actor),
    }),
  ];
}
