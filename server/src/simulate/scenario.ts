import { randomBytes } from 'node:crypto';

/** One delivery of the simulated traffic, before it is signed. */
export type SimDelivery =
  | { provider: 'twilio'; params: Record<string, string> }
  | { provider: 'standard'; id: string; event: { type: string; data: Record<string, unknown> } }
  | { provider: 'elevenlabs'; event: { type: string; event_timestamp: number; data: Record<string, unknown> } };

/** A delivery and when to send it, in milliseconds after the call starts. */
export interface Step {
  afterMs: number;
  delivery: SimDelivery;
}

export type Outcome = 'answered' | 'no-answer' | 'busy' | 'failed';

const AGENT_NUMBER = '+966112345678';
const AGENT_ID = 'agent_sim_rentals';

const CONVERSATIONS = {
  ar: [
    ['agent', 'أهلاً بك في شركة الرياض للتأجير، كيف أقدر أخدمك؟'],
    ['user', 'السلام عليكم، أبحث عن شقة غرفتين في حي الملقا.'],
    ['agent', 'وعليكم السلام. كم ميزانيتك السنوية تقريباً؟'],
    ['user', 'حوالي خمسين ألف ريال.'],
    ['agent', 'عندي خيارين مناسبين، أقدر أحجز لك زيارة يوم الأحد.'],
    ['user', 'تمام، الأحد الساعة خمسة العصر.'],
    ['agent', 'تم الحجز، بيوصلك تأكيد برسالة نصية.'],
  ],
  en: [
    ['agent', 'Hello, this is the Riyadh Rentals assistant. How can I help?'],
    ['user', 'The air conditioning in unit MG13 stopped working.'],
    ['agent', 'Sorry to hear that. Is the unit showing any error code?'],
    ['user', 'It shows E4 and blows warm air.'],
    ['agent', 'I have opened an urgent maintenance ticket; a technician will call you within two hours.'],
    ['user', 'Thank you, that works.'],
  ],
} as const;

const pick = <T>(rand: () => number, items: readonly T[]) => items[Math.floor(rand() * items.length)]!;
const between = (rand: () => number, lo: number, hi: number) => Math.round(lo + rand() * (hi - lo));
const rfc2822 = (ms: number) => new Date(ms).toUTCString().replace('GMT', '+0000');

/** A Saudi mobile number (+966 5X XXX XXXX). */
export function saudiMobile(rand: () => number) {
  return `+9665${pick(rand, ['0', '3', '4', '5', '6', '9'])}${String(Math.floor(rand() * 1e7)).padStart(7, '0')}`;
}

/** Most calls connect; some ring out, find the line busy, or fail. */
export function pickOutcome(rand: () => number): Outcome {
  const r = rand();
  return r < 0.7 ? 'answered' : r < 0.85 ? 'no-answer' : r < 0.95 ? 'busy' : 'failed';
}

/**
 * One call's deliveries as the providers would send them: Twilio status callbacks
 * (outbound: queued by an AI agent), a live session streamed by a bridge as
 * Standard Webhooks, and the voice platform's post-call record (or its
 * initiation failure when the call does not connect).
 */
