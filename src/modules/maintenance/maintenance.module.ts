import { Module } from '@nestjs/common';
import { IdempotencyModule } from '../../common/idempotency/idempotency.module';
import { IdempotencyCleanupJob } from './idempotency-cleanup.job';

@Module({ imports: [IdempotencyModule], providers: [IdempotencyCleanupJob] })
export class MaintenanceModule {}
