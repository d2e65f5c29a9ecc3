// Builds the embedded database, FerretDB 1.24 (SQLite backend), from its Go module.
// `go install …@v1.24.2` alone yields a binary that panics at start, because the
// module ships without build/version/version.txt; so the module source is copied,
// that file written, and the command built from the copy.
import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { withLock } from './lock.mjs';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const FERRETDB_VERSION = 'v1.24.2';
export const FERRETDB_MODULE = 'github.com/FerretDB/FerretDB';
export const TOOLS_DIR = join(ROOT, '.tools');
export const FERRETDB_BIN = join(TOOLS_DIR, 'bin', 'ferretdb');

function makeWritable(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = statSync(p);
    chmodSync(p, st.mode | 0o200);
    if (st.isDirectory()) makeWritable(p);
  }
}

function build(log) {
  try {
    execFileSync('go', ['version'], { stdio: 'ignore' });
  } catch {
    throw new Error(
      'cannot build the embedded database: the Go toolchain (go) is not on PATH. ' +
        'Install Go 1.22+ or set MONGODB_URI to use an existing MongoDB server.',
    );
  }
  const env = { ...process.env, GOTOOLCHAIN: 'local', GOFLAGS: '-mod=mod' };
  log(`[setup] building the embedded database: FerretDB ${FERRETDB_VERSION} from its Go module (once, about a minute)`);
  const info = JSON.parse(
    execFileSync('go', ['mod', 'download', '-json', `${FERRETDB_MODULE}@${FERRETDB_VERSION}`], { env, encoding: 'utf8' }),
  );
  if (!info.Dir) throw new Error(`go mod download gave no source folder for ${FERRETDB_MODULE}: ${info.Error ?? 'unknown error'}`);
  const src = join(TOOLS_DIR, 'src', `ferretdb-${FERRETDB_VERSION}`);
  rmSync(src, { recursive: true, force: true });
  mkdirSync(dirname(src), { recursive: true });
  cpSync(info.Dir, src, { recursive: true });
  makeWritable(src);
  writeFileSync(join(src, 'build', 'version', 'version.txt'), `${FERRETDB_VERSION}\n`);
  mkdirSync(dirname(FERRETDB_BIN), { recursive: true });
  const tmp = `${FERRETDB_BIN}.${process.pid}.tmp`;
  execFileSync('go', ['build', '-trimpath', '-o', tmp, './cmd/ferretdb'], { cwd: src, env, stdio: 'inherit' });
  execFileSync(tmp, ['--version'], { stdio: 'ignore' });
  execFileSync('mv', [tmp, FERRETDB_BIN]);
  rmSync(src, { recursive: true, force: true });
  log(`[setup] embedded database built: ${FERRETDB_BIN}`);
}

/** Makes sure the FerretDB binary exists, building it under a lock when it does not. */
export async function ensureFerretdb(log = console.log) {
  if (existsSync(FERRETDB_BIN)) return FERRETDB_BIN;
  await withLock(join(TOOLS_DIR, '.build.lock'), 'the embedded database build', async () => {
    if (!existsSync(FERRETDB_BIN)) build(log);
  });
  return FERRETDB_BIN;
}
