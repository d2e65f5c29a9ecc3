import { z } from 'zod';
import type { ErrorCode } from './errors.ts';
import type { TenantSettings } from './tenant.ts';
import type { User } from './auth.ts';
import type { Booking, Call, Campaign, Customer, Ticket, TranscriptTurn, VoiceSessionSummary } from './records/index.ts';
import type { Presence, PresenceOk, presenceFocusRequest, presenceJoinRequest, presenceLeaveRequest } from './presence.ts';

/** Who made a change (API.md §7). */
export interface Actor {
  type: 'user' | 'apiKey' | 'webhook' | 'system';
  id?: string;
  name?: string;
}

/** Every change event carries the tenant's change number and who made it. */
export interface ChangeEnvelope<T> {
  seq: number;
  at: string;
  actor: Actor;
  data: T;
}

/**
 * The change events and their payloads. Later features add their records here;
 * `tenant.updated` and `user.*` are Callboard extensions of API.md §7 so that
 * settings screens stay live too.
 */
export interface ChangeEventData {
  'customer.created': Customer;
  'customer.updated': Customer;
  'customer.deleted': { id: string };
  'call.created': Call;
  'call.updated': Call;
  'voice_session.created': VoiceSessionSummary;
  'voice_session.updated': VoiceSessionSummary;
  'voice_session.turn': { sessionId: string; conversationId: string; turn: TranscriptTurn };
  'ticket.created': Ticket;
  'ticket.updated': Ticket;
  'ticket.deleted': { id: string };
  'booking.created': Booking;
  'booking.updated': Booking;
  'booking.deleted': { id: string };
  'campaign.created': Campaign;
  'campaign.updated': Campaign;
  'tenant.updated': TenantSettings;
  'user.created': User;
  'user.updated': User;
  noop: null;
}
export type ChangeEventName = keyof ChangeEventData;

/**
 * Every change event at run time (an interface has none): sockets route each
 * through the ordering stream. `satisfies` fails the build when the map above
 * gains or loses one.
 */
export const changeEventNames = {
  'customer.created': true,
  'customer.updated': true,
  'customer.deleted': true,
  'call.created': true,
  'call.updated': true,
  'voice_session.created': true,
  'voice_session.updated': true,
  'voice_session.turn': true,
  'ticket.created': true,
  'ticket.updated': true,
  'ticket.deleted': true,
  'booking.created': true,
  'booking.updated': true,
  'booking.deleted': true,
  'campaign.created': true,
  'campaign.updated': true,
  'tenant.updated': true,
  'user.created': true,
  'user.updated': true,
  noop: true,
} as const satisfies Record<ChangeEventName, true>;

export interface LoggedChange<E extends ChangeEventName = ChangeEventName> extends ChangeEnvelope<ChangeEventData[E]> {
  event: E;
}

export type AckError = { error: { code: ErrorCode; message: string } };
export type Ack<T> = (answer: T | AckError) => void;

export const syncRequest = z.strictObject({ since: z.number().int().min(0) });
export type SyncAnswer = { events: LoggedChange[] } | { reset: true; seq: number };

type ChangeListeners = {
  [E in ChangeEventName]: (change: ChangeEnvelope<ChangeEventData[E]>) => void;
};

export interface ServerToClientEvents extends ChangeListeners {
  heartbeat: (beat: { seq: number }) => void;
  presence: (presence: Presence) => void;
}

export interface ClientToServerEvents {
  sync: (req: z.input<typeof syncRequest>, ack: Ack<SyncAnswer>) => void;
  'presence.join': (req: z.input<typeof presenceJoinRequest>, ack: Ack<PresenceOk>) => void;
  'presence.leave': (req: z.input<typeof presenceLeaveRequest>, ack: Ack<PresenceOk>) => void;
  'presence.focus': (req: z.input<typeof presenceFocusRequest>, ack: Ack<PresenceOk>) => void;
}

export const HEARTBEAT_MS = 15_000;
