import { Injectable, Logger } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import { AppConfig } from '../../config/app-config';
import { Db } from '../../database/db.service';

/** Keys are promised for at least 24 h; keeping them 72 h covers clients that retry late. */
export const IDEMPOTENCY_RETENTION = "interval '72 hours'";

@Injectable()
export class IdempotencyCleanupJob {
  private readonly logger = new Logger('IdempotencyCleanup');

  constructor(private readonly db: Db, private readonly config: AppConfig) {}

  @Cron(CronExpression.EVERY_HOUR)
  async scheduled(): Promise<void> {
    if (this.config.runJobs) await this.run();
  }

  async run(): Promise<number> {
    const result = await this.db.dataSource.query(`DELETE FROM idempotency_keys WHERE created_at < now() - ${IDEMPOTENCY_RETENTION}`);
    const removed = Array.isArray(result) ? Number(result[1] ?? 0) : 0;
    if (removed > 0) this.logger.log(`removed ${removed} expired idempotency keys`);
    return removed;
  }
}
