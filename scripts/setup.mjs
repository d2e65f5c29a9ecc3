#!/usr/bin/env node
// One-time set-up that `npm start`, `npm test` and `npm run db` do for themselves,
// idempotently and under a lock: `deps` (npm ci when package-lock.json changed),
// `ferretdb` (build the embedded database), `web` (build the dashboard when its
// sources changed). Uses only Node's own modules: it runs before dependencies exist.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ensureFerretdb, ROOT } from './ferretdb.mjs';
import { withLock } from './lock.mjs';

const STAMPS = join(ROOT, '.stamps');
const log = (line) => console.log(line);

function hashFiles(paths) {
  const h = createHash('sha256');
  const walk = (p) => {
    if (!existsSync(p)) return;
    const st = statSync(p);
    if (st.isDirectory()) {
      for (const name of readdirSync(p).sort()) {
        if (name === 'node_modules' || name === '.svelte-kit' || name === 'build') continue;
        walk(join(p, name));
      }
    } else {
      h.update(relative(ROOT, p));
      h.update(readFileSync(p));
    }
  };
  for (const p of paths) walk(join(ROOT, p));
  return h.digest('hex');
}

function stamped(name, hash) {
  const file = join(STAMPS, name);
  return existsSync(file) && readFileSync(file, 'utf8') === hash;
}

function stamp(name, hash) {
  mkdirSync(STAMPS, { recursive: true });
  writeFileSync(join(STAMPS, name), hash);
}

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

const steps = {
  deps() {
    const hash = hashFiles(['package-lock.json', 'package.json', 'shared/package.json', 'server/package.json', 'web/package.json']);
    if (existsSync(join(ROOT, 'node_modules')) && stamped('deps', hash)) return;
    log('[setup] installing dependencies (npm ci)');
    execFileSync(npm, ['ci', '--no-audit', '--no-fund'], { cwd: ROOT, stdio: 'inherit' });
    stamp('deps', hash);
  },
  async ferretdb() {
    await ensureFerretdb(log);
  },
  web() {
    const hash = hashFiles(['web', 'shared/src', 'package-lock.json']);
    if (existsSync(join(ROOT, 'web/build/index.html')) && stamped('web', hash)) return;
    log('[setup] building the dashboard (vite build)');
    execFileSync(npm, ['run', '-s', '-w', 'web', 'build', '--', '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit' });
    stamp('web', hash);
  },
};

const wanted = process.argv.slice(2);
for (const name of wanted) {
  if (!(name in steps)) {
    console.error(`[setup] unknown step "${name}"; known: ${Object.keys(steps).join(', ')}`);
    process.exit(2);
  }
}

try {
  await withLock(join(ROOT, '.setup.lock'), `set-up (${wanted.join(', ')})`, async () => {
    for (const name of wanted) await steps[name]();
  });
} catch (err) {
  console.error(`[setup] ${err.message}`);
  process.exit(1);
}
