import { Injectable, Logger } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import { IdempotencyRepository } from '../../common/idempotency/idempotency.repository';
import { AppConfig } from '../../config/app-config';
import { Db } from '../../database/db.service';
import { WebhooksRepository } from '../webhooks/webhooks.repository';

/**
 * The only rows the service ever deletes on a schedule (docs/operations.md): Idempotency-Key
 * records past their replay window, and webhook delivery attempts older than
 * `WEBHOOK_DELIVERY_RETENTION_DAYS` (the log is for looking back at recent deliveries, and
 * a receiver failing for a day logs an attempt per backoff step). Each purge is one
 * idempotent delete, so instances running it together do no harm.
 */
@Injectable()
export class RetentionJob {
  private readonly logger = new Logger('Retention');

  constructor(
    private readonly db: Db,
    private readonly keys: IdempotencyRepository,
    private readonly webhooks: WebhooksRepository,
    private readonly config: AppConfig,
  ) {}

  @Cron(CronExpression.EVERY_HOUR)
  async scheduled(): Promise<void> {
    if (this.config.runJobs) await this.run();
  }

  async run(): Promise<{ idempotencyKeys: number; webhookDeliveries: number }> {
    const pool = this.db.dataSource.manager;
    const idempotencyKeys = await this.keys.purgeExpired(pool);
    if (idempotencyKeys > 0) this.logger.log(`removed ${idempotencyKeys} expired idempotency keys`);
    const days = this.config.webhooks.deliveryRetentionDays;
    const webhookDeliveries = await this.webhooks.purgeDeliveries(pool, days);
    if (webhookDeliveries > 0) this.logger.log(`removed ${webhookDeliveries} webhook delivery attempts older than ${days} days`);
    return { idempotencyKeys, webhookDeliveries };
  }
}
