// `npm run simulate -- --tenant <slug> [--rate N] [--duration S] [--url URL] [--api-key KEY]`:
// genuinely signed Twilio, Standard Webhooks and ElevenLabs deliveries to a running
// server's own webhook URLs, so calls, live transcripts and summaries appear as
// they would from the providers. Bounded in count and time; loopback URLs only.
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { slugSchema } from '@callboard/shared';
import { acquireEndpoints, type SimEndpoints } from './endpoints.ts';
import { callScenario, pickOutcome, type SimDelivery } from './scenario.ts';
import { signElevenLabs, signStandard, signTwilio } from './signers.ts';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);
/** At most this many calls per run, whatever the rate and duration. */
const MAX_CALLS = 2_000;

const options = z.object({
  tenant: slugSchema,
  rate: z.coerce.number().min(0.1).max(600).default(12),
  duration: z.coerce.number().int().min(1).max(3_600).default(60),
  url: z
    .url({ protocol: /^https?$/ })
    .refine((u) => LOOPBACK.has(new URL(u).hostname), { message: 'must be a loopback URL (127.0.0.1, localhost or [::1])' })
    .optional(),
  'api-key': z.string().min(1).optional(),
});
const env = z.object({ ADMIN_TOKEN: z.string().min(16).optional(), PORT: z.coerce.number().int().min(1).max(65535).default(3000) });

function usage(problem: string): never {
  console.error(`${problem}
usage: npm run simulate -- --tenant <slug> [--rate N] [--duration S] [--url http://127.0.0.1:3000] [--api-key KEY]
  --rate N       new calls per minute (default 12)
  --duration S   seconds to start calls for (default 60, at most 3600)
  credentials:   ADMIN_TOKEN in the environment (the operator token), or --api-key with a tenant admin API key`);
  process.exit(2);
}

const raw = parseArgs({
  options: { tenant: { type: 'string' }, rate: { type: 'string' }, duration: { type: 'string' }, url: { type: 'string' }, 'api-key': { type: 'string' } },
}).values;
const parsed = options.safeParse(raw);
if (!parsed.success) usage(parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('; '));
const vars = env.safeParse(process.env);
if (!vars.success) usage(`environment: ${vars.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
const args = parsed.data;
const base = (args.url ?? `http://127.0.0.1:${vars.data.PORT}`).replace(/\/+$/, '');
const credential = args['api-key'] ? ({ kind: 'apiKey', token: args['api-key'] } as const) : vars.data.ADMIN_TOKEN ? ({ kind: 'operator', token: vars.data.ADMIN_TOKEN } as const) : null;
if (!credential) usage('credentials needed: set ADMIN_TOKEN or pass --api-key');

const counts = { sent: 0, applied: 0, duplicate: 0, refused: 0 };

/** Signs and sends one delivery to the server's own URL for the endpoint (the signature covers the endpoint's public URL). */
async function send(endpoints: SimEndpoints, d: SimDelivery) {
  const ep = endpoints[d.provider];
  const signed =
    d.provider === 'twilio' ? signTwilio(ep.secret, ep.url, d.params) : d.provider === 'standard' ? signStandard(ep.secret, d.id, d.event) : signElevenLabs(ep.secret, d.event);
  const path = new URL(ep.url).pathname;
  counts.sent++;
  try {
    const res = await fetch(`${base}${path}`, { method: 'POST', headers: signed.headers, body: signed.body, signal: AbortSignal.timeout(10_000) });
    const answer = (await res.json().catch(() => null)) as { duplicate?: boolean; error?: { code: string } } | null;
    if (!res.ok) {
      counts.refused++;
      console.error(`${d.provider} delivery refused: ${res.status} ${answer?.error?.code ?? ''}`);
    } else if (answer?.duplicate) counts.duplicate++;
    else counts.applied++;
  } catch (err) {
    counts.refused++;
    console.error(`${d.provider} delivery failed: ${(err as Error).message}`);
  }
}

const endpoints = await acquireEndpoints(base, args.tenant, credential, args.duration).catch((err: unknown) => {
  console.error(`cannot set up the simulator's webhook endpoints at ${base}: ${(err as Error).message}`);
  process.exit(1);
});
const totalCalls = Math.min(MAX_CALLS, Math.max(1, Math.round((args.rate * args.duration) / 60)));
const gapMs = (args.duration * 1000) / totalCalls;
console.log(`Simulating ${totalCalls} calls for tenant "${args.tenant}" over ${args.duration} s, sending to ${base} (Ctrl-C stops)`);

const rand = Math.random;
const pending = new Set<Promise<void>>();
let stopping = false;
process.on('SIGINT', () => {
  stopping = true;
});
for (let i = 0; i < totalCalls && !stopping; i++) {
  const startMs = Date.now();
  const outcome = pickOutcome(rand);
  for (const step of callScenario(rand, startMs, outcome)) {
    const job = new Promise<void>((resolve) => setTimeout(resolve, step.afterMs))
      .then(() => (stopping ? undefined : send(endpoints, step.delivery)))
      // Providers deliver at least once: now and then the same delivery comes twice.
      .then(() => (!stopping && rand() < 0.03 ? send(endpoints, step.delivery) : undefined));
    pending.add(job);
    void job.finally(() => pending.delete(job));
  }
  console.log(`call ${i + 1}/${totalCalls}: ${outcome}`);
  await new Promise((r) => setTimeout(r, gapMs));
}
await Promise.all(pending);
console.log(`Done: ${counts.sent} deliveries sent, ${counts.applied} applied, ${counts.duplicate} duplicates, ${counts.refused} refused.`);
process.exit(counts.refused > 0 ? 1 : 0);
