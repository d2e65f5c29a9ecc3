import { z } from 'zod';
import { idSchema } from './primitives.ts';
import { customerFields } from './records/customer.ts';

// ---- Presence (API.md §7): who is on which record, and which field each is editing ----

/** Records that have presence; only customers so far. */
export const presenceEntitySchema = z.literal('customer');
export type PresenceEntity = z.infer<typeof presenceEntitySchema>;

/** A field a viewer may focus: one of the customer's editable fields (those a PATCH `set` takes). */
export const customerFieldNameSchema = z.object(customerFields).keyof();
export type CustomerFieldName = z.infer<typeof customerFieldNameSchema>;

export const presenceJoinRequest = z.strictObject({ entity: presenceEntitySchema, id: idSchema });
export const presenceLeaveRequest = z.strictObject({ entity: presenceEntitySchema, id: idSchema });
export const presenceFocusRequest = z.strictObject({
  entity: presenceEntitySchema,
  id: idSchema,
  field: customerFieldNameSchema.nullable(),
});
export type PresenceJoinRequest = z.infer<typeof presenceJoinRequest>;
export type PresenceLeaveRequest = z.infer<typeof presenceLeaveRequest>;
export type PresenceFocusRequest = z.infer<typeof presenceFocusRequest>;

/** The acknowledgement of a presence message that was applied. */
export interface PresenceOk {
  ok: true;
}

/**
 * One person on a record. A user with several tabs or devices on the same
 * record is listed once; `field` is the one most recently focused among their
 * tabs that have a field focused, else null.
 */
export interface PresenceViewer {
  userId: string;
  name: string;
  field: CustomerFieldName | null;
}

/**
 * The `presence` event: the full viewer list of one record (an empty list when
 * the last viewer left), ordered by when each person arrived. It is sent to
 * every socket of the tenant whenever the list changes, and once per viewed
 * record to a socket when it connects, so lists can show who is where.
 */
export interface Presence {
  entity: PresenceEntity;
  id: string;
  viewers: PresenceViewer[];
}
