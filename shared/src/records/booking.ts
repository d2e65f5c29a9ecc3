import { z } from 'zod';
import { idSchema, nonEmptyText, versionedPatch } from '../primitives.ts';
import { dateOrDateTime, listQuery, type Timestamps, type Transitions } from './common.ts';

export const bookingStatuses = ['pending', 'confirmed', 'canceled', 'completed'] as const;
export const bookingStatusSchema = z.enum(bookingStatuses);
export type BookingStatus = z.infer<typeof bookingStatusSchema>;

export const bookingTransitions: Transitions<BookingStatus> = {
  pending: ['confirmed', 'canceled'],
  confirmed: ['completed', 'canceled'],
  canceled: [],
  completed: [],
};

export const bookingFields = {
  propertyCode: nonEmptyText(40),
  startDate: dateOrDateTime,
  endDate: dateOrDateTime.nullable(),
  status: bookingStatusSchema,
  priceSar: z.number().min(0).max(100_000_000).nullable(),
  source: z.enum(['voice', 'chat', 'web']),
  createdBy: z.enum(['ai', 'human']),
};

export const createBookingRequest = z.strictObject({
  customerId: idSchema,
  propertyCode: bookingFields.propertyCode,
  startDate: bookingFields.startDate,
  endDate: bookingFields.endDate.optional(),
  priceSar: bookingFields.priceSar.optional(),
  source: bookingFields.source.default('web'),
  createdBy: bookingFields.createdBy.default('human'),
});
export const patchBookingRequest = versionedPatch(bookingFields);
export const bookingListQuery = listQuery({ status: bookingStatusSchema.optional(), customerId: idSchema.optional() });

export interface Booking extends Timestamps {
  id: string;
  customerId: string;
  propertyCode: string;
  startDate: string;
  endDate: string | null;
  status: BookingStatus;
  priceSar: number | null;
  source: 'voice' | 'chat' | 'web';
  createdBy: 'ai' | 'human';
  version: number;
}
