import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { AppConfig } from '../../config/app-config';
import { ApprovalQueues } from './approval-queues';

/**
 * Expires what is still pending at its approvalDueAt — trades, transfers of rights and
 * regional trades — every EXPIRY_INTERVAL_MS (well within a minute). The interval is
 * registered with the scheduler, which stops it at shutdown.
 */
@Injectable()
export class ExpiryJob implements OnApplicationBootstrap {
  private readonly logger = new Logger('Expiry');
  private running = false;

  constructor(private readonly queues: ApprovalQueues, private readonly config: AppConfig, private readonly scheduler: SchedulerRegistry) {}

  onApplicationBootstrap(): void {
    if (this.config.runJobs) this.scheduler.addInterval('trade-expiry', setInterval(() => void this.tick(), this.config.expiryIntervalMs));
  }

  async tick(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      for (const queue of this.queues.all()) {
        try {
          let expired: number;
          do {
            expired = await queue.expireDue();
            if (expired > 0) this.logger.log(`expired ${expired} ${queue.noun} past their approval deadline`);
          } while (expired > 0);
        } catch (err) {
          this.logger.error(`expiry of ${queue.noun} failed: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
    } finally {
      this.running = false;
    }
  }
}
