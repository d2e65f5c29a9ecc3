import { Schema, type Connection } from 'mongoose';
import type { Activity, Actor, FieldChange } from '@callboard/shared';

export interface ActivityDoc {
  _id: string;
  tenantId: string;
  customerId: string;
  recordType: Activity['recordType'];
  recordId: string;
  action: Activity['action'];
  actor: Actor;
  at: Date;
  changes: FieldChange[];
}

const schema = new Schema<ActivityDoc>(
  {
    _id: { type: String, required: true },
    tenantId: { type: String, required: true },
    customerId: { type: String, required: true },
    recordType: { type: String, required: true },
    recordId: { type: String, required: true },
    action: { type: String, required: true },
    actor: { type: Object, required: true },
    at: { type: Date, required: true },
    changes: { type: [Object], default: [] },
  },
  { versionKey: false, minimize: false },
);
schema.index({ tenantId: 1, customerId: 1, _id: -1 });
// a person's own changes to one record, newest first: what undo reverts
schema.index({ tenantId: 1, customerId: 1, recordId: 1, 'actor.id': 1, _id: -1 });

export const activityModel = (conn: Connection) => conn.model<ActivityDoc>('Activity', schema, 'activities');
