import {
  elevenLabsEnvelope,
  elevenLabsInitiationFailure,
  elevenLabsTranscription,
  twilioStatusCallback,
  type Actor,
  type DataCollectionResult,
  type ElevenLabsInitiationFailure,
  type ElevenLabsTranscription,
  type TranscriptTurn,
} from '@callboard/shared';
import type { AppContext } from '../../context.ts';
import { AppError } from '../../http/errors.ts';
import { parseInput } from '../../http/validate.ts';
import { webhookCallId } from '../calls/service.ts';
import { e164, findOrCreateCustomer, tenantCustomer } from './customer-link.ts';
import { invalidSignature, type Delivery, type Outcome } from './delivery.ts';
import { ELEVENLABS_BODY_LIMIT, parseJson, readRawBody, requireMediaType, WEBHOOK_BODY_LIMIT } from './raw-body.ts';
import { elevenLabsReceipt, WebhookReceipts } from './receipts.ts';
import { SessionIngest, type SessionFields } from './session-ingest.ts';
import { twilioObservation } from './twilio.ts';
import { elevenLabsVerifier } from './verify.ts';

const str = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : null);
const party = (raw: string | null | undefined) => (raw?.trim() ? (e164(raw) ?? raw.trim()) : null);
/** Provider maps become arrays (no `.` in stored keys); a structured value is kept as its JSON text. */
const scalar = (v: unknown) => (v === undefined ? null : v === null || ['string', 'number', 'boolean'].includes(typeof v) ? v : JSON.stringify(v));

type Transcription = ElevenLabsTranscription['data'];

/** Tool turns (no message) are not kept; the rest in time order (a stable sort keeps the platform's order on ties). */
function transcriptOf(d: Transcription): TranscriptTurn[] {
  let last = 0;
  return d.transcript
    .flatMap((t) => {
      last = t.time_in_call_secs ?? last;
      return t.message && t.message.trim() ? [{ role: t.role, text: t.message, atSec: last }] : [];
    })
    .sort((a, b) => a.atSec - b.atSec);
}

/**
 * The post-call record: every field the platform gives replaces what a live bridge
 * filled in (fields it leaves out stay as they are), so either arrival order ends
 * the same. Status: done and failed as they are, anything earlier is processing.
 */
function postCallFields(d: Transcription): SessionFields {
  const meta = d.metadata ?? null;
  const phone = meta?.phone_call ?? null;
  const analysis = d.analysis ?? null;
  const out: SessionFields = {
    agentId: d.agent_id,
    status: d.status === 'done' || d.status === 'failed' ? d.status : 'processing',
    transcript: transcriptOf(d),
  };
  if (phone?.direction) {
    out.direction = phone.direction;
    const [from, to] = phone.direction === 'inbound' ? [phone.external_number, phone.agent_number] : [phone.agent_number, phone.external_number];
    if (from) out.from = party(from);
    if (to) out.to = party(to);
  }
  if (meta?.main_language) out.locale = meta.main_language;
  if (meta?.start_time_unix_secs != null) {
    out.startedAt = new Date(meta.start_time_unix_secs * 1000);
    if (meta.call_duration_secs != null) out.endedAt = new Date((meta.start_time_unix_secs + meta.call_duration_secs) * 1000);
  }
  if (meta?.call_duration_secs != null) out.durationSec = meta.call_duration_secs;
  if (meta?.cost != null) out.cost = meta.cost;
  if (meta?.termination_reason) out.terminationReason = meta.termination_reason;
  if (analysis?.transcript_summary) out.summary = analysis.transcript_summary;
  if (analysis?.call_successful) out.outcome = analysis.call_successful;
  if (analysis?.data_collection_results) {
    out.dataCollection = Object.entries(analysis.data_collection_results)
      .map(([id, r]): DataCollectionResult => ({ id, value: scalar(r.value), rationale: r.rationale ?? null }))
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }
  return out;
}

export class ElevenLabsIngest {
  private readonly sessions: SessionIngest;
  private readonly receipts: WebhookReceipts;

  constructor(private readonly ctx: AppContext) {
    this.sessions = new SessionIngest(ctx);
    this.receipts = new WebhookReceipts(ctx);
  }

  /** Creates or completes the session, links its customer (created when unknown) and its call. */
  async transcription(tenantId: string, d: Transcription, actor: Actor): Promise<boolean> {
    const key = elevenLabsReceipt('post_call_transcription', d.conversation_id);
    const dynamic = d.conversation_initiation_client_data?.dynamic_variables ?? {};
    const phone = d.metadata?.phone_call ?? null;
    const external = phone?.external_number ?? str(phone?.direction === 'outbound' ? dynamic.system__called_number : dynamic.system__caller_id);
    const lang = d.metadata?.main_language?.slice(0, 2);
    const customer =
      (await tenantCustomer(this.ctx, tenantId, str(dynamic.customer_id))) ??
      (await findOrCreateCustomer(this.ctx, tenantId, external, lang === 'ar' || lang === 'en' ? lang : null, actor));
    const callSid = str(phone?.call_sid) ?? str(dynamic.system__call_sid);
    const values: SessionFields = {
      ...postCallFields(d),
      ...(customer ? { customerId: customer._id } : {}),
      ...(callSid ? { callId: webhookCallId(tenantId, callSid) } : {}),
    };
    const { session, changed } = await this.sessions.mutate(tenantId, d.conversation_id, actor, {
      seed: values,
      apply: () => ({ set: values }),
      committed: () => this.receipts.remember(tenantId, 'elevenlabs', key),
    });
    const linked = await this.sessions.linkCall(tenantId, session, actor);
    return changed || linked;
  }

