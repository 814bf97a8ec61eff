import { Injectable } from '@nestjs/common';
import { Actor } from '../../common/auth/actor';
import { Db } from '../../database/db.service';
import { audienceOf, AudienceKey } from '../events/audience';
import { EntityReadRules, ReadRules, ReadRulesRegistry, Redaction, WHOLE } from '../events/read-rules';
import { ParticipantsService } from '../participants/participants.service';
import { WebhooksRepository } from './webhooks.repository';
import { mayReadWebhook } from './webhooks.service';

/** Webhooks, as GET /v1/webhooks reads them: the owner's own. */
@Injectable()
export class WebhookReadRules extends ReadRules implements EntityReadRules {
  readonly entityTypes = ['webhook'] as const;

  constructor(
    registry: ReadRulesRegistry,
    private readonly db: Db,
    private readonly webhooks: WebhooksRepository,
    private readonly participants: ParticipantsService,
  ) {
    super(registry);
  }

  async readable(actor: Actor, _entityType: 'webhook', ids: readonly string[]): Promise<ReadonlyMap<string, Redaction>> {
    return this.sift(await this.webhooks.findMany(this.db.manager, ids), (w) => w.id, (w) => (mayReadWebhook(actor, w) ? WHOLE : null));
  }

  /** Its owner's. */
  async audience(_entityType: 'webhook', ids: readonly string[]): Promise<ReadonlyMap<string, readonly AudienceKey[]>> {
    return new Map((await this.webhooks.findMany(this.db.manager, ids)).map((w) => [w.id, audienceOf([w.owner_id])]));
  }

  /** A webhook by its owner's region, like the owner's keys. */
  async auditRegions(_entityType: 'webhook', ids: readonly string[]): Promise<ReadonlyMap<string, readonly string[]>> {
    const hooks = await this.webhooks.findMany(this.db.manager, ids);
    const owners = await this.participants.findMany(this.db.manager, [...new Set(hooks.map((w) => w.owner_id))]);
    return this.regionsBy(hooks, (w) => w.id, (w) => [owners.get(w.owner_id)?.region_code]);
  }
}
