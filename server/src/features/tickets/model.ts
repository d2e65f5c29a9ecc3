import { Schema, type Connection } from 'mongoose';
import type { TicketPriority, TicketStatus } from '@callboard/shared';
import { editableBase, nullableDate, nullableString, schemaOptions } from '../../db/schema-helpers.ts';

export interface TicketDoc {
  _id: string;
  tenantId: string;
  customerId: string;
  subject: string;
  category: string;
  priority: TicketPriority;
  status: TicketStatus;
  assigneeId: string | null;
  slaDueAt: Date | null;
  resolutionNote: string | null;
  approvedBy: string | null;
  version: number;
  fieldVersions: Record<string, number>;
  createdAt: Date;
  updatedAt: Date;
}

const schema = new Schema<TicketDoc>(
  {
    ...editableBase,
    customerId: { type: String, required: true },
    subject: { type: String, required: true },
    category: { type: String, required: true },
    priority: { type: String, required: true },
    status: { type: String, required: true },
    assigneeId: nullableString,
    slaDueAt: nullableDate,
    resolutionNote: nullableString,
    approvedBy: nullableString,
  },
  schemaOptions,
);
schema.index({ tenantId: 1, _id: -1 });
schema.index({ tenantId: 1, status: 1, _id: -1 });
schema.index({ tenantId: 1, status: 1, priority: 1, _id: -1 });
schema.index({ tenantId: 1, priority: 1, _id: -1 });
schema.index({ tenantId: 1, customerId: 1, _id: -1 });

export const ticketModel = (conn: Connection) => conn.model<TicketDoc>('Ticket', schema, 'tickets');
