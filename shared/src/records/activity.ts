import type { Actor } from '../events.ts';

export interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
}

/** One entry of a customer's activity timeline: who changed what, with before and after. */
export interface Activity {
  id: string;
  customerId: string;
  recordType: 'customer' | 'ticket' | 'booking' | 'call' | 'voice_session' | 'campaign';
  recordId: string;
  action: 'created' | 'updated' | 'deleted';
  actor: Actor;
  at: string;
  changes: FieldChange[];
}
