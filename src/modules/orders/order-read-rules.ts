import { Injectable } from '@nestjs/common';
import { Actor } from '../../common/auth/actor';
import { Db } from '../../database/db.service';
import { audienceOf, AudienceKey } from '../events/audience';
import { EntityReadRules, marketRegions, ReadRules, ReadRulesRegistry, Redaction, WHOLE } from '../events/read-rules';
import { OrdersRepository } from './orders.repository';
import { mayReadOrder } from './orders.service';

/** Orders, as GET /v1/orders/:id reads them: the owner and the operator. */
@Injectable()
export class OrderReadRules extends ReadRules implements EntityReadRules {
  readonly entityTypes = ['order'] as const;

  constructor(registry: ReadRulesRegistry, private readonly db: Db, private readonly orders: OrdersRepository) {
    super(registry);
  }

  async readable(actor: Actor, _entityType: 'order', ids: readonly string[]): Promise<ReadonlyMap<string, Redaction>> {
    return this.sift(await this.orders.holdsOf(this.db.manager, ids), (o) => o.id, (o) => (mayReadOrder(actor, o) ? WHOLE : null));
  }

  /** Its owner's. */
  async audience(_entityType: 'order', ids: readonly string[]): Promise<ReadonlyMap<string, readonly AudienceKey[]>> {
    return new Map((await this.orders.holdsOf(this.db.manager, ids)).map((o) => [o.id, audienceOf([o.participant_id])]));
  }

  /** An order by its market's region. */
  async auditRegions(_entityType: 'order', ids: readonly string[]): Promise<ReadonlyMap<string, readonly string[]>> {
    return marketRegions((await this.orders.marketsOf(this.db.manager, ids)).map((o) => ({ id: o.id, marketId: o.market_id })));
  }
}
