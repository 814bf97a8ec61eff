import { Injectable } from '@nestjs/common';
import { Clock } from '../../common/clock';
import { evaluateChecks, TradeCheck, UseType, WaterSource } from '../../core/approval';
import { Tx } from '../../database/db.service';
import { CapsService } from '../regions/caps.service';
import { RegionTree } from '../regions/region-tree';

export interface CheckSubject {
  source: string;
  year: number;
  volume: string;
  sellerId: string;
  buyerId: string;
}

/**
 * Gathers what the pure check rules need, inside the caller's transaction. The buyer's
 * capped regions are locked (CapsService.lockedChain), so a cap that fills up between two
 * decisions is seen by the second.
 */
@Injectable()
export class TradeChecksLoader {
  constructor(private readonly caps: CapsService, private readonly tree: RegionTree, private readonly clock: Clock) {}

  /**
   * `lock`: hold the buyer side's cap rows until commit. Deciding a trade needs it; the
   * checks shown when a trade is created do not, since they are computed again to decide.
   */
  async evaluate(tx: Tx, s: CheckSubject, lock = true): Promise<TradeCheck[]> {
    const parties = await tx.query('SELECT id, region_code, use_type FROM participants WHERE id = ANY($1)', [[s.sellerId, s.buyerId]]);
    const seller = parties.find((p: any) => p.id === s.sellerId);
    const buyer = parties.find((p: any) => p.id === s.buyerId);
    const buyerChain = await this.caps.chain(tx, buyer.region_code, s.year, lock);
    const overdraft = await tx.query('SELECT code FROM regions WHERE code = ANY($1) AND groundwater_overdraft', [buyerChain.map((r) => r.code)]);
    const overdraftCodes = new Set(overdraft.map((r: any) => r.code));
    return evaluateChecks({
      source: s.source as WaterSource,
      year: s.year,
      today: this.clock.today(),
      volume: s.volume,
      seller: { regionCode: seller.region_code, useType: seller.use_type as UseType | null },
      buyer: { regionCode: buyer.region_code, useType: buyer.use_type as UseType | null },
      buyerRegionChain: buyerChain.map((r) => ({ code: r.code, groundwaterOverdraft: overdraftCodes.has(r.code), headroom: r.headroom === null ? null : r.headroom.toFixed() })),
      sellerRegionChain: await this.tree.chain(seller.region_code, tx),
    });
  }
}
