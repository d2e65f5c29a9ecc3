// A cross-process lock made of an atomic mkdir, so two commands starting at
// once do not both install dependencies or build the same artefacts.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}

export async function withLock(dir, what, fn, { timeoutMs = 20 * 60_000 } = {}) {
  const started = Date.now();
  let told = false;
  mkdirSync(dirname(dir), { recursive: true });
  for (;;) {
    try {
      mkdirSync(dir);
      writeFileSync(join(dir, 'pid'), String(process.pid));
      break;
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
      let holder = NaN;
      try {
        holder = Number(readFileSync(join(dir, 'pid'), 'utf8'));
      } catch {
        // the holder has made the folder but not yet written its pid
      }
      if (Number.isInteger(holder) && holder > 0 && !alive(holder)) {
        rmSync(dir, { recursive: true, force: true });
        continue;
      }
      if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what} (lock ${dir})`);
      if (!told) {
        console.log(`[setup] waiting: another process is doing ${what}`);
        told = true;
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
