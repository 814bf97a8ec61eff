import { Module, OnModuleInit } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { AuditService } from '../audit/audit.service';
import { EventsModule } from '../events/events.module';
import { ParticipantsModule } from '../participants/participants.module';
import { WebhookDispatcher } from './webhook-dispatcher';
import { WebhookReadRules } from './webhook-read-rules';
import { WebhooksController } from './webhooks.controller';
import { WebhooksRepository } from './webhooks.repository';
import { WebhooksService } from './webhooks.service';

/** Webhooks: registration, the outbox the audit flush fills, and the dispatcher that empties it. */
@Module({
  imports: [AuditModule, EventsModule, ParticipantsModule],
  controllers: [WebhooksController],
  providers: [WebhooksRepository, WebhooksService, WebhookDispatcher, WebhookReadRules],
  exports: [WebhookDispatcher, WebhooksRepository],
})
export class WebhooksModule implements OnModuleInit {
  constructor(private readonly audit: AuditService, private readonly repo: WebhooksRepository) {}

  /** The outbox is written by the flush of every transaction that audits something, with it. */
  onModuleInit(): void {
    this.audit.onSealed(this.repo.enqueueStep);
  }
}
