import { Injectable } from '@nestjs/common';
import { GroupResolver } from '../../common/idempotency/transaction-group';
import { mayDecideOnCreation } from '../../core/approval';
import { Db } from '../../database/db.service';
import { MarketsRepository } from '../markets/markets.repository';
import { policyOf } from '../trades/settlement.service';

/**
 * The group a market's placements share (decision 0026), for markets whose trades wait for
 * approval. Where trades settle as they open (filing, auto-approval), a placement locks
 * rows every market shares (both parties' accounts, the operator's cash when there is a
 * fee) and a batch would hold them until its last member is done: measured, eight such
 * markets lost throughput and grew a tail, so their placements run alone. A market's
 * approval mode never changes, so the answer is kept per instance.
 */
@Injectable()
export class PlacementGroups implements GroupResolver {
  private readonly batchable = new Map<string, boolean>();

  constructor(private readonly db: Db, private readonly markets: MarketsRepository) {}

  async groupOf(params: Record<string, string>): Promise<string | undefined> {
    return this.of(params.id);
  }

  async of(marketId: string): Promise<string | undefined> {
    let batchable = this.batchable.get(marketId);
    if (batchable === undefined) {
      const market = await this.markets.find(this.db.manager, marketId);
      // An unknown market is refused under the transaction as before; nothing is kept for it.
      if (!market) return undefined;
      batchable = !mayDecideOnCreation(policyOf(market));
      this.batchable.set(marketId, batchable);
    }
    return batchable ? `placements:${marketId}` : undefined;
  }
}
