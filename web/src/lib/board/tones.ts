import type { BookingStatus, CallStatus, TicketPriority, VoiceSessionStatus } from '@callboard/shared';

/** The colour family of a status chip; the chip's words carry the meaning, the colour only repeats it. */
export type Tone = 'neutral' | 'waiting' | 'live' | 'good' | 'bad';

export const callTone: Record<CallStatus, Tone> = {
  queued: 'neutral',
  initiated: 'waiting',
  ringing: 'waiting',
  'in-progress': 'live',
  completed: 'good',
  busy: 'bad',
  failed: 'bad',
  'no-answer': 'bad',
  canceled: 'neutral',
};

export const sessionTone: Record<VoiceSessionStatus, Tone> = { live: 'live', processing: 'waiting', done: 'good', failed: 'bad' };

export const bookingTone: Record<BookingStatus, Tone> = { pending: 'waiting', confirmed: 'good', canceled: 'neutral', completed: 'good' };

export const priorityTone: Record<TicketPriority, Tone> = { low: 'neutral', medium: 'waiting', high: 'bad', urgent: 'bad' };
