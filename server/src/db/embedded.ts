import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { ensureFerretdb } from '../../../scripts/ferretdb.mjs';
import type { Logger } from '../logger.ts';

export interface EmbeddedDb {
  /** mongodb://127.0.0.1:<port>/ without a database name. */
  baseUri: string;
  stop(): Promise<void>;
}

const LISTENING = /Listening on TCP 127\.0\.0\.1:(\d+)/;

/**
 * Starts FerretDB (SQLite backend) as a child process on a free loopback port with
 * its files in `dataDir`, building the binary first if this machine lacks it.
 */
export async function startEmbeddedDb(dataDir: string, log: Logger): Promise<EmbeddedDb> {
  let bin: string;
  try {
    bin = await ensureFerretdb((line) => log.info(line));
  } catch (err) {
    throw new Error(`${(err as Error).message}`, { cause: err });
  }
  const dir = join(dataDir, 'ferretdb');
  mkdirSync(dir, { recursive: true });
  const child = spawn(
    bin,
    [
      '--handler=sqlite',
      `--sqlite-url=file:${dir}/`,
      `--state-dir=${dir}`,
      '--listen-addr=127.0.0.1:0',
      '--debug-addr=127.0.0.1:0',
      '--telemetry=disable',
      '--log-format=json',
      '--log-level=INFO',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const port = await waitForPort(child, log);
  child.once('exit', (code, signal) => {
    if (!stopping) log.error({ code, signal }, 'the embedded database stopped unexpectedly');
  });
  let stopping = false;
  log.info({ port, dir }, 'embedded database (FerretDB, SQLite) started');
  return {
    baseUri: `mongodb://127.0.0.1:${port}/`,
    stop: () => {
      stopping = true;
      return stopChild(child);
    },
  };
}

function waitForPort(child: ChildProcess, log: Logger): Promise<number> {
  return new Promise((resolve, reject) => {
    const tail: string[] = [];
    const onLine = (line: string) => {
      const m = LISTENING.exec(line);
      if (m) {
        resolve(Number(m[1]));
        return;
      }
      tail.push(line);
      if (tail.length > 20) tail.shift();
      // FerretDB logs every refused command at WARN (duplicate keys, existing collections): only its errors matter here.
      if (/"level":"ERROR"/.test(line)) log.warn({ ferretdb: line }, 'embedded database error');
    };
    // FerretDB logs to stderr; INFO is asked for only to learn the port it picked.
    createInterface({ input: child.stdout! }).on('line', onLine);
    createInterface({ input: child.stderr! }).on('line', onLine);
    child.once('error', (err) => reject(new Error(`cannot start the embedded database: ${err.message}`)));
    child.once('exit', (code, signal) =>
      reject(
        new Error(
          `the embedded database exited at start (${signal ?? `code ${code}`}): ${tail.slice(-3).join(' | ')}. ` +
            'Set MONGODB_URI to use an existing MongoDB server instead.',
        ),
      ),
    );
    setTimeout(() => reject(new Error('the embedded database did not start within 30 s')), 30_000).unref();
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
