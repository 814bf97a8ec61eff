import { Injectable } from '@nestjs/common';
import { Actor } from '../../common/auth/actor';
import { Db } from '../../database/db.service';
import { EntityReadRules, marketRegions, ReadRules, ReadRulesRegistry, Redaction, WHOLE } from '../events/read-rules';
import { Jurisdiction } from '../regions/jurisdiction.service';
import { TradesRepository } from './trades.repository';
import { TradesService } from './trades.service';

/** Trades, as GET /v1/trades/:id reads them: the parties, the operator, regulators who may decide it. */
@Injectable()
export class TradeReadRules extends ReadRules implements EntityReadRules {
  readonly entityTypes = ['trade'] as const;

  constructor(
    registry: ReadRulesRegistry,
    private readonly db: Db,
    private readonly trades: TradesService,
    private readonly rows: TradesRepository,
    private readonly jurisdiction: Jurisdiction,
  ) {
    super(registry);
  }

  async readable(actor: Actor, _entityType: 'trade', ids: readonly string[]): Promise<ReadonlyMap<string, Redaction>> {
    const batch = this.jurisdiction.forBatch();
    return this.sift(await this.rows.accessOf(this.db.manager, ids), (t) => t.id, async (t) => ((await this.trades.canRead(actor, t, batch)) ? WHOLE : null));
  }

  /** A trade by its market's region. */
  async auditRegions(_entityType: 'trade', ids: readonly string[]): Promise<ReadonlyMap<string, readonly string[]>> {
    return marketRegions((await this.rows.accessOf(this.db.manager, ids)).map((t) => ({ id: t.id, marketId: t.market_id })));
  }
}