  /**
   * Records why a call could not be made. A Twilio body is the call's own status
   * callback and applies as one (so it meets the direct callback as a repeat);
   * then the call is marked failed unless it already ended.
   */
  async initiationFailure(tenantId: string, ev: ElevenLabsInitiationFailure, actor: Actor): Promise<boolean> {
    const d = ev.data;
    const body = d.metadata?.body ?? {};
    const twilio = d.metadata?.type === 'twilio' ? twilioStatusCallback.safeParse(body) : null;
    const callSid = twilio?.success ? twilio.data.CallSid : (str(body.call_sid) ?? str(body.CallSid));
    if (!callSid) return false;
    const sentAt = ev.event_timestamp ? new Date(ev.event_timestamp * 1000) : null;
    const calls = this.sessions.calls;
    let changed = false;
    let at = sentAt;
    let parties = { from: party(str(body.from_number)), to: party(str(body.to_number)) };
    if (twilio?.success) {
      const observed = twilioObservation(twilio.data, sentAt);
      ({ at } = observed);
      parties = { from: observed.from ?? null, to: observed.to ?? null };
      changed = await calls.observe(tenantId, observed, actor);
    }
    const failed = { callSid, status: 'failed' as const, sequence: null, at, direction: 'outbound' as const, ...parties, failureReason: str(d.failure_reason) ?? 'unknown' };
    return (await calls.observe(tenantId, failed, actor)) || changed;
  }

  /** Applies a parsed delivery once per type and conversation. */
  async handle(tenantId: string, json: unknown, actor: Actor, d: Delivery): Promise<Outcome> {
    const env = parseInput(elevenLabsEnvelope, json);
    const key = elevenLabsReceipt(env.type, env.data.conversation_id);
    d.providerKey = key;
    if (env.type === 'post_call_transcription') {
      const ev = parseInput(elevenLabsTranscription, json);
      if (await this.receipts.seen(tenantId, 'elevenlabs', key)) return 'duplicate';
      return (await this.transcription(tenantId, ev.data, actor)) ? 'applied' : 'duplicate';
    }
    if (await this.receipts.seen(tenantId, 'elevenlabs', key)) return 'duplicate';
    let outcome: Outcome = 'ignored';
    if (env.type === 'call_initiation_failure') {
      outcome = (await this.initiationFailure(tenantId, parseInput(elevenLabsInitiationFailure, json), actor)) ? 'applied' : 'duplicate';
    }
    await this.receipts.remember(tenantId, 'elevenlabs', key);
    return outcome;
  }
}

/** A JSON string field read from the raw text of a body too large to parse (only post-call audio is). */
function peek(text: string, field: string): string | null {
  return new RegExp(`"${field}"\\s*:\\s*"([^"\\\\]{1,200})"`).exec(text)?.[1] ?? null;
}

/**
 * The signature check runs as the body streams; only the first 1 MB is held. A
 * larger verified body must be post-call audio: acknowledged (once per
 * conversation) and not kept. Anything else that large is a 413.
 */
export function elevenLabsReceiver(ctx: AppContext) {
  const ingest = new ElevenLabsIngest(ctx);
  const receipts = new WebhookReceipts(ctx);
  return async (d: Delivery): Promise<Outcome> => {
    const { req, res } = d;
    requireMediaType(req, ['application/json']);
    const check = elevenLabsVerifier(req.get('elevenlabs-signature'), d.endpoint.secrets, d.receivedAt.getTime());
    if (!check) throw invalidSignature();
    const body = await readRawBody(req, res, { limit: ELEVENLABS_BODY_LIMIT, keep: WEBHOOK_BODY_LIMIT, onChunk: (c) => check.update(c) });
    if (!check.verify()) throw invalidSignature();
    d.verified = true;
    if (body.complete) return ingest.handle(d.tenantId, parseJson(body.head), d.actor, d);
    const text = body.head.toString('utf8', 0, 64 * 1024) + body.tail.toString('utf8');
    const conversationId = peek(text, 'conversation_id');
    if (peek(text, 'type') !== 'post_call_audio' || !conversationId) {
      throw new AppError('payload_too_large', 'only post-call audio may be larger than 1 MB');
    }
    d.providerKey = elevenLabsReceipt('post_call_audio', conversationId);
    if (await receipts.seen(d.tenantId, 'elevenlabs', d.providerKey)) return 'duplicate';
    await receipts.remember(d.tenantId, 'elevenlabs', d.providerKey);
    return 'ignored';
  };
}
