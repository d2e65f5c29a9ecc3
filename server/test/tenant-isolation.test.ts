import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../src/db/ids.ts';
import { api, createTenant, startTestServer, type TestServer, type TestTenant } from './helpers.ts';
import { coveringIndex, recordQueries, type RecordedQuery } from './index-coverage.ts';

let ts: TestServer;
let a: TestTenant;
let b: TestTenant;
let queries: RecordedQuery[];
const ids: Record<string, string> = {};

/** Creates one record of every kind in tenant B, through the API where there is one. */
async function seedTenantB() {
  const post = async (path: string, body: unknown, token = b.admin.token) => {
    const res = await api(ts, 'POST', path, { token, body });
    expect(res.status, `${path}: ${JSON.stringify(res.body)}`).toBeLessThan(300);
    return res.body;
  };
  ids.user = b.agent.id;
  ids.apiKey = (await post('/api/api-keys', { name: 'B key', role: 'agent' })).id;
  ids.customer = (await post('/api/customers', { name: 'B customer', phone: '+966509999001' })).id;
  ids.call = (await post('/api/calls', { customerId: ids.customer })).id;
  ids.ticket = (await post('/api/tickets', { customerId: ids.customer, subject: 'Leak' })).id;
  ids.booking = (await post('/api/bookings', { customerId: ids.customer, propertyCode: 'RUH-1', startDate: '2026-12-01' })).id;
  ids.campaign = (await post('/api/campaigns', { name: 'B campaign', objective: 'renewals' })).id;
  ids.webhookEndpoint = (await post('/api/webhook-endpoints', { provider: 'standard' })).id;
  // Voice sessions arrive only by webhook; the fixture writes one as ingestion would.
  const now = new Date();
  const sessionId = newId();
  await ts.server.ctx.models.voiceSessions.create({
    _id: sessionId, tenantId: b.tenant.id, order: sessionId, conversationId: 'conv_b', agentId: null, customerId: ids.customer,
    callId: null, status: 'done', direction: 'inbound', from: '+966509999001', to: null, locale: 'ar', startedAt: now, endedAt: now,
    durationSec: 30, transcript: [{ role: 'user', text: 'مرحبا', atSec: 1 }], summary: null, outcome: 'success', dataCollection: [],
    cost: null, terminationReason: null, createdAt: now, updatedAt: now,
  });
  ids.voiceSession = sessionId;
}

beforeAll(async () => {
  ts = await startTestServer();
  [a, b] = await Promise.all([createTenant(ts), createTenant(ts)]);
  await seedTenantB();
  queries = recordQueries(ts.server.ctx.db.conn);
});
afterAll(() => ts?.close());

const patch = { version: 1, set: { name: 'taken over' } };
/** Every route that names a record, with what tenant A sends at tenant B's record. */
const matrix: [method: string, path: string, kind: string, body?: unknown][] = [
  ['GET', '/api/users/{id}', 'user'],
  ['PATCH', '/api/users/{id}', 'user', patch],
  ['POST', '/api/users/{id}/password', 'user', { password: 'long-enough-pass' }],
  ['DELETE', '/api/api-keys/{id}', 'apiKey'],
  ['GET', '/api/customers/{id}', 'customer'],
  ['PATCH', '/api/customers/{id}', 'customer', patch],
  ['POST', '/api/customers/{id}/undo', 'customer'],
  ['DELETE', '/api/customers/{id}', 'customer'],
  ['GET', '/api/customers/{id}/activity', 'customer'],
  ['GET', '/api/customers/{id}/calls', 'customer'],
  ['GET', '/api/customers/{id}/voice-sessions', 'customer'],
  ['GET', '/api/customers/{id}/tickets', 'customer'],
  ['GET', '/api/customers/{id}/bookings', 'customer'],
  ['GET', '/api/customers/{id}/campaigns', 'customer'],
  ['GET', '/api/calls/{id}', 'call'],
  ['POST', '/api/calls/{id}/cancel', 'call'],
  ['GET', '/api/voice-sessions/{id}', 'voiceSession'],
  ['GET', '/api/tickets/{id}', 'ticket'],
  ['PATCH', '/api/tickets/{id}', 'ticket', { version: 1, set: { subject: 'taken over' } }],
  ['DELETE', '/api/tickets/{id}', 'ticket'],
  ['GET', '/api/bookings/{id}', 'booking'],
  ['PATCH', '/api/bookings/{id}', 'booking', { version: 1, set: { propertyCode: 'X-1' } }],
  ['DELETE', '/api/bookings/{id}', 'booking'],
  ['GET', '/api/campaigns/{id}', 'campaign'],
  ['PATCH', '/api/campaigns/{id}', 'campaign', patch],
  ['GET', '/api/campaigns/{id}/members', 'campaign'],
  ['POST', '/api/campaigns/{id}/members', 'campaign', { customerIds: ['0000000000000000000000'] }],
  ['POST', '/api/campaigns/{id}/start', 'campaign'],
  ['POST', '/api/campaigns/{id}/pause', 'campaign'],
  ['POST', '/api/campaigns/{id}/resume', 'campaign'],
  ['POST', '/api/campaigns/{id}/complete', 'campaign'],
  ['POST', '/api/webhook-endpoints/{id}/rotate', 'webhookEndpoint', {}],
  ['DELETE', '/api/webhook-endpoints/{id}', 'webhookEndpoint'],
];

