import { Injectable } from '@nestjs/common';
import { Actor } from '../../common/auth/actor';
import { Db } from '../../database/db.service';
import { audienceOf, AudienceKey } from '../events/audience';
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

  /** The parties, and regulators over either party's region (one who may decide it covers both). */
  async audience(_entityType: 'trade', ids: readonly string[]): Promise<ReadonlyMap<string, readonly AudienceKey[]>> {
    return new Map((await this.rows.accessOf(this.db.manager, ids)).map((t) => [t.id, audienceOf([t.buyer_id, t.seller_id], [t.buyer_region_code, t.seller_region_code])]));
  }

  /** A trade by its market's region. */
  async auditRegions(_entityType: 'trade', ids: readonly string[]): Promise<ReadonlyMap<string, readonly string[]>> {
    return marketRegions((await this.rows.accessOf(this.db.manager, ids)).map((t) => ({ id: t.id, marketId: t.market_id })));
  }
}
