import type { CreatedWebhookEndpoint, WebhookEndpoint, WebhookProvider } from '@callboard/shared';

/** The simulator finds its own endpoints by this label and never touches the tenant's real ones. */
export const SIMULATOR_LABEL = 'simulator';
const PROVIDERS: WebhookProvider[] = ['twilio', 'standard', 'elevenlabs'];

export type SimEndpoints = Record<WebhookProvider, { url: string; secret: string }>;
export type Credential = { kind: 'operator' | 'apiKey'; token: string };

async function call<T>(base: string, token: string, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  const answer = (await res.json().catch(() => null)) as (T & { error?: { message: string } }) | null;
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${answer?.error?.message ?? ''}`);
  return answer as T;
}

/**
 * One endpoint per provider, labelled `simulator`. A secret is shown only when it
 * is made, so a run reuses its endpoints by rotating them: the new secret is this
 * run's, and the previous one keeps verifying for this run's length (plus a margin)
 * so two simulators on one tenant do not cut each other off.
 */
export async function acquireEndpoints(base: string, slug: string, credential: Credential, durationSec: number): Promise<SimEndpoints> {
  const graceSeconds = durationSec + 300;
  const out: Partial<SimEndpoints> = {};
  if (credential.kind === 'operator') {
    for (const provider of PROVIDERS) {
      const ep = await call<CreatedWebhookEndpoint>(base, credential.token, 'POST', `/api/admin/tenants/${slug}/webhook-endpoints`, { provider, label: SIMULATOR_LABEL, graceSeconds });
      out[provider] = { url: ep.url, secret: ep.secret };
    }
    return out as SimEndpoints;
  }
  const me = await call<{ tenant: { slug: string } }>(base, credential.token, 'GET', '/api/auth/me');
  if (me.tenant.slug !== slug) throw new Error(`the API key belongs to tenant "${me.tenant.slug}", not "${slug}"`);
  const existing: WebhookEndpoint[] = [];
  for (let cursor: string | null = ''; cursor !== null; ) {
    const page: { items: WebhookEndpoint[]; nextCursor: string | null } = await call(base, credential.token, 'GET', `/api/webhook-endpoints?limit=200${cursor ? `&cursor=${cursor}` : ''}`);
    existing.push(...page.items);
    cursor = page.nextCursor;
  }
  for (const provider of PROVIDERS) {
    const mine = existing.find((e) => e.provider === provider && e.label === SIMULATOR_LABEL);
    if (mine) {
      const { secret } = await call<{ secret: string }>(base, credential.token, 'POST', `/api/webhook-endpoints/${mine.id}/rotate`, { graceSeconds });
      out[provider] = { url: mine.url, secret };
    } else {
      const ep = await call<CreatedWebhookEndpoint>(base, credential.token, 'POST', '/api/webhook-endpoints', { provider, label: SIMULATOR_LABEL });
      out[provider] = { url: ep.url, secret: ep.secret };
    }
  }
  return out as SimEndpoints;
}
