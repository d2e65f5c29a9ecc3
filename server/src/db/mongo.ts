import mongoose, { type Connection } from 'mongoose';
import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import { startEmbeddedDb, type EmbeddedDb } from './embedded.ts';
import { markFerretDb } from './single-doc.ts';

export interface Database {
  conn: Connection;
  embedded: EmbeddedDb | null;
  /** FerretDB (embedded or not) lacks atomic read-modify-writes; see doc-lock.ts */
  isFerretDb: boolean;
  /** true when the database answers a ping within a second. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

export const DEFAULT_DB_NAME = 'callboard';

/** Connects to MONGODB_URI, or starts the embedded database when it is unset. */
export async function openDatabase(config: Config, log: Logger): Promise<Database> {
  const embedded = config.mongodbUri ? null : await startEmbeddedDb(config.dataDir, log.child({ module: 'ferretdb' }));
  const uri = config.mongodbUri ?? `${embedded!.baseUri}${DEFAULT_DB_NAME}`;
  const conn = mongoose.createConnection(uri, {
    serverSelectionTimeoutMS: 2_500,
    // Fail fast while the database is away, so requests answer 503 instead of hanging.
    bufferCommands: false,
    autoIndex: true,
  });
  try {
    await conn.asPromise();
  } catch (err) {
    await embedded?.stop();
    throw new Error(`cannot connect to the database at ${redactUri(uri)}: ${(err as Error).message}`, { cause: err });
  }
  const buildInfo = await conn.db!.admin().command({ buildInfo: 1 });
  const isFerretDb = typeof buildInfo.ferretdbVersion === 'string';
  if (isFerretDb) markFerretDb(conn);
  log.info({ db: redactUri(uri), ferretdb: isFerretDb }, 'database connected');
  return {
    conn,
    embedded,
    isFerretDb,
    async ping() {
      try {
        const admin = conn.db?.admin();
        if (!admin) return false;
        await Promise.race([
          admin.command({ ping: 1 }),
          new Promise((_, reject) => setTimeout(() => reject(new Error('ping timeout')), 1_000).unref()),
        ]);
        return true;
      } catch {
        return false;
      }
    },
    async close() {
      await conn.close();
      await embedded?.stop();
    },
  };
}

export function redactUri(uri: string) {
  return uri.replace(/\/\/[^@/]*@/, '//***@');
}