export function callScenario(rand: () => number, startMs: number, outcome: Outcome): Step[] {
  const callSid = `CA${randomBytes(16).toString('hex')}`;
  const conversationId = `conv_sim_${randomBytes(8).toString('hex')}`;
  const customer = saudiMobile(rand);
  const steps: Step[] = [];
  let seq = 0;
  const twilio = (afterMs: number, status: string, extra: Record<string, string> = {}) =>
    steps.push({
      afterMs,
      delivery: {
        provider: 'twilio',
        params: {
          AccountSid: 'ACsimulated0000000000000000000000',
          ApiVersion: '2010-04-01',
          CallSid: callSid,
          CallStatus: status,
          CallbackSource: 'call-progress-events',
          Direction: 'outbound-api',
          From: AGENT_NUMBER,
          To: customer,
          SequenceNumber: String(seq++),
          Timestamp: rfc2822(startMs + afterMs),
          ...extra,
        },
      },
    });
  twilio(0, 'initiated');
  const ringAt = between(rand, 800, 2_000);
  twilio(ringAt, 'ringing');

  if (outcome !== 'answered') {
    const endAt = ringAt + between(rand, 3_000, 8_000);
    twilio(endAt, outcome, { CallDuration: '0', SipResponseCode: outcome === 'busy' ? '486' : outcome === 'no-answer' ? '487' : '500' });
    if (outcome !== 'failed') {
      steps.push({
        afterMs: endAt + 500,
        delivery: {
          provider: 'elevenlabs',
          event: {
            type: 'call_initiation_failure',
            event_timestamp: Math.floor((startMs + endAt + 500) / 1000),
            data: { agent_id: AGENT_ID, conversation_id: conversationId, failure_reason: outcome, metadata: { type: 'twilio', body: { CallSid: callSid, CallStatus: outcome, SequenceNumber: String(seq - 1), From: AGENT_NUMBER, To: customer, Direction: 'outbound-api', Timestamp: rfc2822(startMs + endAt) } } },
          },
        },
      });
    }
    return steps;
  }

  const answerAt = ringAt + between(rand, 1_500, 4_000);
  twilio(answerAt, 'in-progress');
  const locale = rand() < 0.6 ? 'ar' : 'en';
  let n = 0;
  const standard = (afterMs: number, type: string, data: Record<string, unknown>) =>
    steps.push({ afterMs, delivery: { provider: 'standard', id: `msg_${conversationId}_${n++}`, event: { type, data: { conversationId, ...data } } } });
  standard(answerAt + 100, 'voice_session.started', {
    agentId: AGENT_ID,
    direction: 'outbound',
    from: AGENT_NUMBER,
    to: customer,
    callSid,
    locale: locale === 'ar' ? 'ar-SA' : 'en-US',
    startedAt: new Date(startMs + answerAt).toISOString(),
  });
  const transcript: { role: string; message: string | null; time_in_call_secs: number }[] = [];
  let at = answerAt + 400;
  for (const [i, [role, text]] of CONVERSATIONS[locale].entries()) {
    const atSec = Math.round((at - answerAt) / 100) / 10;
    standard(at, 'voice_session.turn', { role, text, atSec });
    transcript.push({ role, message: text, time_in_call_secs: Math.floor(atSec) });
    if (i === 3) {
      // The agent looks something up: a tool turn without text, which is not kept.
      standard(at + 300, 'voice_session.turn', { role: 'tool', text: null, atSec: atSec + 0.3 });
      transcript.push({ role: 'agent', message: null, time_in_call_secs: Math.floor(atSec) });
    }
    at += between(rand, 1_200, 2_600);
  }
  const talkSec = Math.round((at - answerAt) / 1000);
  const summary = locale === 'ar' ? 'The caller booked a Sunday viewing of a two-bedroom flat in Al-Malqa.' : 'AC failure in MG13; urgent maintenance ticket opened.';
  standard(at, 'voice_session.ended', { endedAt: new Date(startMs + at).toISOString(), summary, outcome: 'success' });
  twilio(at + 200, 'completed', { CallDuration: String(talkSec), SipResponseCode: '200' });
  steps.push({
    afterMs: at + between(rand, 1_000, 2_500),
    delivery: {
      provider: 'elevenlabs',
      event: {
        type: 'post_call_transcription',
        event_timestamp: Math.floor((startMs + at + 1_000) / 1000),
        data: {
          agent_id: AGENT_ID,
          conversation_id: conversationId,
          status: 'done',
          transcript,
          metadata: {
            start_time_unix_secs: Math.floor((startMs + answerAt) / 1000),
            call_duration_secs: talkSec,
            cost: between(rand, 80, 400),
            termination_reason: 'end_call tool was called',
            main_language: locale,
            phone_call: { type: 'twilio', direction: 'outbound', agent_number: AGENT_NUMBER, external_number: customer, call_sid: callSid },
          },
          analysis: {
            call_successful: 'success',
            transcript_summary: summary,
            data_collection_results: locale === 'ar' ? { neighborhood: { data_collection_id: 'neighborhood', value: 'Al-Malqa', rationale: 'Named حي الملقا.' } } : { unit: { data_collection_id: 'unit', value: 'MG13', rationale: 'Stated by the caller.' } },
          },
          conversation_initiation_client_data: { dynamic_variables: { customer_id: '', system__call_sid: callSid } },
        },
      },
    },
  });
  return steps;
}
