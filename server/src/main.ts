// `npm start`: one Callboard node. Configuration comes from the environment (API.md §1).
import { randomBytes } from 'node:crypto';
import { ConfigError, loadConfig } from './config.ts';
import { createLogger } from './logger.ts';
import { startServer, type RunningServer } from './app.ts';
import { formatDemoLogins } from './demo/seed.ts';
import { simulateAlongside } from './simulate/alongside.ts';

// `npm start -- --simulate`: signed provider traffic for the demo tenants from the start.
const simulate = process.argv.includes('--simulate');
// The simulator provisions its webhook endpoints as the operator; without an
// ADMIN_TOKEN this process makes one that only the simulator is given.
const env = simulate && !process.env.ADMIN_TOKEN ? { ...process.env, ADMIN_TOKEN: randomBytes(24).toString('hex') } : process.env;

let config;
try {
  config = loadConfig(env);
} catch (err) {
  console.error(err instanceof ConfigError ? err.message : String(err));
  process.exit(1);
}

const log = createLogger(config.logLevel, config.nodeId);
let server: RunningServer | null = null;
let simulator: { stop(): void } | null = null;
let stopping = false;

// Installed before anything is announced: until a handler exists, SIGTERM kills
// the process outright, so a supervisor that signals on "running" would race it.
const stop = (signal: string) => {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, 'shutting down');
  setTimeout(() => {
    log.error('shutdown took too long; exiting');
    process.exit(1);
  }, 15_000).unref();
  simulator?.stop();
  // Still starting: the start-up path closes what it opened once it can.
  if (!server) return;
  server.close().then(
    () => process.exit(0),
    (err: unknown) => {
      log.error({ err }, 'shutdown failed');
      process.exit(1);
    },
  );
};
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));

try {
  server = await startServer(config, log);
  if (stopping) {
    await server.close();
    process.exit(0);
  }
  const shownUrl = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${server.port}`;
  if (server.demoLogins) console.log(formatDemoLogins(server.demoLogins, shownUrl));
  console.log(`Callboard is running at ${shownUrl} (node ${config.nodeId})`);
  if (simulate) simulator = simulateAlongside(`http://127.0.0.1:${server.port}`, config.adminToken!, log);
} catch (err) {
  console.error(`Callboard could not start: ${(err as Error).message}`);
  process.exit(1);
}
