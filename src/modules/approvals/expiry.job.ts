import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { everyExpiryInterval } from '../../common/jobs/interval';
import { AppConfig } from '../../config/app-config';
import { ApprovalQueues } from './approval-queues';

/**
 * Expires what is still pending at its approvalDueAt — trades, transfers of rights and
 * regional trades — every EXPIRY_INTERVAL_MS (well within a minute).
 */
@Injectable()
export class ExpiryJob implements OnApplicationBootstrap {
  private readonly logger = new Logger('Expiry');

  constructor(private readonly queues: ApprovalQueues, private readonly config: AppConfig, private readonly scheduler: SchedulerRegistry) {}

  onApplicationBootstrap(): void {
    everyExpiryInterval(this.scheduler, this.config, 'trade-expiry', () => this.tick());
  }

  async tick(): Promise<void> {
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
  }
}
