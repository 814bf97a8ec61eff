import { Module } from '@nestjs/common';
import { IdempotencyModule } from '../../common/idempotency/idempotency.module';
import { WebhooksModule } from '../webhooks/webhooks.module';
import { RetentionJob } from './retention.job';

@Module({ imports: [IdempotencyModule, WebhooksModule], providers: [RetentionJob] })
export class MaintenanceModule {}
