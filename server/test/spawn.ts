import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';

const ROOT = resolve(import.meta.dirname, '../..');
const children: ChildProcess[] = [];

/** Kills every process this test file started that is still running. */
export function killAll() {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
}

/** Runs a server script as its own process (as `npm start` would), collecting its output lines. */
export function run(script: string, env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    cwd: ROOT,
    env: { PATH: process.env.PATH!, HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  const lines: string[] = [];
  const waiters: { re: RegExp; resolve: (m: RegExpMatchArray) => void }[] = [];
  const onLine = (line: string) => {
    lines.push(line);
    for (const w of [...waiters]) {
      const m = line.match(w.re);
      if (m) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(m);
      }
    }
  };
  createInterface({ input: child.stdout! }).on('line', onLine);
  createInterface({ input: child.stderr! }).on('line', onLine);
  const exited = new Promise<number | string | null>((r) => child.once('exit', (code, signal) => r(code ?? `signal ${signal}: ${lines.slice(-5).join(' | ')}`)));
  return {
    child,
    lines,
    exited,
    waitFor(re: RegExp, ms = 30_000) {
      const hit = lines.map((l) => l.match(re)).find(Boolean);
      if (hit) return Promise.resolve(hit);
      return new Promise<RegExpMatchArray>((res, rej) => {
        waiters.push({ re, resolve: res });
        setTimeout(() => rej(new Error(`no line matching ${re} in ${ms} ms; got:\n${lines.join('\n')}`)), ms).unref();
      });
    },
  };
}
