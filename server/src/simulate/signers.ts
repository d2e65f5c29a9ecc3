import { createHmac } from 'node:crypto';
import { standardSecretKey } from '@callboard/shared';
import { twilioSignature } from '../features/webhooks/verify.ts';

/** Headers and body of one signed delivery, ready to send. */
export interface SignedRequest {
  headers: Record<string, string>;
  body: string;
}

/** A Twilio status callback: form-encoded, `X-Twilio-Signature` over the endpoint URL and the sorted parameters. */
export function signTwilio(secret: string, url: string, params: Record<string, string>): SignedRequest {
  return {
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilioSignature(secret, url, params) },
    body: new URLSearchParams(params).toString(),
  };
}

/** Standard Webhooks: `v1,<base64 HMAC-SHA256 of "id.timestamp.body">` keyed with the bytes after `whsec_`. */
export function signStandard(secret: string, id: string, payload: unknown, at = new Date()): SignedRequest {
  const key = standardSecretKey(secret);
  if (!key) throw new Error('a Standard Webhooks secret is whsec_ followed by base64');
  const body = JSON.stringify(payload);
  const timestamp = String(Math.floor(at.getTime() / 1000));
  const signature = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64');
  return {
    headers: { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': `v1,${signature}` },
    body,
  };
}

/** ElevenLabs: `t=<unix s>,v0=<hex HMAC-SHA256 of "t.body">` keyed with the secret string as it is. */
export function signElevenLabs(secret: string, payload: unknown, at = new Date()): SignedRequest {
  const body = JSON.stringify(payload);
  const t = Math.floor(at.getTime() / 1000);
  const v0 = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
  return { headers: { 'content-type': 'application/json', 'elevenlabs-signature': `t=${t},v0=${v0}` }, body };
}
