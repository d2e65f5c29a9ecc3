import { z } from 'zod';
import { idSchema, nonEmptyText, text, versionedPatch } from '../primitives.ts';
import { dateOrDateTime, listQuery, type Timestamps, type Transitions } from './common.ts';

export const ticketStatuses = ['open', 'in_progress', 'pending_approval', 'resolved'] as const;
export const ticketStatusSchema = z.enum(ticketStatuses);
export type TicketStatus = z.infer<typeof ticketStatusSchema>;

export const ticketPriorities = ['low', 'medium', 'high', 'urgent'] as const;
export const ticketPrioritySchema = z.enum(ticketPriorities);
export type TicketPriority = z.infer<typeof ticketPrioritySchema>;

export const ticketCategories = ['plumbing', 'electrical', 'keys', 'cleaning', 'other'] as const;

/** open → in_progress → pending_approval → resolved; a rejected approval returns to in_progress. */
export const ticketTransitions: Transitions<TicketStatus> = {
  open: ['in_progress'],
  in_progress: ['pending_approval'],
  pending_approval: ['resolved', 'in_progress'],
  resolved: [],
};

export const ticketFields = {
  subject: nonEmptyText(200),
  category: nonEmptyText(60),
  priority: ticketPrioritySchema,
  status: ticketStatusSchema,
  assigneeId: idSchema.nullable(),
  slaDueAt: dateOrDateTime.nullable(),
  resolutionNote: text(2000).nullable(),
};

export const createTicketRequest = z.strictObject({
  customerId: idSchema,
  subject: ticketFields.subject,
  category: ticketFields.category.default('other'),
  priority: ticketFields.priority.default('medium'),
  assigneeId: ticketFields.assigneeId.optional(),
  slaDueAt: ticketFields.slaDueAt.optional(),
});
export const patchTicketRequest = versionedPatch(ticketFields);
export const ticketListQuery = listQuery({
  status: ticketStatusSchema.optional(),
  priority: ticketPrioritySchema.optional(),
  customerId: idSchema.optional(),
});

export interface Ticket extends Timestamps {
  id: string;
  customerId: string;
  subject: string;
  category: string;
  priority: TicketPriority;
  status: TicketStatus;
  assigneeId: string | null;
  slaDueAt: string | null;
  resolutionNote: string | null;
  approvedBy: string | null;
  version: number;
}
