import { z } from 'zod';
import { idSchema, nonEmptyText, versionedPatch } from '../primitives.ts';
import { listQuery, type Timestamps, type Transitions } from './common.ts';

export const campaignStatuses = ['draft', 'running', 'paused', 'completed'] as const;
export const campaignStatusSchema = z.enum(campaignStatuses);
export type CampaignStatus = z.infer<typeof campaignStatusSchema>;
export const campaignObjectiveSchema = z.enum(['bookings', 'renewals', 'leadgen', 'upsell']);

/** The actions `POST /api/campaigns/:id/<action>` and the moves they make. */
export const campaignActions = {
  start: { from: ['draft'], to: 'running' },
  pause: { from: ['running'], to: 'paused' },
  resume: { from: ['paused'], to: 'running' },
  complete: { from: ['running', 'paused'], to: 'completed' },
} as const satisfies Record<string, { from: readonly CampaignStatus[]; to: CampaignStatus }>;
export type CampaignAction = keyof typeof campaignActions;
export const campaignActionSchema = z.enum(Object.keys(campaignActions) as [CampaignAction, ...CampaignAction[]]);

export const campaignTransitions: Transitions<CampaignStatus> = {
  draft: ['running'],
  running: ['paused', 'completed'],
  paused: ['running', 'completed'],
  completed: [],
};

export const campaignFields = { name: nonEmptyText(120), objective: campaignObjectiveSchema };
export const createCampaignRequest = z.strictObject({ name: campaignFields.name, objective: campaignFields.objective });
export const patchCampaignRequest = versionedPatch(campaignFields);
export const campaignListQuery = listQuery({ status: campaignStatusSchema.optional() });
export const campaignMembersRequest = z.strictObject({ customerIds: z.array(idSchema).min(1).max(1000) });

export interface CampaignStats {
  members: number;
  queued: number;
  inProgress: number;
  completed: number;
  failed: number;
}

export interface Campaign extends Timestamps {
  id: string;
  name: string;
  objective: z.infer<typeof campaignObjectiveSchema>;
  status: CampaignStatus;
  stats: CampaignStats;
  version: number;
}

export interface CampaignMember {
  customerId: string;
  addedAt: string;
}

export const campaignMemberQuery = listQuery({});
export const campaignIdSchema = idSchema;
