import type { SchedulerRegistry } from '@nestjs/schedule';
import type { AppConfig } from '../../config/app-config';

/**
 * Registers a background job that runs every EXPIRY_INTERVAL_MS (expiries, the closes of
 * auctions and regional trades), unless the configuration switches jobs off. The scheduler
 * stops it at shutdown. A run that is still going when the next is due makes that one a
 * no-op, so one instance never runs the job twice at once; instances share the work
 * through row locks.
 */
export function everyExpiryInterval(scheduler: SchedulerRegistry, config: AppConfig, name: string, run: () => Promise<void>): void {
  everyInterval(scheduler, config, name, config.expiryIntervalMs, run);
}

/** `everyExpiryInterval` at an interval of the job's own. */
export function everyInterval(scheduler: SchedulerRegistry, config: AppConfig, name: string, ms: number, run: () => Promise<void>): void {
  if (!config.runJobs) return;
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      await run();
    } finally {
      running = false;
    }
  };
  scheduler.addInterval(name, setInterval(() => void tick(), ms));
}
