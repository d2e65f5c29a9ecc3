import {
  STANDARD_SECRET_MESSAGE,
  type createWebhookEndpointRequest,
  type CreatedWebhookEndpoint,
  type Page,
  type rotateWebhookEndpointRequest,
  type RotatedWebhookSecret,
  type WebhookDelivery,
  type WebhookDeliveryResult,
  type WebhookEndpoint,
  type WebhookProvider,
} from '@callboard/shared';
import type { z } from 'zod';
import { api } from '$lib/api.ts';
import type { Tone } from '$lib/board/tones.ts';
import { fieldError } from '$lib/error-message.ts';
import { i18n, t } from '$lib/i18n.svelte.ts';
import { session } from '$lib/session.svelte.ts';

type NewEndpoint = z.input<typeof createWebhookEndpointRequest>;
type Rotation = z.input<typeof rotateWebhookEndpointRequest>;

/** How long the previous secrets keep verifying after a rotation: at once, an hour, a day, a week. */
export const graceChoices = [0, 3_600, 86_400, 604_800] as const;
export type GraceSeconds = (typeof graceChoices)[number];

/** Twilio and ElevenLabs sign with a secret of their own making; only a Standard Webhooks secret can be generated here. */
export const secretRequired = (provider: WebhookProvider) => provider !== 'standard';

export const providerName = (provider: WebhookProvider) => t(`settings.webhooks.provider.${provider}`);

/**
 * Text in its own direction inside a sentence of the other (Unicode isolates): a Latin
 * name with quotes would otherwise come apart in Arabic, and names also go where markup
 * cannot (select options, accessible names).
 */
const [FSI, PDI] = [String.fromCharCode(0x2068), String.fromCharCode(0x2069)];
const isolate = (text: string) => `${FSI}${text}${PDI}`;

/** An endpoint as people tell it apart: its provider and label, else when it was made (never its id). */
export function endpointName(endpoint: WebhookEndpoint): string {
  const provider = providerName(endpoint.provider);
  return isolate(
    endpoint.label
      ? t('settings.webhooks.named', { provider, label: isolate(endpoint.label) })
      : t('settings.webhooks.unnamed', { provider, created: i18n.dateTime(endpoint.createdAt) }),
  );
}

/** The secret's problem in the reader's language when it is the known format rule, else as the server said it. */
export function secretError(failure: unknown): string | undefined {
  const message = fieldError(failure, 'secret');
  return message === STANDARD_SECRET_MESSAGE ? t('settings.webhooks.problem.standardSecret') : message;
}

export const resultTone: Record<WebhookDeliveryResult, Tone> = {
  applied: 'good',
  duplicate: 'neutral',
  ignored: 'neutral',
  rejected: 'bad',
  failed: 'bad',
};

/** A delivery's time to the second, in the workspace's time zone like every other time on screen. */
export function deliveryTime(iso: string): string {
  const locale = i18n.locale === 'ar' ? 'ar-SA-u-ca-gregory' : 'en';
  const timeZone = session.me?.tenant.timeZone;
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'medium', timeZone }).format(Date.parse(iso));
}

/** A secret shown once: after creating an endpoint or rotating its secret. The server keeps it sealed. */
export interface RevealedSecret {
  kind: 'created' | 'rotated';
  endpoint: WebhookEndpoint;
  secret: string;
  graceEndsAt: string | null;
}

/** The workspace's webhook endpoints, without secrets, re-read after every change (they are few). */
export class WebhookEndpointsStore {
  items = $state<WebhookEndpoint[]>([]);
  nextCursor = $state<string | null>(null);
  loaded = $state(false);

  async load() {
    const page = await api.get<Page<WebhookEndpoint>>('/api/webhook-endpoints?limit=100');
    this.items = page.items;
    this.nextCursor = page.nextCursor;
    this.loaded = true;
  }

  async loadMore() {
    if (!this.nextCursor) return;
    const query = `limit=100&cursor=${encodeURIComponent(this.nextCursor)}`;
    const page = await api.get<Page<WebhookEndpoint>>(`/api/webhook-endpoints?${query}`);
    this.items.push(...page.items.filter((e) => !this.items.some((known) => known.id === e.id)));
    this.nextCursor = page.nextCursor;
  }

  async create(request: NewEndpoint): Promise<RevealedSecret> {
    const { secret, ...endpoint } = await api.post<CreatedWebhookEndpoint>('/api/webhook-endpoints', request);
    await this.load();
    return { kind: 'created', endpoint, secret, graceEndsAt: null };
  }

  async rotate(endpoint: WebhookEndpoint, request: Rotation): Promise<RevealedSecret> {
    const rotated = await api.post<RotatedWebhookSecret>(`/api/webhook-endpoints/${endpoint.id}/rotate`, request);
    // Active secrets and the grace end changed: read them as the server counts them.
    await this.load();
    return { kind: 'rotated', endpoint, secret: rotated.secret, graceEndsAt: rotated.graceEndsAt };
  }

  async remove(endpoint: WebhookEndpoint) {
    await api.delete(`/api/webhook-endpoints/${endpoint.id}`);
    this.items = this.items.filter((e) => e.id !== endpoint.id);
  }
}

/** The delivery log, newest first, read on demand: no live event announces a delivery. */
export class WebhookDeliveriesStore {
  items = $state<WebhookDelivery[]>([]);
  nextCursor = $state<string | null>(null);
  loaded = $state(false);
  loading = $state(false);
  /** '' for every endpoint */
  endpointId = $state('');

  #query(cursor: string | null) {
    const params = [`limit=50`];
    if (this.endpointId) params.push(`endpointId=${encodeURIComponent(this.endpointId)}`);
    if (cursor) params.push(`cursor=${encodeURIComponent(cursor)}`);
    return `/api/webhook-deliveries?${params.join('&')}`;
  }

  async load() {
    this.loading = true;
    try {
      const page = await api.get<Page<WebhookDelivery>>(this.#query(null));
      this.items = page.items;
      this.nextCursor = page.nextCursor;
      this.loaded = true;
    } finally {
      this.loading = false;
    }
  }

  async loadMore() {
    if (!this.nextCursor || this.loading) return;
    this.loading = true;
    try {
      const page = await api.get<Page<WebhookDelivery>>(this.#query(this.nextCursor));
      this.items.push(...page.items.filter((d) => !this.items.some((known) => known.id === d.id)));
      this.nextCursor = page.nextCursor;
    } finally {
      this.loading = false;
    }
  }
}
