import type { AppContext } from '../context.ts';
import type { Logger } from '../logger.ts';
import { RepairPass, type RepairOptions } from './repair.ts';
import { Retention, type RetentionOptions } from './retention.ts';

export interface ChangeJobOptions {
  repairEveryMs?: number;
  retentionEveryMs?: number;
  repair?: RepairOptions;
  retention?: RetentionOptions;
}

export interface ChangeJobs {
  repair: RepairPass;
  retention: Retention;
  stop(): Promise<void>;
}

/**
 * Runs `job` every `ms` after the previous run ends (a slow database never makes
 * runs pile up). `stop` waits for a run in progress, so the database can close after.
 */
function every(ms: number, name: string, log: Logger, job: () => Promise<unknown>) {
  let stopped = false;
  let running: Promise<void> | null = null;
  let timer: NodeJS.Timeout;
  const schedule = () => {
    timer = setTimeout(() => {
      running = job()
        .then(
          () => undefined,
          (err: unknown) => log.warn({ err }, `${name} failed`),
        )
        .finally(() => {
          running = null;
          if (!stopped) schedule();
        });
    }, ms);
    timer.unref();
  };
  schedule();
  return async () => {
    stopped = true;
    clearTimeout(timer);
    await running;
  };
}

/** Starts the event log's background jobs on this node: the repair pass and retention pruning. */
export function startChangeJobs(ctx: Pick<AppContext, 'models' | 'changes' | 'log'>, opts: ChangeJobOptions = {}): ChangeJobs {
  const log = ctx.log.child({ module: 'change-jobs' });
  const repair = new RepairPass({ ...ctx, log }, opts.repair);
  const retention = new Retention({ ...ctx, log }, opts.retention);
  const stops = [
    every(opts.repairEveryMs ?? 1_000, 'event log repair', log, () => repair.runOnce()),
    every(opts.retentionEveryMs ?? 10 * 60_000, 'event log pruning', log, () => retention.runOnce()),
  ];
  return {
    repair,
    retention,
    async stop() {
      await Promise.all(stops.map((stop) => stop()));
    },
  };
}
