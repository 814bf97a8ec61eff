import { Injectable } from '@nestjs/common';
import { Actor } from '../../common/auth/actor';
import { Db } from '../../database/db.service';
import { audienceOf, AudienceKey } from '../events/audience';
import { EntityReadRules, ReadRules, ReadRulesRegistry, Redaction, WHOLE } from '../events/read-rules';
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

  /**
   * None: API.md's list of what a regulator reads in the audit log (a participant, its keys,
   * deposits and withdrawals, …) leaves webhooks out. A webhook's URL is its owner's private
   * configuration, read by GET /v1/webhooks only by the owner, so its entries are the
   * operator's alone.
   */
  async auditRegions(_entityType: 'webhook', ids: readonly string[]): Promise<ReadonlyMap<string, readonly string[]>> {
    return new Map(ids.map((id) => [id, []]));
  }
}
