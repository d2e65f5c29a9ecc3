import { formatPhone } from './phone.ts';

export const UNKNOWN_CALLER = 'Unknown caller';

/**
 * The one display-name rule (API.md §5): the name when set, else the phone in
 * international format, else "Unknown caller". Never an id.
 */
export function displayName(person: { name?: string | null; phone?: string | null }): string {
  if (person.name && person.name.trim()) return person.name.trim();
  if (person.phone) return formatPhone(person.phone);
  return UNKNOWN_CALLER;
}

/** A call or session without a customer is shown by the other party's number. */
export function otherPartyName(record: { direction: 'inbound' | 'outbound' | null; from: string | null; to: string | null }): string {
  const other = record.direction === 'outbound' ? record.to : record.from;
  return displayName({ phone: other });
}
