import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import twilio from 'twilio';
import { Webhook } from 'standardwebhooks';
import type { CreatedWebhookEndpoint, WebhookProvider } from '@callboard/shared';
import { api, type ApiAnswer, type TestServer, type TestTenant } from './helpers.ts';

/** The providers' example deliveries (copied from the product docs' fixtures, so a clone tests alone). */
const FIXTURES = resolve(dirname(fileURLToPath(import.meta.url)), 'fixtures');
export const fixture = <T = any>(name: string): T => JSON.parse(readFileSync(resolve(FIXTURES, `${name}.json`), 'utf8')) as T;

export async function createEndpoint(ts: TestServer, t: TestTenant, provider: WebhookProvider, secret?: string): Promise<CreatedWebhookEndpoint> {
  const res = await api<CreatedWebhookEndpoint>(ts, 'POST', '/api/webhook-endpoints', {
    token: t.admin.token,
    body: { provider, ...(secret ? { secret } : {}) },
  });
  if (res.status !== 201) throw new Error(`endpoint creation failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** The path of an endpoint's absolute URL: requests go to the test server, signatures cover the public URL. */
const pathOf = (url: string) => new URL(url).pathname + new URL(url).search;

export interface SendOptions {
  secret?: string;
  /** override the signature header entirely ('' sends none) */
  signature?: string;
  headers?: Record<string, string>;
}

/** A form-encoded Twilio status callback signed with twilio's own getExpectedTwilioSignature. */
export function sendTwilio(ts: TestServer, ep: { url: string; secret: string }, params: Record<string, string>, opts: SendOptions = {}) {
  const signature = opts.signature ?? twilio.getExpectedTwilioSignature(opts.secret ?? ep.secret, ep.url, params);
  return api(ts, 'POST', pathOf(ep.url), {
    raw: new URLSearchParams(params).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(signature ? { 'x-twilio-signature': signature } : {}), ...opts.headers },
  });
}

/** A Standard Webhooks delivery signed with the standardwebhooks library. */
export function sendStandard(
  ts: TestServer,
  ep: { url: string; secret: string },
  id: string,
  body: unknown,
  opts: SendOptions & { at?: Date; raw?: string } = {},
) {
  const at = opts.at ?? new Date();
  const raw = opts.raw ?? JSON.stringify(body);
  const signature = opts.signature ?? new Webhook(opts.secret ?? ep.secret).sign(id, at, raw);
  return api(ts, 'POST', pathOf(ep.url), {
    raw,
    headers: {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      ...(signature ? { 'webhook-signature': signature } : {}),
      ...opts.headers,
    },
  });
}

/** ElevenLabs' scheme (PROVIDERS.md): `t=<unix s>,v0=<hex HMAC-SHA256 of "t.body">` keyed with the secret's UTF-8 bytes. */
export function elevenLabsSignature(secret: string, raw: string, at = new Date()) {
  const t = Math.floor(at.getTime() / 1000);
  return `t=${t},v0=${createHmac('sha256', secret).update(`${t}.${raw}`).digest('hex')}`;
}

export function sendElevenLabs(ts: TestServer, ep: { url: string; secret: string }, body: unknown, opts: SendOptions & { at?: Date; raw?: string } = {}) {
  const raw = opts.raw ?? JSON.stringify(body);
  const signature = opts.signature ?? elevenLabsSignature(opts.secret ?? ep.secret, raw, opts.at);
  return api(ts, 'POST', pathOf(ep.url), {
    raw,
    headers: { 'content-type': 'application/json', ...(signature ? { 'elevenlabs-signature': signature } : {}), ...opts.headers },
  });
}

/** The tenant's latest change seq, read from the event log's counter. */
export async function latestSeq(ts: TestServer, tenantId: string) {
  return ts.server.ctx.changes.latestSeq(tenantId);
}

/** Every change event webhooks made in the tenant, in seq order (the set-up's user events left out). */
export async function eventsOf(ts: TestServer, tenantId: string) {
  const answer = await ts.server.ctx.changes.since(tenantId, 0);
  if (!('events' in answer)) throw new Error('event log reset');
  return answer.events.filter((e) => e.actor.type === 'webhook');
}

/**
 * The delivery log, once settled: an accepted delivery's line is written just after
 * its acknowledgement, so the log is read until two reads 100 ms apart agree.
 */
export async function deliveriesOf(ts: TestServer, t: TestTenant, endpointId?: string) {
  const q = endpointId ? `?endpointId=${endpointId}&limit=200` : '?limit=200';
  const read = async () => (await api(ts, 'GET', `/api/webhook-deliveries${q}`, { token: t.admin.token })).body.items as any[];
  let lines = await read();
  for (let i = 0; i < 30; i++) {
    await new Promise((r) => setTimeout(r, 100));
    const again = await read();
    if (again.length === lines.length) return again;
    lines = again;
  }
  return lines;
}

/** Asserts a 200 webhook answer and says whether it was a duplicate. */
export function okAnswer(res: ApiAnswer): 'applied' | 'duplicate' {
  if (res.status !== 200) throw new Error(`webhook answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body.duplicate ? 'duplicate' : 'applied';
}

export function shuffle<T>(items: T[], seed: number): T[] {
  const out = [...items];
  let s = seed;
  const rand = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
