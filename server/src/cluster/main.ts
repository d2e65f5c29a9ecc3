// `npm run cluster -- --nodes N`: Redis, one embedded database and N Callboard nodes on
// loopback, as a cluster behind no proxy (each node serves any request). Ctrl-C stops all.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { createLogger } from '../logger.ts';
import { startEmbeddedDb } from '../db/embedded.ts';
import { DEFAULT_DB_NAME } from '../db/mongo.ts';
import { freePort, startLocalRedis } from './redis-server.ts';

const args = z
  .object({ nodes: z.coerce.number().int().min(1).max(8).default(2) })
  .safeParse(parseArgs({ options: { nodes: { type: 'string' } } }).values);
if (!args.success) {
  console.error('usage: npm run cluster -- --nodes N   (N from 1 to 8)');
  process.exit(2);
}

const log = createLogger('warn', 'cluster');
const dataDir = resolve(process.env.DATA_DIR ?? './.data', 'cluster');
const db = await startEmbeddedDb(dataDir, log);
const redis = await startLocalRedis();
const adminToken = process.env.ADMIN_TOKEN ?? `operator-${randomBytes(12).toString('hex')}`;
const secretsKey = process.env.SECRETS_KEY ?? randomBytes(32).toString('base64');
const nodes: ChildProcess[] = [];
const urls: string[] = [];
for (let i = 1; i <= args.data.nodes; i++) {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', resolve(import.meta.dirname, '../main.ts')], {
    env: {
      ...process.env,
      PORT: String(port),
      MONGODB_URI: `${db.baseUri}${DEFAULT_DB_NAME}`,
      REDIS_URL: redis.url,
      ADMIN_TOKEN: adminToken,
      SECRETS_KEY: secretsKey,
      NODE_ID: `node-${i}`,
      // one node seeds the demo workspace; the claim in the database keeps it to one anyway
      DEMO: i === 1 ? (process.env.DEMO ?? 'on') : 'off',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  nodes.push(child);
  urls.push(`http://127.0.0.1:${port}`);
}
console.log(`Redis ${redis.url}\nDatabase MONGODB_URI=${db.baseUri}${DEFAULT_DB_NAME}\nADMIN_TOKEN=${adminToken}`);
for (const [i, url] of urls.entries()) console.log(`node-${i + 1} ${url}`);

const stop = async () => {
  await Promise.all(nodes.map((n) => new Promise((r) => (n.exitCode !== null ? r(null) : (n.once('exit', r), n.kill('SIGTERM'))))));
  await redis.stop();
  await db.stop();
  process.exit(0);
};
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
