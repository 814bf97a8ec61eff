import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { FailureLog } from '../../common/jobs/failure-log';
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
  private readonly failures = new FailureLog(this.logger, 'expiry');

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
        this.failures.succeeded(queue.noun);
      } catch (err) {
        this.failures.failed(err, queue.noun);
      }
    }
  }
}
