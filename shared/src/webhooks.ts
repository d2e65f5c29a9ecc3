import { z } from 'zod';
import type { ErrorCode } from './errors.ts';
import { idSchema, isoDateTime, nonEmptyText, text } from './primitives.ts';
import { listQuery, type Timestamps } from './records/common.ts';
import { callStatusSchema } from './records/call.ts';
import { voiceSessionOutcomeSchema } from './records/voice-session.ts';

// ---- Endpoints and the delivery log (API.md §5) ----

export const webhookProviders = ['twilio', 'elevenlabs', 'standard'] as const;
export const webhookProviderSchema = z.enum(webhookProviders);
export type WebhookProvider = z.infer<typeof webhookProviderSchema>;

const STANDARD_SECRET = /^whsec_([A-Za-z0-9+/]+={0,2})$/;

/** The HMAC key of a Standard Webhooks secret (`whsec_` + base64), or null when it is not one. */
export function standardSecretKey(secret: string): Uint8Array | null {
  const m = STANDARD_SECRET.exec(secret);
  if (!m) return null;
  const key = Uint8Array.from(atob(m[1]!), (c) => c.charCodeAt(0));
  return key.length >= 24 && key.length <= 64 ? key : null;
}
export const STANDARD_SECRET_MESSAGE = 'must be whsec_ followed by 24-64 bytes in base64';

/** A secret given by the tenant: a Twilio Auth Token, an ElevenLabs webhook secret or a `whsec_` secret. */
const secretSchema = text(200).pipe(z.string().min(16, { message: 'must be at least 16 characters' }));
/** Rotation grace: how long the previous secrets keep verifying (default a day, at most 30 days). */
const graceSeconds = z.number().int().min(0).max(30 * 86_400);

export const createWebhookEndpointRequest = z
  .strictObject({
    provider: webhookProviderSchema,
    secret: secretSchema.optional(),
    /** a name for people (and for the simulator to find its own endpoints) */
    label: nonEmptyText(100).optional(),
  })
  .superRefine((v, ctx) => {
    if (v.provider === 'standard' && v.secret !== undefined && !standardSecretKey(v.secret)) {
      ctx.addIssue({ code: 'custom', path: ['secret'], message: STANDARD_SECRET_MESSAGE });
    }
  });
export type CreateWebhookEndpointRequest = z.infer<typeof createWebhookEndpointRequest>;

export const rotateWebhookEndpointRequest = z.strictObject({
  secret: secretSchema.optional(),
  graceSeconds: graceSeconds.default(86_400),
});
export type RotateWebhookEndpointRequest = z.infer<typeof rotateWebhookEndpointRequest>;

/** Operator: create the tenant's endpoint with this label, or rotate it when it exists (a fresh secret either way). */
export const ensureWebhookEndpointRequest = z.strictObject({
  provider: webhookProviderSchema,
  label: nonEmptyText(100),
  graceSeconds: graceSeconds.default(3_600),
});

export const webhookDeliveryListQuery = listQuery({ endpointId: idSchema.optional() });

export interface WebhookEndpoint extends Timestamps {
  id: string;
  provider: WebhookProvider;
  label: string | null;
  /** absolute, from PUBLIC_URL: what the provider is configured to call */
  url: string;
  /** secrets that verify now (more than one during a rotation grace) */
  activeSecrets: number;
  /** when the last of the previous secrets stops verifying, during a grace */
  graceEndsAt: string | null;
}

/** The answer to creating an endpoint: the only time its secret is shown. */
export interface CreatedWebhookEndpoint extends WebhookEndpoint {
  secret: string;
}

export interface RotatedWebhookSecret {
  id: string;
  secret: string;
  graceEndsAt: string | null;
}

export type WebhookDeliveryResult = 'applied' | 'duplicate' | 'ignored' | 'rejected' | 'failed';

/** One delivery as the log keeps it: no secret and nothing of a rejected body. */
export interface WebhookDelivery {
  id: string;
  endpointId: string;
  provider: WebhookProvider;
  at: string;
  /** CallSid#SequenceNumber, type:conversation_id or webhook-id; null when the delivery was not verified */
  providerKey: string | null;
  verified: boolean;
  result: WebhookDeliveryResult;
  status: number;
  errorCode: ErrorCode | null;
}

// ---- Provider payloads (API.md §6): the named fields are checked, the rest passes through unread ----

const required = (max: number) => text(max).pipe(z.string().min(1, { message: 'is required' }));
/** Twilio sends numbers as form strings; its JSON variant may send numbers. */
const twilioCount = z.union([z.string().regex(/^\d{1,9}$/, { message: 'must be a whole number' }), z.number().int().min(0)]).transform(Number);

