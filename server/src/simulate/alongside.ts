import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import type { Logger } from '../logger.ts';

/** The demo tenants the simulator feeds when `npm start -- --simulate` runs it beside the server. */
const DEMO_TENANTS = ['riyadh-rentals', 'harbour-lettings'];

/**
 * Runs the traffic simulator against this server for each demo tenant, so a
 * newcomer sees live calls at once. The operator token goes to the children
 * only through their environment.
 */
export function simulateAlongside(url: string, adminToken: string, log: Logger): { stop(): void } {
  const children: ChildProcess[] = DEMO_TENANTS.map((tenant) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', resolve(import.meta.dirname, 'main.ts'), '--tenant', tenant, '--rate', '6', '--duration', '3600', '--url', url],
      { env: { ...process.env, ADMIN_TOKEN: adminToken }, stdio: ['ignore', 'ignore', 'inherit'] },
    );
    child.once('exit', (code) => {
      if (code) log.warn({ tenant, code }, 'the traffic simulator stopped');
    });
    return child;
  });
  log.info({ tenants: DEMO_TENANTS }, 'simulated provider traffic is running (--simulate)');
  return {
    stop() {
      for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
    },
  };
}
