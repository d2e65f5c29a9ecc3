import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChangeEnvelope, TenantSettings } from '@callboard/shared';
import { api, connectSocket, createTenant, nextEvent, startTestServer, type TestServer, type TestSocket, type TestTenant } from './helpers.ts';

let ts: TestServer;
let a: TestTenant;
let b: TestTenant;
const open: TestSocket[] = [];
beforeAll(async () => {
  ts = await startTestServer();
  [a, b] = await Promise.all([createTenant(ts), createTenant(ts)]);
});
afterAll(async () => {
  for (const s of open) s.close();
  await ts?.close();
});

async function connect(token: string) {
  const s = await connectSocket(ts, { token });
  open.push(s);
  return s;
}

async function renameTenant(who: TestTenant, name: string) {
  const current = (await api(ts, 'GET', '/api/tenant', { token: who.admin.token })).body;
  const res = await api(ts, 'PATCH', '/api/tenant', { token: who.admin.token, body: { version: current.version, set: { name } } });
  expect(res.status).toBe(200);
  return res.body as TenantSettings;
}

describe('socket handshake', () => {
  it('refuses a connection without credentials or with bad ones', async () => {
    await expect(connectSocket(ts)).rejects.toThrow('unauthorized');
    await expect(connectSocket(ts, { token: 'cbs_not-a-session' })).rejects.toThrow('unauthorized');
    await expect(connectSocket(ts, { cookie: 'cb_session=cbs_forged' })).rejects.toThrow('unauthorized');
  });

  it('accepts a session token, an API key and the session cookie', async () => {
    await connect(a.agent.token);
    await connect(a.apiKey);
    const s = await connectSocket(ts, { cookie: `cb_session=${a.supervisor.token}` });
    open.push(s);
    expect(s.connected).toBe(true);
  });
});

describe('tenant rooms', () => {
  it("delivers each tenant's changes to its own sockets only", async () => {
    const [a1, a2, b1] = await Promise.all([connect(a.agent.token), connect(a.admin.token), connect(b.agent.token)]);
    const heardByB: string[] = [];
    b1.onAny((event) => heardByB.push(event));
    const heardByA: string[] = [];
    a1.onAny((event) => heardByA.push(event));

    const gotA1 = nextEvent<ChangeEnvelope<TenantSettings>>(a1, 'tenant.updated');
    const gotA2 = nextEvent<ChangeEnvelope<TenantSettings>>(a2, 'tenant.updated');
    const settings = await renameTenant(a, 'Only A hears this');
    const [e1, e2] = await Promise.all([gotA1, gotA2]);
    for (const e of [e1, e2]) {
      expect(e.data.name).toBe('Only A hears this');
      expect(e.data.version).toBe(settings.version);
      expect(e.seq).toBeGreaterThan(0);
      expect(e.actor).toEqual({ type: 'user', id: a.admin.id, name: a.admin.name });
    }

    const gotB = nextEvent<ChangeEnvelope<TenantSettings>>(b1, 'tenant.updated');
    await renameTenant(b, 'Only B hears this');
    expect((await gotB).data.name).toBe('Only B hears this');
    await new Promise((r) => setTimeout(r, 200));
    expect(heardByB).toEqual(['tenant.updated']);
    expect(heardByA).toEqual(['tenant.updated']);
  });

  it('cannot join another room by naming it', async () => {
    const s = await connect(b.agent.token);
    const heard: string[] = [];
    s.onAny((event) => heard.push(event));
    (s as unknown as { emit: (...args: unknown[]) => void }).emit('join', `tenant:${a.tenant.id}`);
    await renameTenant(a, 'Still private');
    await new Promise((r) => setTimeout(r, 300));
    expect(heard).toEqual([]);
  });
});

describe('revocation and sync', () => {
  it('disconnects the sockets of a session that logs out', async () => {
    const tt = await createTenant(ts);
    const s = await connect(tt.agent.token);
    const gone = new Promise<string>((resolve) => s.once('disconnect', resolve));
    expect((await api(ts, 'POST', '/api/auth/logout', { token: tt.agent.token })).status).toBe(204);
    expect(await gone).toBe('io server disconnect');
    await expect(connectSocket(ts, { token: tt.agent.token })).rejects.toThrow('unauthorized');
  });

  it('answers sync with the missed changes in order, and validates it', async () => {
    const tt = await createTenant(ts);
    const s = await connect(tt.agent.token);
    const start = await s.emitWithAck('sync', { since: 0 });
    expect('events' in start).toBe(true);
    const seqBefore = 'events' in start ? start.events.length : 0;
    await renameTenant(tt, 'One');
    await renameTenant(tt, 'Two');
    const answer = await s.emitWithAck('sync', { since: seqBefore });
    if (!('events' in answer)) throw new Error(`expected events, got ${JSON.stringify(answer)}`);
    expect(answer.events.map((e) => [e.event, e.seq, (e.data as TenantSettings).name])).toEqual([
      ['tenant.updated', seqBefore + 1, 'One'],
      ['tenant.updated', seqBefore + 2, 'Two'],
    ]);
    const bad = await (s as unknown as { emitWithAck: (e: string, p: unknown) => Promise<unknown> }).emitWithAck('sync', { since: 'x' });
    expect(bad).toEqual({ error: { code: 'validation_failed', message: expect.stringContaining('since') } });
  });
});
