import { createHash, createHmac, timingSafeEqual, type Hmac } from 'node:crypto';
import { standardSecretKey } from '@callboard/shared';

/** Constant-time equality; lengths are fixed by each algorithm, so comparing them first leaks nothing secret. */
function sameBytes(a: Buffer, b: Buffer) {
  return a.length === b.length && timingSafeEqual(a, b);
}

// ---- Twilio: base64 HMAC-SHA1 over the URL, then the POST parameters sorted by name ----

export type FormParams = Record<string, string | string[]>;

function splitOrigin(url: string) {
  const m = /^(https?:\/\/)([^/?#]*?)(:\d+)?([/?#].*)?$/i.exec(url);
  return m ? { scheme: m[1]!.toLowerCase(), host: m[2]!, port: m[3] ?? '', rest: m[4] ?? '' } : null;
}

/**
 * The URLs Twilio may have signed for a request that reached `path` (path and
 * query exactly as received): `PUBLIC_URL` + path, and, as Twilio's own helper
 * does, the same with and without the scheme's default port.
 */
export function twilioSignedUrls(publicUrl: string, path: string): string[] {
  const url = publicUrl + path;
  const parts = splitOrigin(url);
  if (!parts) return [url];
  const defaultPort = parts.scheme === 'https://' ? ':443' : ':80';
  const without = parts.port === defaultPort ? parts.scheme + parts.host + parts.rest : url;
  const withPort = parts.port ? url : parts.scheme + parts.host + defaultPort + parts.rest;
  return [...new Set([url, without, withPort])];
}

/** Twilio's signed string: the URL, then each parameter by name (a repeated one once per value, values sorted). */
function twilioPayload(url: string, params: FormParams, dedupeRepeats: boolean) {
  let data = url;
  for (const name of Object.keys(params).sort()) {
    const value = params[name]!;
    if (typeof value === 'string') data += name + value;
    else for (const v of (dedupeRepeats ? [...new Set(value)] : [...value]).sort()) data += name + v;
  }
  return data;
}

export function twilioSignature(secret: string, url: string, params: FormParams, dedupeRepeats = true): string {
  return createHmac('sha1', secret).update(Buffer.from(twilioPayload(url, params, dedupeRepeats), 'utf8')).digest('base64');
}

/** True when `header` is Twilio's signature of one of `urls` with `params` under any of `secrets`. */
export function verifyTwilio(secrets: string[], header: string | undefined, urls: string[], params: FormParams): boolean {
  if (!header) return false;
  const given = Buffer.from(header);
  // Twilio's helper keeps one of each repeated value; the documented rule keeps every one. Accept either.
  const repeats = Object.values(params).some((v) => Array.isArray(v) && new Set(v).size !== v.length);
  for (const secret of secrets) {
    for (const url of urls) {
      if (sameBytes(given, Buffer.from(twilioSignature(secret, url, params)))) return true;
      if (repeats && sameBytes(given, Buffer.from(twilioSignature(secret, url, params, false)))) return true;
    }
  }
  return false;
}

/** The JSON variant: the URL carries `bodySHA256`, the hex SHA-256 of the raw body. */
export function verifyTwilioBodyHash(rawBody: Buffer, bodySha256: string): boolean {
  return sameBytes(Buffer.from(bodySha256.toLowerCase()), Buffer.from(createHash('sha256').update(rawBody).digest('hex')));
}

// ---- ElevenLabs: `t=<unix s>,v0=<hex HMAC-SHA256 of "t.body">`, ±30 minutes ----

export const ELEVENLABS_TOLERANCE_MS = 30 * 60_000;

/**
 * A check fed the body as it streams (post-call audio can be 50 MB, never held in
 * memory). `null` when the header is malformed or its time is outside the window.
 */
export function elevenLabsVerifier(header: string | undefined, secrets: string[], nowMs: number) {
  if (!header) return null;
  let t: string | null = null;
  const v0: Buffer[] = [];
  for (const entry of header.split(',')) {
    const [k, v] = entry.trim().split('=', 2) as [string, string | undefined];
    if (k === 't' && v && /^\d{1,12}$/.test(v) && t === null) t = v;
    else if (k === 'v0' && v && /^[0-9a-f]{64}$/i.test(v)) v0.push(Buffer.from(v.toLowerCase()));
  }
  if (t === null || v0.length === 0 || Math.abs(nowMs - Number(t) * 1000) > ELEVENLABS_TOLERANCE_MS) return null;
  const macs: Hmac[] = secrets.map((s) => createHmac('sha256', s).update(`${t}.`));
  return {
    update(chunk: Buffer) {
      for (const mac of macs) mac.update(chunk);
    },
    /** Any `v0` under any active secret. */
    verify(): boolean {
      const digests = macs.map((mac) => Buffer.from(mac.digest('hex')));
      return digests.some((d) => v0.some((sig) => sameBytes(sig, d)));
    },
  };
}

// ---- Standard Webhooks: `v1,<base64>` list over "id.timestamp.body", key = base64 after `whsec_`, ±5 minutes ----

export const STANDARD_TOLERANCE_MS = 5 * 60_000;

export interface StandardHeaders {
  id: string | undefined;
  timestamp: string | undefined;
  signature: string | undefined;
}

export function verifyStandard(headers: StandardHeaders, rawBody: Buffer, secrets: string[], nowMs: number): boolean {
  const { id, timestamp, signature } = headers;
  if (!id || !timestamp || !signature || !/^[\x21-\x7e]{1,256}$/.test(id) || !/^\d{1,12}$/.test(timestamp)) return false;
  if (Math.abs(nowMs - Number(timestamp) * 1000) > STANDARD_TOLERANCE_MS) return false;
  const given = signature
    .split(' ')
    .filter((entry) => entry.startsWith('v1,'))
    .map((entry) => Buffer.from(entry.slice(3), 'base64'));
  if (given.length === 0) return false;
  for (const secret of secrets) {
    const key = standardSecretKey(secret);
    if (!key) continue;
    const expected = createHmac('sha256', key).update(`${id}.${timestamp}.`).update(rawBody).digest();
    if (given.some((g) => sameBytes(g, expected))) return true;
  }
  return false;
}
