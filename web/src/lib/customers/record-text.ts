import type {
  Activity,
  BookingStatus,
  CallStatus,
  CampaignStatus,
  TicketPriority,
  TicketStatus,
  VoiceSessionStatus,
} from '@callboard/shared';
import { i18n, t, type MessageKey } from '$lib/i18n.svelte.ts';
import { fieldLabel, valueText } from './field-text.ts';
import { calendarDate, sar } from './format.ts';

/** The vocabularies of a customer's records, in the reader's language. */
export const ticketStatusName = (s: TicketStatus) => t(`customers.ticketStatus.${s}`);
export const priorityName = (p: TicketPriority) => t(`customers.priority.${p}`);
export const bookingStatusName = (s: BookingStatus) => t(`customers.bookingStatus.${s}`);
export const sourceName = (s: 'voice' | 'chat' | 'web') => t(`customers.source.${s}`);
export const sessionStatusName = (s: VoiceSessionStatus) => t(`customers.sessionStatus.${s}`);
export const outcomeName = (o: 'success' | 'failure' | 'unknown') => t(`customers.outcome.${o}`);
export const campaignStatusName = (s: CampaignStatus) => t(`customers.campaignStatus.${s}`);
export const directionName = (d: 'inbound' | 'outbound') => t(`customers.direction.${d}`);
export const callStatusName = (s: CallStatus) => t(`customers.callStatus.${s}`);

/** The verb for moving a ticket or booking to a status, on its button. */
export const ticketMoveName = (from: TicketStatus, to: TicketStatus) =>
  from === 'pending_approval' && to === 'in_progress' ? t('customers.move.reject') : t(`customers.move.ticket.${to}`);
export const bookingMoveName = (to: BookingStatus) => t(`customers.move.booking.${to}`);

const ticketFields: Record<string, MessageKey> = {
  subject: 'customers.ticket.subject',
  category: 'customers.ticket.category',
  priority: 'customers.ticket.priority',
  status: 'customers.status',
  slaDueAt: 'customers.ticket.slaDueAt',
  resolutionNote: 'customers.ticket.resolutionNote',
  assigneeId: 'customers.ticket.assignee',
  approvedBy: 'customers.ticket.approvedBy',
};
const bookingFields: Record<string, MessageKey> = {
  propertyCode: 'customers.booking.propertyCode',
  startDate: 'customers.booking.startDate',
  endDate: 'customers.booking.endDate',
  status: 'customers.status',
  priceSar: 'customers.booking.priceSar',
  source: 'customers.booking.source',
  createdBy: 'customers.booking.createdBy',
};

export function changeLabel(recordType: Activity['recordType'], field: string): string {
  const key = recordType === 'ticket' ? ticketFields[field] : recordType === 'booking' ? bookingFields[field] : undefined;
  return key ? t(key) : fieldLabel(field);
}

/** A before or after value of the activity timeline, formatted as the record's own screens show it. */
export function changeValue(recordType: Activity['recordType'], field: string, value: unknown): string {
  if (value === null || value === undefined || value === '') return t('customers.none');
  if (recordType === 'customer') return valueText(field, value);
  // Users are named elsewhere; an id is never shown as a name.
  if (field === 'assigneeId' || field === 'approvedBy') return t('customers.aUser');
  if (typeof value === 'string' && (field === 'startDate' || field === 'endDate')) return calendarDate(value);
  if (typeof value === 'string' && field === 'slaDueAt') return i18n.dateTime(value);
  if (typeof value === 'number' && field === 'priceSar') return sar(value);
  if (typeof value === 'string' && field === 'status') {
    return recordType === 'ticket' ? ticketStatusName(value as TicketStatus) : bookingStatusName(value as BookingStatus);
  }
  if (recordType === 'ticket' && field === 'priority') return priorityName(value as TicketPriority);
  if (recordType === 'booking' && field === 'source') return sourceName(value as 'voice' | 'chat' | 'web');
  return valueText(field, value);
}

/** "created the ticket", "changed the customer"… */
export const actionText = (entry: Pick<Activity, 'action' | 'recordType'>) =>
  t(`customers.activity.${entry.action}`, { record: t(`customers.record.${entry.recordType}`) });