export const twilioStatusCallback = z.looseObject({
  CallSid: required(64),
  CallStatus: callStatusSchema,
  SequenceNumber: twilioCount.optional(),
  AccountSid: text(64).optional(),
  From: text(64).optional(),
  To: text(64).optional(),
  Direction: text(32).optional(),
  Timestamp: text(64).optional(),
  CallDuration: twilioCount.optional(),
  SipResponseCode: text(8).optional(),
});
export type TwilioStatusCallback = z.infer<typeof twilioStatusCallback>;

const elevenLabsTurn = z.looseObject({
  role: z.enum(['user', 'agent']),
  message: text(20_000).nullish(),
  time_in_call_secs: z.number().min(0).nullish(),
});

const elevenLabsMetadata = z.looseObject({
  start_time_unix_secs: z.number().min(0).nullish(),
  call_duration_secs: z.number().min(0).nullish(),
  cost: z.number().nullish(),
  termination_reason: text(1000).nullish(),
  main_language: text(20).nullish(),
  phone_call: z
    .looseObject({
      direction: z.enum(['inbound', 'outbound']).nullish(),
      agent_number: text(64).nullish(),
      external_number: text(64).nullish(),
      call_sid: text(64).nullish(),
    })
    .nullish(),
});

const elevenLabsAnalysis = z.looseObject({
  call_successful: voiceSessionOutcomeSchema.nullish(),
  transcript_summary: text(20_000).nullish(),
  data_collection_results: z.record(text(200), z.looseObject({ value: z.unknown().optional(), rationale: text(5_000).nullish() })).nullish(),
});

/** Every ElevenLabs post-call webhook: the type and conversation are all it must name. */
export const elevenLabsEnvelope = z.looseObject({
  type: required(100),
  event_timestamp: z.number().nullish(),
  data: z.looseObject({ conversation_id: required(200), agent_id: text(200).nullish() }),
});

export const elevenLabsTranscription = z.looseObject({
  type: z.literal('post_call_transcription'),
  event_timestamp: z.number().nullish(),
  data: z.looseObject({
    agent_id: required(200),
    conversation_id: required(200),
    status: required(40),
    transcript: z.array(elevenLabsTurn).max(10_000),
    metadata: elevenLabsMetadata.nullish(),
    analysis: elevenLabsAnalysis.nullish(),
    conversation_initiation_client_data: z
      .looseObject({ dynamic_variables: z.record(z.string(), z.unknown()).nullish() })
      .nullish(),
  }),
});
export type ElevenLabsTranscription = z.infer<typeof elevenLabsTranscription>;

export const elevenLabsInitiationFailure = z.looseObject({
  type: z.literal('call_initiation_failure'),
  event_timestamp: z.number().nullish(),
  data: z.looseObject({
    conversation_id: required(200),
    agent_id: text(200).nullish(),
    failure_reason: text(200).nullish(),
    metadata: z.looseObject({ type: text(40).nullish(), body: z.record(z.string(), z.unknown()).nullish() }).nullish(),
  }),
});
export type ElevenLabsInitiationFailure = z.infer<typeof elevenLabsInitiationFailure>;

const conversationId = required(200);

export const standardWebhookEvent = z.discriminatedUnion('type', [
  z.looseObject({
    type: z.literal('voice_session.started'),
    data: z.looseObject({
      conversationId,
      agentId: text(200).nullish(),
      direction: z.enum(['inbound', 'outbound']),
      from: text(64),
      to: text(64),
      callSid: text(64).nullish(),
      customerId: z.union([idSchema, z.literal('')]).nullish(),
      locale: text(35).nullish(),
      startedAt: isoDateTime,
    }),
  }),
  z.looseObject({
    type: z.literal('voice_session.turn'),
    data: z.looseObject({
      conversationId,
      /** a bridge may stream tool turns too; those without text are not kept */
      role: z.enum(['user', 'agent', 'tool']),
      text: text(20_000).nullish(),
      atSec: z.number().min(0).max(7 * 86_400),
    }),
  }),
  z.looseObject({
    type: z.literal('voice_session.ended'),
    data: z.looseObject({
      conversationId,
      endedAt: isoDateTime,
      summary: text(20_000).nullish(),
      outcome: voiceSessionOutcomeSchema.nullish(),
    }),
  }),
  z.looseObject({
    type: z.literal('call.status'),
    data: z.looseObject({ callSid: required(64), status: callStatusSchema, at: isoDateTime, sequence: z.number().int().min(0).nullish() }),
  }),
]);
export type StandardWebhookEvent = z.infer<typeof standardWebhookEvent>;
