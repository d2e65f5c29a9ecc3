import type { Config } from './config.ts';
import type { Logger } from './logger.ts';
import type { Database } from './db/mongo.ts';
import type { Models } from './db/models.ts';
import type { ChangeLog } from './changes/publish.ts';
import type { SecretBox } from './crypto/secrets.ts';
import type { RateLimiter } from './http/rate-limit.ts';

/** Ends live sockets when their credentials stop working (logout, disabled user, deleted key). */
export interface SocketRevoker {
  endSockets(kind: 'user' | 'session' | 'apiKey', id: string): void;
}

/** What services are built from: created once per server in app.ts. */
export interface AppContext {
  config: Config;
  log: Logger;
  db: Database;
  models: Models;
  changes: ChangeLog;
  secrets: SecretBox;
  limiter: RateLimiter;
  sockets: SocketRevoker;
}
