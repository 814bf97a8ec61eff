import { Injectable } from '@nestjs/common';
import { Actor } from '../../common/auth/actor';
import { Db } from '../../database/db.service';
import { EntityReadRules, ReadRules, ReadRulesRegistry, Redaction, WHOLE } from '../events/read-rules';
import { RegionalTradesRepository } from './regional-trades.repository';
import { RegionalTradesService } from './regional-trades.service';

/**
 * Regional trades (any authenticated caller reads them) and their sealed interests (the
 * bidder and the operator; after the close the seller and the approving level too), as
 * their GETs read them.
 */
@Injectable()
export class RegionalTradeReadRules extends ReadRules implements EntityReadRules {
  readonly entityTypes = ['regionalTrade', 'regionalInterest'] as const;

  constructor(
    registry: ReadRulesRegistry,
    private readonly db: Db,
    private readonly trades: RegionalTradesService,
    private readonly rows: RegionalTradesRepository,
  ) {
    super(registry);
  }

  async readable(actor: Actor, entityType: 'regionalTrade' | 'regionalInterest', ids: readonly string[]): Promise<ReadonlyMap<string, Redaction>> {
    const visible = entityType === 'regionalTrade' ? await this.trades.visibleTradeIds(actor, ids) : await this.trades.visibleInterestIds(actor, ids);
    return new Map(visible.map((id) => [id, WHOLE]));
  }

  /** A regional trade by either region; an interest by the regions of its trade. */
  async auditRegions(entityType: 'regionalTrade' | 'regionalInterest', ids: readonly string[]): Promise<ReadonlyMap<string, readonly string[]>> {
    const owned = entityType === 'regionalTrade'
      ? ids.map((id) => ({ id, tradeId: id }))
      : (await this.rows.findInterests(this.db.manager, ids)).map((i) => ({ id: i.id, tradeId: i.regional_trade_id }));
    const trades = new Map((await this.rows.findMany(this.db.manager, [...new Set(owned.map((o) => o.tradeId))])).map((t) => [t.id, t]));
    return this.regionsBy(owned, (o) => o.id, (o) => [trades.get(o.tradeId)?.seller_region_code, trades.get(o.tradeId)?.buyer_region_code]);
  }
}
