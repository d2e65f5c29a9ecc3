// `npm run db`: the embedded database alone, in the foreground, for operators and
// for tests that share one database between several server processes.
import { ConfigError, loadConfig } from '../config.ts';
import { createLogger } from '../logger.ts';
import { DEFAULT_DB_NAME } from './mongo.ts';
import { startEmbeddedDb } from './embedded.ts';

try {
  const config = loadConfig();
  const log = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel, config.nodeId);
  const db = await startEmbeddedDb(config.dataDir, log);
  const stop = () => {
    void db.stop().then(() => process.exit(0));
  };
  // handlers first: a supervisor may signal as soon as it reads the line below
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  console.log(`MONGODB_URI=${db.baseUri}${DEFAULT_DB_NAME}`);
} catch (err) {
  console.error(err instanceof ConfigError ? err.message : `cannot start the embedded database: ${(err as Error).message}`);
  process.exit(1);
}
