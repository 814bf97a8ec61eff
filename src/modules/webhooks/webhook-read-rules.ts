import { Injectable } from '@nestjs/common';
import { Actor } from '../../common/auth/actor';
import { Db } from '../../database/db.service';
import { EntityReadRules, ReadRules, ReadRulesRegistry, Redaction, WHOLE } from '../events/read-rules';
import { WebhooksRepository } from './webhooks.repository';
import { mayReadWebhook } from './webhooks.service';

/** Webhooks, as GET /v1/webhooks reads them: the owner's own. */
@Injectable()
export class WebhookReadRules extends ReadRules implements EntityReadRules {
  readonly entityTypes = ['webhook'] as const;

  constructor(registry: ReadRulesRegistry, private readonly db: Db, private readonly webhooks: WebhooksRepository) {
    super(registry);
  }

  async readable(actor: Actor, _entityType: 'webhook', ids: readonly string[]): Promise<ReadonlyMap<string, Redaction>> {
    return this.sift(await this.webhooks.findMany(this.db.manager, ids), (w) => w.id, (w) => (mayReadWebhook(actor, w) ? WHOLE : null));
  }
}
