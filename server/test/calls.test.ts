import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Call, ChangeEnvelope } from '@callboard/shared';
import { newId } from '../src/db/ids.ts';
import { api, connectSocket, createTenant, nextEvent, startTestServer, type TestServer, type TestTenant } from './helpers.ts';

let ts: TestServer;
let t: TestTenant;
let customer: { id: string; phone: string };
beforeAll(async () => {
  ts = await startTestServer();
  t = await createTenant(ts);
  customer = (await api(ts, 'POST', '/api/customers', { token: t.agent.token, body: { name: 'Reem', phone: '+966501112233' } })).body;
});
afterAll(() => ts?.close());

describe('calls', () => {
  it('queues a call for a supervisor, names it by the customer, and emits it', async () => {
    const socket = await connectSocket(ts, { token: t.agent.token });
    try {
      expect((await api(ts, 'POST', '/api/calls', { token: t.agent.token, body: { customerId: customer.id } })).status).toBe(403);
      const created = nextEvent<ChangeEnvelope<Call>>(socket, 'call.created');
      const res = await api<Call>(ts, 'POST', '/api/calls', { token: t.supervisor.token, body: { customerId: customer.id } });
      expect(res.status).toBe(202);
      expect(res.body).toMatchObject({ customerId: customer.id, status: 'queued', direction: 'outbound', to: '+966501112233', provider: 'simulated', displayName: 'Reem' });
      expect((await created).data.id).toBe(res.body.id);
      expect((await api(ts, 'GET', `/api/calls/${res.body.id}`, { token: t.agent.token })).body).toEqual(res.body);
    } finally {
      socket.close();
    }
  });

  it('refuses a customer without a phone and a malformed body', async () => {
    const nophone = (await api(ts, 'POST', '/api/customers', { token: t.agent.token, body: { name: 'No phone' } })).body;
    const res = await api(ts, 'POST', '/api/calls', { token: t.supervisor.token, body: { customerId: nophone.id } });
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([{ path: 'customerId', message: 'the customer has no phone number' }]);
    const bad = await api(ts, 'POST', '/api/calls', { token: t.supervisor.token, body: { customerId: 'bad id!' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].path).toBe('customerId');
  });

  it('cancels a live call once; an ended call cannot move', async () => {
    const call = (await api<Call>(ts, 'POST', '/api/calls', { token: t.supervisor.token, body: { customerId: customer.id } })).body;
    const res = await api(ts, 'POST', `/api/calls/${call.id}/cancel`, { token: t.supervisor.token });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'canceled', endedAt: expect.any(String) });
    const again = await api(ts, 'POST', `/api/calls/${call.id}/cancel`, { token: t.supervisor.token });
    expect(again.status).toBe(400);
    expect(again.body.error.message).toMatch(/cannot move from canceled to canceled/);
  });

  it('filters by live, status and customer, newest first', async () => {
    const tt = await createTenant(ts);
    const c = (await api(ts, 'POST', '/api/customers', { token: tt.agent.token, body: { phone: '+966501112299' } })).body;
    const first = (await api<Call>(ts, 'POST', '/api/calls', { token: tt.supervisor.token, body: { customerId: c.id } })).body;
    const second = (await api<Call>(ts, 'POST', '/api/calls', { token: tt.supervisor.token, body: { customerId: c.id } })).body;
    await api(ts, 'POST', `/api/calls/${first.id}/cancel`, { token: tt.supervisor.token });
    const list = async (qs: string) => (await api(ts, 'GET', `/api/calls?${qs}`, { token: tt.agent.token })).body.items.map((x: Call) => x.id);
    expect(await list('')).toEqual([second.id, first.id]);
    expect(await list('live=true')).toEqual([second.id]);
    expect(await list('live=false')).toEqual([first.id]);
    expect(await list('status=canceled')).toEqual([first.id]);
    expect(await list(`customerId=${c.id}&limit=1`)).toEqual([second.id]);
    expect((await api(ts, 'GET', `/api/customers/${c.id}/calls`, { token: tt.agent.token })).body.items.map((x: Call) => x.id)).toEqual([second.id, first.id]);
    expect(second.displayName).toBe('+966 50 111 2299');
    const bad = await api(ts, 'GET', '/api/calls?live=yes&status=ringing-ish', { token: tt.agent.token });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['live', 'status']);
  });
});

describe('voice sessions', () => {
  it('lists without transcripts and answers one with it', async () => {
    const now = new Date();
    const id = newId();
    await ts.server.ctx.models.voiceSessions.create({
      _id: id, tenantId: t.tenant.id, order: id, conversationId: 'conv_1', agentId: 'agent_1', customerId: null, callId: null,
      status: 'done', direction: 'inbound', from: '+966501234567', to: '+966112345678', locale: 'ar', startedAt: now, endedAt: now,
      durationSec: 42, transcript: [{ role: 'agent', text: 'أهلاً', atSec: 0.5 }, { role: 'user', text: 'أبي أحجز', atSec: 2 }],
      summary: 'Booking request', outcome: 'success', dataCollection: [{ id: 'city', value: 'Riyadh', rationale: null }],
      cost: 120, terminationReason: 'end_call tool', createdAt: now, updatedAt: now,
    });
    const list = await api(ts, 'GET', '/api/voice-sessions?status=done', { token: t.agent.token });
    expect(list.status).toBe(200);
    expect(list.body.items[0]).toMatchObject({ id, displayName: '+966 50 123 4567', outcome: 'success' });
    expect(list.body.items[0]).not.toHaveProperty('transcript');
    const one = await api(ts, 'GET', `/api/voice-sessions/${id}`, { token: t.agent.token });
    expect(one.body.transcript).toEqual([{ role: 'agent', text: 'أهلاً', atSec: 0.5 }, { role: 'user', text: 'أبي أحجز', atSec: 2 }]);
    expect((await api(ts, 'GET', '/api/voice-sessions?status=over', { token: t.agent.token })).status).toBe(400);
  });
});
