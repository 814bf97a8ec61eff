import { Injectable, Logger } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import { AppConfig } from '../../config/app-config';
import { Db } from '../../database/db.service';
import { WebhooksRepository } from './webhooks.repository';

/**
 * Keeps the delivery log to `WEBHOOK_DELIVERY_RETENTION_DAYS`: a receiver that fails for a
 * day logs an attempt per backoff step on every webhook it serves, and the log is only
 * for looking back at recent deliveries (deliveries are not audited: API.md).
 */
@Injectable()
export class WebhookLogRetentionJob {
  private readonly logger = new Logger('WebhookLogRetention');

  constructor(private readonly db: Db, private readonly repo: WebhooksRepository, private readonly config: AppConfig) {}

  @Cron(CronExpression.EVERY_HOUR)
  async scheduled(): Promise<void> {
    if (this.config.runJobs) await this.run();
  }

  async run(): Promise<number> {
    const removed = await this.repo.purgeDeliveries(this.db.dataSource.manager, this.config.webhooks.deliveryRetentionDays);
    if (removed > 0) this.logger.log(`removed ${removed} webhook delivery attempts older than ${this.config.webhooks.deliveryRetentionDays} days`);
    return removed;
  }
}
