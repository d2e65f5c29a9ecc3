import { twilioStatusCallback, type TwilioStatusCallback } from '@callboard/shared';
import type { AppContext } from '../../context.ts';
import { parseInput } from '../../http/validate.ts';
import { CallIngest, type CallObservation } from './call-ingest.ts';
import { e164 } from './customer-link.ts';
import { invalidSignature, type Delivery, type Outcome } from './delivery.ts';
import { mediaType, parseJson, readRawBody, requireMediaType, WEBHOOK_BODY_LIMIT } from './raw-body.ts';
import { twilioSignedUrls, verifyTwilio, verifyTwilioBodyHash, type FormParams } from './verify.ts';

const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';

/** Form or query parameters as Twilio signs them: a repeated name keeps every value. */
export function formParams(encoded: string): FormParams {
  const out: FormParams = {};
  for (const [name, value] of new URLSearchParams(encoded)) {
    const prev = out[name];
    out[name] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
  }
  return out;
}

/** A number as the call keeps it: E.164 when it is a phone number, else as sent (`client:…`, a SIP URI). */
const party = (raw: string | undefined) => (raw?.trim() ? (e164(raw) ?? raw.trim()) : null);

/** What a status callback says about its call; times come from its `Timestamp` (RFC 2822). */
export function twilioObservation(cb: TwilioStatusCallback, fallbackAt: Date | null): CallObservation {
  const stamped = cb.Timestamp ? new Date(cb.Timestamp) : null;
  const direction = cb.Direction === 'inbound' ? 'inbound' : cb.Direction?.startsWith('outbound') ? 'outbound' : null;
  return {
    callSid: cb.CallSid,
    status: cb.CallStatus,
    sequence: cb.SequenceNumber ?? null,
    at: stamped && !Number.isNaN(stamped.getTime()) ? stamped : fallbackAt,
    direction,
    from: party(cb.From),
    to: party(cb.To),
    durationSec: cb.CallDuration ?? null,
  };
}

/**
 * `POST` form callbacks (signed URL + sorted parameters), the JSON variant
 * (`?bodySHA256=`, URL signed alone, body hash checked), and `GET` callbacks
 * (parameters in the signed query).
 */
export function twilioReceiver(ctx: AppContext) {
  const calls = new CallIngest(ctx);
  return async (d: Delivery): Promise<Outcome> => {
    const { req, res, endpoint } = d;
    const signature = req.get('x-twilio-signature');
    const urls = twilioSignedUrls(ctx.config.publicUrl, req.originalUrl);
    const query = req.originalUrl.includes('?') ? req.originalUrl.slice(req.originalUrl.indexOf('?') + 1) : '';
    let payload: unknown;
    if (req.method === 'GET') {
      if (!verifyTwilio(endpoint.secrets, signature, urls, {})) throw invalidSignature();
      payload = formParams(query);
    } else {
      requireMediaType(req, [FORM, JSON_TYPE]);
      const body = await readRawBody(req, res, { limit: WEBHOOK_BODY_LIMIT });
      if (mediaType(req) === JSON_TYPE) {
        const hash = new URLSearchParams(query).get('bodySHA256');
        if (!hash || !verifyTwilio(endpoint.secrets, signature, urls, {}) || !verifyTwilioBodyHash(body.head, hash)) throw invalidSignature();
        payload = parseJson(body.head);
      } else {
        payload = formParams(body.head.toString('utf8'));
        if (!verifyTwilio(endpoint.secrets, signature, urls, payload as FormParams)) throw invalidSignature();
      }
    }
    d.verified = true;
    const cb = parseInput(twilioStatusCallback, payload);
    d.providerKey = `${cb.CallSid}#${cb.SequenceNumber ?? cb.CallStatus}`;
    const changed = await calls.observe(d.tenantId, twilioObservation(cb, d.receivedAt), d.actor);
    return changed ? 'applied' : 'duplicate';
  };
}
