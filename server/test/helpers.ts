import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { io as connectClient, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, Role, ServerToClientEvents } from '@callboard/shared';
import { loadConfig } from '../src/config.ts';
import { startServer, type RunningServer } from '../src/app.ts';

export interface TestServer {
  url: string;
  adminToken: string;
  server: RunningServer;
  close(): Promise<void>;
}

/** The real server on a free port against the run's embedded database (a database per worker). */
export async function startTestServer(env: Record<string, string> = {}): Promise<TestServer> {
  const adminToken = `operator-${randomBytes(12).toString('hex')}`;
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    MONGODB_URI: `${inject('mongoBaseUri')}callboard_test_${process.env.VITEST_POOL_ID ?? '0'}`,
    LOG_LEVEL: 'silent',
    ADMIN_TOKEN: adminToken,
    SECRETS_KEY: randomBytes(32).toString('base64'),
    DEMO: 'off',
    ...env,
  });
  const server = await startServer(config);
  return { url: server.url, adminToken, server, close: () => server.close() };
}

export interface ApiAnswer<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export interface CallOptions {
  token?: string | null;
  body?: unknown;
  /** a raw body sent as is (with its own content type header) */
  raw?: string;
  headers?: Record<string, string>;
}

/** One HTTP call to the API; answers status, parsed JSON body (or null) and headers. */
export async function api<T = any>(base: { url: string }, method: string, path: string, opts: CallOptions = {}): Promise<ApiAnswer<T>> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let body: string | undefined = opts.raw;
  if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers['content-type'] ??= 'application/json';
  }
  const res = await fetch(`${base.url}${path}`, { method, headers, body });
  const textBody = await res.text();
  let parsed: unknown = null;
  if (textBody) {
    try {
      parsed = JSON.parse(textBody);
    } catch {
      parsed = textBody;
    }
  }
  return { status: res.status, body: parsed as T, headers: res.headers };
}

export interface TestUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  password: string;
  token: string;
}

export interface TestTenant {
  tenant: { id: string; slug: string; name: string };
  admin: TestUser;
  supervisor: TestUser;
  agent: TestUser;
  apiKey: string;
}

let counter = 0;
const unique = () => `${Date.now().toString(36)}${(counter++).toString(36)}${randomBytes(3).toString('hex')}`;

/** A fresh tenant with a signed-in user of each role. */
export async function createTenant(ts: TestServer, opts: { locale?: 'ar' | 'en'; name?: string } = {}): Promise<TestTenant> {
  const id = unique();
  const password = `pw-${randomBytes(9).toString('hex')}`;
  const slug = `t-${id}`;
  const provisioned = await api(ts, 'POST', '/api/admin/tenants', {
    token: ts.adminToken,
    body: {
      name: opts.name ?? `Tenant ${id}`,
      slug,
      ...(opts.locale ? { locale: opts.locale } : {}),
      admin: { email: `admin-${id}@example.com`, password, name: `Admin ${id}` },
    },
  });
  if (provisioned.status !== 201) throw new Error(`provisioning failed: ${JSON.stringify(provisioned.body)}`);
  const admin = await signIn(ts, `admin-${id}@example.com`, password);
  const make = async (role: Role) => {
    const email = `${role}-${id}@example.com`;
    const created = await api(ts, 'POST', '/api/users', {
      token: admin.token,
      body: { email, name: `${role[0]!.toUpperCase()}${role.slice(1)} ${id}`, role, password },
    });
    if (created.status !== 201) throw new Error(`user creation failed: ${JSON.stringify(created.body)}`);
    return signIn(ts, email, password);
  };
  return {
    tenant: provisioned.body.tenant,
    admin,
    supervisor: await make('supervisor'),
    agent: await make('agent'),
    apiKey: provisioned.body.apiKey.key,
  };
}

export async function signIn(ts: { url: string }, email: string, password: string): Promise<TestUser> {
  const res = await api(ts, 'POST', '/api/auth/login', { body: { email, password } });
  if (res.status !== 200) throw new Error(`login failed for ${email}: ${res.status} ${JSON.stringify(res.body)}`);
  return { ...res.body.user, password, token: res.body.token };
}

export type TestSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** A real socket.io-client connection; resolves once connected, rejects with the connect_error. */
export function connectSocket(ts: { url: string }, opts: { token?: string; cookie?: string } = {}): Promise<TestSocket> {
  const socket: TestSocket = connectClient(ts.url, {
    path: '/socket.io',
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    ...(opts.token ? { auth: { token: opts.token } } : {}),
    ...(opts.cookie ? { extraHeaders: { cookie: opts.cookie } } : {}),
  });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (err) => {
      socket.close();
      reject(err);
    });
  });
}

/** Resolves with the next payload of `event`, or rejects after `ms`. */
export function nextEvent<T = any>(socket: TestSocket, event: string, ms = 5_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} within ${ms} ms`)), ms);
    (socket as unknown as Socket).once(event, (payload: T) => {
      clearTimeout(timer);
      resolve(payload);
    });
  });
}
