import type { Connection } from 'mongoose';
import { tenantModel } from '../features/tenants/model.ts';
import { userModel } from '../features/users/model.ts';
import { sessionModel } from '../features/auth/model.ts';
import { apiKeyModel } from '../features/api-keys/model.ts';
import { customerModel } from '../features/customers/model.ts';
import { counterModel, eventModel } from '../changes/model.ts';
import { callModel } from '../features/calls/model.ts';
import { voiceSessionModel } from '../features/voice-sessions/model.ts';
import { ticketModel } from '../features/tickets/model.ts';
import { bookingModel } from '../features/bookings/model.ts';
import { campaignMemberModel, campaignModel } from '../features/campaigns/model.ts';
import { activityModel } from '../features/activity/model.ts';
import { webhookEndpointModel } from '../features/webhook-endpoints/model.ts';
import { webhookDeliveryModel } from '../features/webhooks/deliveries.ts';
import { webhookReceiptModel } from '../features/webhooks/receipts.ts';
import { claimModel, platformModel } from './platform-models.ts';

/** Every model, bound to one connection (so several servers can share a process in tests). */
export function createModels(conn: Connection) {
  return {
    tenants: tenantModel(conn),
    users: userModel(conn),
    sessions: sessionModel(conn),
    apiKeys: apiKeyModel(conn),
    customers: customerModel(conn),
    calls: callModel(conn),
    voiceSessions: voiceSessionModel(conn),
    tickets: ticketModel(conn),
    bookings: bookingModel(conn),
    campaigns: campaignModel(conn),
    campaignMembers: campaignMemberModel(conn),
    activities: activityModel(conn),
    webhookEndpoints: webhookEndpointModel(conn),
    webhookDeliveries: webhookDeliveryModel(conn),
    webhookReceipts: webhookReceiptModel(conn),
    counters: counterModel(conn),
    events: eventModel(conn),
    claims: claimModel(conn),
    platform: platformModel(conn),
  };
}

export type Models = ReturnType<typeof createModels>;
