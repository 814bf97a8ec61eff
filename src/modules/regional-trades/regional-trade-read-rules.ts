import { Injectable } from '@nestjs/common';
import { Actor } from '../../common/auth/actor';
import { EntityReadRules, ReadRules, ReadRulesRegistry, Redaction, WHOLE } from '../events/read-rules';
import { RegionalTradesService } from './regional-trades.service';

/**
 * Regional trades (any authenticated caller reads them) and their sealed interests (the
 * bidder and the operator; after the close the seller and the approving level too), as
 * their GETs read them.
 */
@Injectable()
export class RegionalTradeReadRules extends ReadRules implements EntityReadRules {
  readonly entityTypes = ['regionalTrade', 'regionalInterest'] as const;

  constructor(registry: ReadRulesRegistry, private readonly trades: RegionalTradesService) {
    super(registry);
  }

  async readable(actor: Actor, entityType: 'regionalTrade' | 'regionalInterest', ids: readonly string[]): Promise<ReadonlyMap<string, Redaction>> {
    const visible = entityType === 'regionalTrade' ? await this.trades.visibleTradeIds(actor, ids) : await this.trades.visibleInterestIds(actor, ids);
    return new Map(visible.map((id) => [id, WHOLE]));
  }
}
