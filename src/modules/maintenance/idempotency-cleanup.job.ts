import { Injectable, Logger } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import { IdempotencyRepository } from '../../common/idempotency/idempotency.repository';
import { AppConfig } from '../../config/app-config';
import { Db } from '../../database/db.service';

@Injectable()
export class IdempotencyCleanupJob {
  private readonly logger = new Logger('IdempotencyCleanup');

  constructor(private readonly db: Db, private readonly keys: IdempotencyRepository, private readonly config: AppConfig) {}

  @Cron(CronExpression.EVERY_HOUR)
  async scheduled(): Promise<void> {
    if (this.config.runJobs) await this.run();
  }

  async run(): Promise<number> {
    const removed = await this.keys.purgeExpired(this.db.dataSource.manager);
    if (removed > 0) this.logger.log(`removed ${removed} expired idempotency keys`);
    return removed;
  }
}
