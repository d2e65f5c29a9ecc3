// `npm run bench [-- --quick]`: fan-out and end-to-end latency of a change through
// Callboard (HTTP write → database → seq → event log → every socket of the tenant),
// against a bare Socket.IO server in the same run. Loopback only; bounded; the last
// line is one JSON object.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { io as connect, type Socket } from 'socket.io-client';
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { startEmbeddedDb } from '../db/embedded.ts';
import { createLogger } from '../logger.ts';
import { startBaseline } from './baseline.ts';
import { webhookAcks } from './webhooks.ts';
import { nowMs, summarize } from './stats.ts';

const quick = process.argv.includes('--quick');
const SOCKETS = quick ? 50 : 200;
const ROUNDS = quick ? 30 : 150;

async function sockets(url: string, count: number, auth?: { token: string }) {
  const list: Socket[] = [];
  for (let i = 0; i < count; i++) {
    const s = connect(url, { transports: ['websocket'], forceNew: true, reconnection: false, ...(auth ? { auth } : {}) });
    await new Promise<void>((resolve, reject) => {
      s.once('connect', () => resolve());
      s.once('connect_error', reject);
    });
    list.push(s);
  }
  return list;
}

/** Fires `trigger` ROUNDS times; per round, the time until the first and the last socket heard `event`. */
async function measure(clients: Socket[], event: string, trigger: (i: number) => Promise<void>) {
  const first: number[] = [];
  const last: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const start = nowMs();
    const arrivals = clients.map((s) => new Promise<number>((r) => s.once(event, () => r(nowMs() - start))));
    await trigger(i);
    const times = await Promise.all(arrivals);
    first.push(Math.min(...times));
    last.push(Math.max(...times));
  }
  return { firstSocketMs: summarize(first), lastSocketMs: summarize(last) };
}

/** The server under test runs as its own process (as in production), so the load generator here does not share its event loop. */
async function startNode(mongodbUri: string, adminToken: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', resolve(import.meta.dirname, '../main.ts')], {
    env: { ...process.env, PORT: '0', MONGODB_URI: mongodbUri, LOG_LEVEL: 'warn', DEMO: 'off', ADMIN_TOKEN: adminToken, SECRETS_KEY: randomBytes(32).toString('base64') },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolveUrl, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const m = /Callboard is running at (http:\/\/\S+)/.exec(line);
      if (m) resolveUrl(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`the server exited (${code})`)));
  });
  return { url, close: () => new Promise<void>((r) => (child.once('exit', () => r()), child.kill('SIGTERM'))) };
}

const dataDir = mkdtempSync(join(tmpdir(), 'callboard-bench-'));
const adminToken = randomBytes(16).toString('hex');
const db = await startEmbeddedDb(dataDir, createLogger('warn', 'bench'));
const server = await startNode(`${db.baseUri}callboard`, adminToken);
const baseline = await startBaseline();
try {
  const json = async (method: string, path: string, token: string, body?: unknown) => {
    const res = await fetch(`${server.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return res.json();
  };
  const provisioned = await json('POST', '/api/admin/tenants', adminToken, {
    name: 'Bench',
    slug: 'bench',
    admin: { email: 'bench@example.com', password: 'bench-password-1', name: 'Bench' },
  });
  const key: string = provisioned.apiKey.key;

  const cbClients = await sockets(server.url, SOCKETS, { token: key });
  const callboard = await measure(cbClients, 'customer.created', async (i) => {
    await json('POST', '/api/customers', key, { name: `Bench ${i}` });
  });
  for (const s of cbClients) s.close();

  const webhookRun = (concurrency: number) =>
    webhookAcks(server.url, (m, p, b) => json(m, p, key, b), { calls: quick ? 20 : 100, turnsPerCall: quick ? 6 : 10, concurrency });
  const webhooks = [await webhookRun(1), await webhookRun(4)];

  const baseClients = await sockets(baseline.url, SOCKETS);
  const bare = await measure(baseClients, 'tick', async () => {
    await fetch(`${baseline.url}/emit`, { method: 'POST' });
  });
  for (const s of baseClients) s.close();

  const result = {
    machine: { cpus: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', memGiB: Math.round(totalmem() / 2 ** 30), node: process.version },
    database: 'embedded FerretDB 1.24 (SQLite)',
    sockets: SOCKETS,
    rounds: ROUNDS,
    callboardChangeToSockets: callboard,
    bareSocketIoEmitToSockets: bare,
    webhookAcks: webhooks,
  };
  console.log(`Callboard: HTTP write → ${SOCKETS} sockets, p50 ${callboard.lastSocketMs.p50} ms, p99 ${callboard.lastSocketMs.p99} ms (last socket)`);
  console.log(`Bare Socket.IO: HTTP → ${SOCKETS} sockets, p50 ${bare.lastSocketMs.p50} ms, p99 ${bare.lastSocketMs.p99} ms (last socket)`);
  for (const w of webhooks) {
    console.log(`Webhooks: ${w.deliveries} signed deliveries, ${w.concurrency} at a time (${w.perSecond}/s): ack p50 ${w.ackMs.p50} ms, p99 ${w.ackMs.p99} ms`);
  }
  console.log(JSON.stringify(result));
} finally {
  await baseline.close();
  await server.close();
  await db.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
