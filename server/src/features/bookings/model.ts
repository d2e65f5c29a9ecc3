import { Schema, type Connection } from 'mongoose';
import type { BookingStatus } from '@callboard/shared';
import { editableBase, nullableDate, nullableNumber, schemaOptions } from '../../db/schema-helpers.ts';

export interface BookingDoc {
  _id: string;
  tenantId: string;
  customerId: string;
  propertyCode: string;
  startDate: Date;
  endDate: Date | null;
  status: BookingStatus;
  priceSar: number | null;
  source: 'voice' | 'chat' | 'web';
  createdBy: 'ai' | 'human';
  version: number;
  fieldVersions: Record<string, number>;
  createdAt: Date;
  updatedAt: Date;
}

const schema = new Schema<BookingDoc>(
  {
    ...editableBase,
    customerId: { type: String, required: true },
    propertyCode: { type: String, required: true },
    startDate: { type: Date, required: true },
    endDate: nullableDate,
    status: { type: String, required: true },
    priceSar: nullableNumber,
    source: { type: String, required: true },
    createdBy: { type: String, required: true },
  },
  schemaOptions,
);
schema.index({ tenantId: 1, _id: -1 });
schema.index({ tenantId: 1, status: 1, _id: -1 });
schema.index({ tenantId: 1, customerId: 1, _id: -1 });

export const bookingModel = (conn: Connection) => conn.model<BookingDoc>('Booking', schema, 'bookings');