describe('tenant isolation', () => {
  it('covers every API route that takes an id', async () => {
    const doc = (await api(ts, 'GET', '/api/openapi.json')).body as { paths: Record<string, Record<string, unknown>> };
    const withIds = Object.entries(doc.paths)
      .filter(([path]) => path.includes('{id}'))
      .flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
    expect(new Set(matrix.map(([m, p]) => `${m} ${p}`))).toEqual(new Set(withIds));
  });

  it.each(matrix)("%s %s with another tenant's id is a 404 and changes nothing", async (method, path, kind, body) => {
    const res = await api(ts, method, path.replace('{id}', ids[kind]!), { token: a.admin.token, body });
    expect(res.status, JSON.stringify(res.body)).toBe(404);
    expect(res.body.error.code).toBe('not_found');
  });

  it("leaves tenant B's records as they were", async () => {
    for (const [kind, path] of [
      ['customer', '/api/customers/'],
      ['ticket', '/api/tickets/'],
      ['booking', '/api/bookings/'],
      ['campaign', '/api/campaigns/'],
    ] as const) {
      const res = await api(ts, 'GET', `${path}${ids[kind]}`, { token: b.admin.token });
      expect(res.status, kind).toBe(200);
      expect(res.body.version, kind).toBe(1);
    }
    expect((await api(ts, 'GET', `/api/calls/${ids.call}`, { token: b.admin.token })).body.status).toBe('queued');
    expect((await api(ts, 'GET', '/api/auth/me', { token: b.agent.token })).status).toBe(200);
  });

  it("refuses another tenant's customer inside a body as a validation error", async () => {
    for (const [path, body] of [
      ['/api/calls', { customerId: ids.customer }],
      ['/api/tickets', { customerId: ids.customer, subject: 'x' }],
      ['/api/bookings', { customerId: ids.customer, propertyCode: 'X', startDate: '2026-12-01' }],
    ] as const) {
      const res = await api(ts, 'POST', path, { token: a.admin.token, body });
      expect(res.status, path).toBe(400);
      expect(res.body.error.details[0].path, path).toBe('customerId');
    }
  });

  it('never lists another tenant\'s records', async () => {
    for (const path of ['/api/customers', '/api/calls', '/api/voice-sessions', '/api/tickets', '/api/bookings', '/api/campaigns', '/api/users', '/api/api-keys']) {
      const res = await api(ts, 'GET', `${path}?limit=200`, { token: a.admin.token });
      expect(res.status, path).toBe(200);
      const listed = JSON.stringify(res.body);
      for (const id of Object.values(ids)) expect(listed, path).not.toContain(id);
    }
  });
});

describe('index coverage', () => {
  it('serves every query the routes made from a declared index starting with tenantId (or by _id)', async () => {
    // exercise every list filter once more, as tenant B
    for (const qs of [
      'customers?q=b', 'customers?stage=new', 'customers?stage=new&q=b', `calls?customerId=${ids.customer}`, 'calls?live=true', 'calls?status=queued',
      `calls?campaignId=${ids.campaign}`, 'voice-sessions?status=done', `voice-sessions?customerId=${ids.customer}`, 'tickets?status=open',
      'tickets?priority=high', 'tickets?status=open&priority=high', `tickets?customerId=${ids.customer}`, 'bookings?status=pending',
      `bookings?customerId=${ids.customer}`, 'campaigns?status=draft', `customers/${ids.customer}/campaigns`, `campaigns/${ids.campaign}/members`,
      'stats/board', 'webhook-endpoints', `webhook-deliveries?endpointId=${ids.webhookEndpoint}`, 'webhook-deliveries',
    ]) {
      expect((await api(ts, 'GET', `/api/${qs}`, { token: b.admin.token })).status, qs).toBe(200);
    }
    const models = Object.values(ts.server.ctx.models);
    const indexesOf = new Map(models.map((m) => [m.collection.collectionName, m.schema.indexes().map(([fields]) => fields as Record<string, unknown>)]));
    expect(queries.length).toBeGreaterThan(50);
    // The change log's repair pass reads every tenant's counter on purpose: one small document per tenant.
    const deliberateScans = (q: RecordedQuery) => q.collection === 'counters' && Object.keys(q.filter).length === 0;
    const uncovered = queries.filter((q) => !deliberateScans(q) && coveringIndex(q, indexesOf.get(q.collection) ?? []) === null);
    expect(uncovered.map((q) => `${q.collection}.${q.method} ${JSON.stringify(q.filter)} sort ${JSON.stringify(q.sort)}`)).toEqual([]);
  });
});
