import type { Connection } from 'mongoose';
import { tenantModel } from '../features/tenants/model.ts';
import { userModel } from '../features/users/model.ts';
import { sessionModel } from '../features/auth/model.ts';
import { apiKeyModel } from '../features/api-keys/model.ts';
import { customerModel } from '../features/customers/model.ts';
import { counterModel, eventModel } from '../changes/model.ts';
import { claimModel, platformModel } from './platform-models.ts';

/** Every model, bound to one connection (so several servers can share a process in tests). */
export function createModels(conn: Connection) {
  return {
    tenants: tenantModel(conn),
    users: userModel(conn),
    sessions: sessionModel(conn),
    apiKeys: apiKeyModel(conn),
    customers: customerModel(conn),
    counters: counterModel(conn),
    events: eventModel(conn),
    claims: claimModel(conn),
    platform: platformModel(conn),
  };
}

export type Models = ReturnType<typeof createModels>;
