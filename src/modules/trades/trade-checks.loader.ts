import { Injectable } from '@nestjs/common';
import { Clock } from '../../common/clock';
import { evaluateChecks, TradeCheck, TradeCheckContext } from '../../core/approval';
import { WaterSource } from '../../core/water';
import { Tx } from '../../database/sql';
import { ParticipantsService } from '../participants/participants.service';
import { CapsService } from '../regions/caps.service';
import { RegionTree } from '../regions/region-tree';

export interface CheckSubject {
  source: WaterSource;
  year: number;
  volume: string;
  sellerId: string;
  buyerId: string;
}

/**
 * Gathers what the pure check rules need, inside the caller's transaction. To decide, the
 * capped regions the trade's quota enters are locked (CapsService.headroomEntering), so a
 * cap that fills up between two decisions is seen by the second.
 */
@Injectable()
export class TradeChecksLoader {
  constructor(
    private readonly caps: CapsService,
    private readonly tree: RegionTree,
    private readonly participants: ParticipantsService,
    private readonly clock: Clock,
  ) {}

  /**
   * `lock`: hold the cap rows the trade's quota enters until commit (lock order, rank 4;
   * `CapsService.headroomEntering`). Deciding a trade needs it; the checks shown when a
   * trade is created do not, since they are computed again to decide.
   */
  async evaluate(tx: Tx, s: CheckSubject, lock = true): Promise<TradeCheck[]> {
    return evaluateChecks({ ...(await this.basis(tx, s, lock)), volume: s.volume });
  }

  /**
   * Everything the checks read except the volume: for a caller that judges one pair of
   * parties at several volumes (the close of an auction offers a bid what is left).
   */
  async basis(tx: Tx, s: Omit<CheckSubject, 'volume'>, lock = false): Promise<Omit<TradeCheckContext, 'volume'>> {
    const parties = await this.participants.rowsById(tx, [s.sellerId, s.buyerId]);
    const seller = parties.get(s.sellerId)!;
    const buyer = parties.get(s.buyerId)!;
    const flagged = await this.tree.flaggedChain(buyer.region_code, tx);
    const sellerChain = await this.tree.chain(seller.region_code, tx);
    const buyerChain = await this.caps.headroomEntering(tx, flagged.map((r) => r.code), sellerChain, s.year, lock);
    const overdraft = new Set(flagged.filter((r) => r.groundwaterOverdraft).map((r) => r.code));
    return {
      source: s.source,
      year: s.year,
      today: this.clock.today(),
      seller: { regionCode: seller.region_code, useType: seller.use_type },
      buyer: { regionCode: buyer.region_code, useType: buyer.use_type },
      buyerRegionChain: buyerChain.map((r) => ({ code: r.code, groundwaterOverdraft: overdraft.has(r.code), headroom: r.headroom === null ? null : r.headroom.toFixed() })),
      sellerRegionChain: sellerChain,
    };
  }
}
