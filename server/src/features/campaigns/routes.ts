import {
  byIdParams,
  campaignActions,
  campaignListQuery,
  campaignMemberQuery,
  campaignMembersRequest,
  createCampaignRequest,
  patchCampaignRequest,
  type CampaignAction,
} from '@callboard/shared';
import type { AppContext } from '../../context.ts';
import { route } from '../../http/routes.ts';
import { CampaignService, presentCampaign } from './service.ts';

export function campaignRoutes(ctx: AppContext) {
  const campaigns = new CampaignService(ctx);
  // One route per action rather than `/:action`, so the OpenAPI document lists each move.
  const actionRoutes = (Object.keys(campaignActions) as CampaignAction[]).map((action) =>
    route({
      method: 'post',
      path: `/campaigns/:id/${action}`,
      access: 'supervisor',
      params: byIdParams,
      summary: `Move the campaign from ${campaignActions[action].from.join(' or ')} to ${campaignActions[action].to}`,
      handle: ({ auth, params }) => campaigns.act(auth.tenantId, params.id, action, auth.actor),
    }),
  );
  return [
    route({
      method: 'get',
      path: '/campaigns',
      access: 'agent',
      query: campaignListQuery,
      summary: 'Campaigns with their stats, newest first',
      handle: ({ auth, query: { limit, cursor, ...filter } }) => campaigns.list(auth.tenantId, filter, { limit, cursor }),
    }),
    route({
      method: 'post',
      path: '/campaigns',
      access: 'supervisor',
      body: createCampaignRequest,
      status: 201,
      summary: 'Create a campaign; it starts as a draft without members',
      handle: ({ auth, body }) => campaigns.create(auth.tenantId, body, auth.actor),
    }),
    route({
      method: 'get',
      path: '/campaigns/:id',
      access: 'agent',
      params: byIdParams,
      handle: async ({ auth, params }) => presentCampaign(await campaigns.get(auth.tenantId, params.id)),
    }),
    route({
      method: 'patch',
      path: '/campaigns/:id',
      access: 'supervisor',
      params: byIdParams,
      body: patchCampaignRequest,
      summary: 'Rename or change the objective; edits of other fields made meanwhile merge',
      handle: ({ auth, params, body }) => campaigns.patch(auth.tenantId, params.id, body, auth.actor),
    }),
    route({
      method: 'post',
      path: '/campaigns/:id/members',
      access: 'supervisor',
      params: byIdParams,
      body: campaignMembersRequest,
      summary: 'Add customers of the tenant; adding a member twice keeps one membership',
      handle: ({ auth, params, body }) => campaigns.addMembers(auth.tenantId, params.id, body.customerIds, auth.actor),
    }),
    route({
      method: 'get',
      path: '/campaigns/:id/members',
      access: 'agent',
      params: byIdParams,
      query: campaignMemberQuery,
      summary: 'Members, most recently added first, with their display names',
      handle: ({ auth, params, query }) => campaigns.listMembers(auth.tenantId, params.id, query),
    }),
    ...actionRoutes,
  ];
}
