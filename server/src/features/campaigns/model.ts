import { Schema, type Connection } from 'mongoose';
import type { CampaignStats, CampaignStatus } from '@callboard/shared';
import { editableBase, schemaOptions } from '../../db/schema-helpers.ts';

export interface CampaignDoc {
  _id: string;
  tenantId: string;
  name: string;
  objective: 'bookings' | 'renewals' | 'leadgen' | 'upsell';
  status: CampaignStatus;
  stats: CampaignStats;
  version: number;
  fieldVersions: Record<string, number>;
  createdAt: Date;
  updatedAt: Date;
}

const schema = new Schema<CampaignDoc>(
  {
    ...editableBase,
    name: { type: String, required: true },
    objective: { type: String, required: true },
    status: { type: String, required: true },
    stats: { type: Object, required: true },
  },
  schemaOptions,
);
schema.index({ tenantId: 1, _id: -1 });
schema.index({ tenantId: 1, status: 1, _id: -1 });

export const campaignModel = (conn: Connection) => conn.model<CampaignDoc>('Campaign', schema, 'campaigns');

/** Membership of a customer in a campaign; `_id` derived from both, so adding twice is one member. */
export interface CampaignMemberDoc {
  _id: string;
  tenantId: string;
  order: string;
  campaignId: string;
  customerId: string;
  addedAt: Date;
}

const memberSchema = new Schema<CampaignMemberDoc>(
  {
    _id: { type: String, required: true },
    tenantId: { type: String, required: true },
    order: { type: String, required: true },
    campaignId: { type: String, required: true },
    customerId: { type: String, required: true },
    addedAt: { type: Date, required: true },
  },
  { versionKey: false },
);
memberSchema.index({ tenantId: 1, campaignId: 1, order: -1 });
memberSchema.index({ tenantId: 1, customerId: 1, order: -1 });

export const campaignMemberModel = (conn: Connection) => conn.model<CampaignMemberDoc>('CampaignMember', memberSchema, 'campaignMembers');
