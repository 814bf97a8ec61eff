import { Injectable } from '@nestjs/common';
import { GroupResolver } from '../../common/idempotency/transaction-group';
import { mayDecideOnCreation } from '../../core/approval';
import { AppConfig } from '../../config/app-config';
import { Db, Tx } from '../../database/db.service';
import { BatchPrelude, GroupRef } from '../../database/transaction-groups';
import { MarketsRepository } from '../markets/markets.repository';
import { MarketsService } from '../markets/markets.service';
import { RegionTree } from '../regions/region-tree';
import { policyOf } from '../trades/settlement.service';
import { placementQueueOf } from './placement-queues';

/**
 * A filing market's batches start from this many waiting placements, not from MIN_BATCH:
 * there a member locks both parties' cash and quota, rows other markets share, and a batch
 * holds them until its last member is done. From three waiting, eight such markets lost
 * throughput and grew a tail; from six, they batch rarely, and one busy market gains
 * (docs/performance-log.md, "Fees in a book per market, and filing markets batch from a
 * deeper queue"). That was with a queue per market; in a queue that markets share
 * (decision 0044) six wait whenever eight placements of its markets are in flight. Once a
 * settled trade locked nothing again (decision 0031 amended), three and six were level.
 */
export const MIN_SETTLING_BATCH = 6;

/**
 * The group a market's placements share (decisions 0026 and 0044). An instance's markets
 * share PLACEMENT_QUEUES queues (one by default), so placements of different markets
 * batch together: one commit, one sealing round. Markets whose trades settle as they
 * open (filing, auto-approval) have queues of their own, which batch only from a deeper
 * queue (MIN_SETTLING_BATCH). A market's approval mode never changes, so the answer is
 * kept per instance.
 */
@Injectable()
export class PlacementGroups implements GroupResolver {
  private readonly known = new Map<string, { group: GroupRef; settles: boolean }>();

  constructor(
    private readonly db: Db,
    private readonly markets: MarketsRepository,
    private readonly marketLocks: MarketsService,
    private readonly config: AppConfig,
    private readonly tree: RegionTree,
  ) {}

  /** A batch of several markets' placements locks them all at once (decision 0050). */
  private readonly lockAhead: BatchPrelude = (tx, marketIds) => this.marketLocks.lockAheadForPlacements(tx, marketIds);

  /** The same where trades settle as they open, the region tree held first (rank 1; see `holdTreeIfSettling`). */
  private readonly settlingLockAhead: BatchPrelude = async (tx, marketIds) => {
    await this.tree.holdSteadyAhead(tx);
    await this.marketLocks.lockAheadForPlacements(tx, marketIds);
  };

  async groupOf(params: Record<string, string>): Promise<GroupRef | undefined> {
    return this.of(params.id);
  }

  async of(marketId: string): Promise<GroupRef | undefined> {
    let known = this.known.get(marketId);
    if (known === undefined) {
      const market = await this.markets.find(this.db.manager, marketId);
      // An unknown market is refused under the transaction as before; nothing is kept for it.
      if (!market) return undefined;
      const queue = placementQueueOf(marketId, this.config.placementQueues);
      const settles = mayDecideOnCreation(policyOf(market));
      known = {
        settles,
        group: settles
          ? { name: `placements:settling:${queue}`, minBatch: MIN_SETTLING_BATCH, key: marketId, prelude: this.settlingLockAhead }
          : { name: `placements:${queue}`, key: marketId, prelude: this.lockAhead },
      };
      this.known.set(marketId, known);
    }
    return known.group;
  }

  /**
   * Lock order, rank 1, before the market's row: where trades settle as they open, a
   * crossing placement decides them against the caps above each buyer, so no region moves
   * until it commits and the chains are read as committed (decision 0004). Where they wait
   * for approval, the approval holds the tree instead. A market `of` has not seen holds nothing.
   */
  async holdTreeIfSettling(tx: Tx, marketId: string): Promise<void> {
    if (this.known.get(marketId)?.settles) await this.tree.holdSteadyAhead(tx);
  }
}
