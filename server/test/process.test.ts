import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmbeddedDb } from '../src/db/embedded.ts';
import { createLogger } from '../src/logger.ts';
import { api } from './helpers.ts';
import { killAll, run } from './spawn.ts';

const dirs: string[] = [];
afterAll(() => {
  killAll();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'callboard-proc-'));
  dirs.push(d);
  return d;
};

describe('the process', () => {
  it('stops with one clear line on a bad configuration value', async () => {
    const p = run('server/src/main.ts', { PORT: 'not-a-port' });
    expect(await p.exited).toBe(1);
    expect(p.lines).toEqual([expect.stringMatching(/^invalid configuration: PORT /)]);
  });

  it('runs the embedded database alone, serves a node from it, seeds the demo once and shuts down cleanly', async () => {
    const db = run('server/src/db/standalone.ts', { DATA_DIR: tempDir() });
    const [, uri] = await db.waitFor(/^MONGODB_URI=(mongodb:\/\/127\.0\.0\.1:\d+\/callboard)$/);
    const mongodbUri = `${uri!}_proc_${Date.now()}`;

    const first = run('server/src/main.ts', { PORT: '0', MONGODB_URI: mongodbUri, DATA_DIR: tempDir() });
    const [, url] = await first.waitFor(/Callboard is running at (http:\/\/\S+)/);
    const logins = first.lines.filter((l) => /riyadh-rentals|harbour-lettings/.test(l));
    expect(logins).toHaveLength(6);
    const [, email, password] = logins.find((l) => l.includes('amal@'))!.match(/(\S+@\S+)\s+(\S+)$/)!;
    const login = await api({ url: url! }, 'POST', '/api/auth/login', { body: { email, password } });
    expect(login.status).toBe(200);
    expect(login.body.tenant).toMatchObject({ slug: 'riyadh-rentals', locale: 'ar', timeZone: 'Asia/Riyadh' });
    // the demo has history: customers, tickets along their workflow, bookings, a campaign with members
    const list = async (path: string) => (await api({ url: url! }, 'GET', path, { token: login.body.token })).body.items;
    expect((await list('/api/customers')).length).toBe(8);
    expect((await list('/api/tickets')).map((t: { status: string }) => t.status).sort()).toEqual(['in_progress', 'open', 'pending_approval', 'resolved']);
    expect((await list('/api/bookings')).length).toBe(3);
    expect((await list('/api/campaigns'))[0].stats.members).toBe(4);
    expect((await api({ url: url! }, 'GET', '/healthz')).body.status).toBe('ok');

    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();

    const second = run('server/src/main.ts', { PORT: '0', MONGODB_URI: mongodbUri, DATA_DIR: tempDir() });
    await second.waitFor(/Callboard is running at/);
    expect(second.lines.some((l) => l.includes('Demo workspace created'))).toBe(false);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);

    db.child.kill('SIGTERM');
    expect(await db.exited).toBe(0);
  });

  it('answers 503 from healthz when the database goes away', async () => {
    const db = await startEmbeddedDb(tempDir(), createLogger('silent', 'test'));
    const node = run('server/src/main.ts', { PORT: '0', MONGODB_URI: `${db.baseUri}callboard`, DATA_DIR: tempDir(), DEMO: 'off' });
    const [, url] = await node.waitFor(/Callboard is running at (http:\/\/\S+)/);
    await db.stop();
    const res = await api({ url: url! }, 'GET', '/healthz');
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ status: 'degraded', db: 'down' });
    const login = await api({ url: url! }, 'POST', '/api/auth/login', { body: { email: 'a@b.com', password: 'whatever-pass' } });
    expect(login.status).toBe(503);
    expect(login.body.error.code).toBe('unavailable');
    node.child.kill('SIGTERM');
    await node.exited;
  });
});
