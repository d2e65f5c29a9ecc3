import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { z } from 'zod';

const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

const base64Key = z.string().refine((v) => Buffer.from(v, 'base64').length === 32 && /^[A-Za-z0-9+/=]+$/.test(v), {
  message: 'must be 32 bytes in base64 (openssl rand -base64 32)',
});

/** Everything the process reads from its environment, parsed once (API.md §1). */
const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  MONGODB_URI: optional(z.string().regex(/^mongodb(\+srv)?:\/\/.+/, { message: 'must be a mongodb:// or mongodb+srv:// URL' })),
  DATA_DIR: z.string().min(1).default('./.data'),
  REDIS_URL: optional(z.string().regex(/^rediss?:\/\/.+/, { message: 'must be a redis:// or rediss:// URL' })),
  PUBLIC_URL: optional(z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' })),
  ADMIN_TOKEN: optional(z.string().min(16, { message: 'must be at least 16 characters' })),
  SECRETS_KEY: optional(base64Key),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DEMO: z.enum(['on', 'off']).default('on'),
  TRUST_PROXY: z.string().regex(/^[\w.,:/ -]{1,200}$/, { message: 'must be an Express trust proxy value' }).default('loopback'),
  NODE_ID: optional(z.string().regex(/^[\w.-]{1,64}$/, { message: 'must be 1-64 letters, digits, dots or dashes' })),
});

export type Env = z.input<typeof envSchema>;

export interface Config {
  port: number;
  host: string;
  mongodbUri: string | undefined;
  dataDir: string;
  redisUrl: string | undefined;
  publicUrl: string;
  adminToken: string | undefined;
  secretsKey: Buffer | undefined;
  logLevel: string;
  demo: boolean;
  nodeId: string;
  /** Express `trust proxy`: which proxies' X-Forwarded-For to believe for client addresses */
  trustProxy: string;
}

export class ConfigError extends Error {}

/** Parses the environment into a typed config, or throws one line naming the bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const known = Object.fromEntries(Object.keys(envSchema.shape).map((k) => [k, env[k]]));
  const parsed = envSchema.safeParse(known);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(`invalid configuration: ${issue.path.join('.')} ${issue.message}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    mongodbUri: e.MONGODB_URI,
    dataDir: resolve(e.DATA_DIR),
    redisUrl: e.REDIS_URL,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    adminToken: e.ADMIN_TOKEN,
    secretsKey: e.SECRETS_KEY ? Buffer.from(e.SECRETS_KEY, 'base64') : undefined,
    logLevel: e.LOG_LEVEL,
    demo: e.DEMO === 'on',
    nodeId: e.NODE_ID ?? `node-${randomUUID().slice(0, 8)}`,
    trustProxy: e.TRUST_PROXY,
  };
}
