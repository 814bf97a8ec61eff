import { Injectable } from '@nestjs/common';
import { Actor } from '../../common/auth/actor';
import { Db } from '../../database/db.service';
import { audienceOf, AudienceKey, EVERYONE } from '../events/audience';
import { EntityReadRules, marketRegions, ReadRules, ReadRulesRegistry, Redaction, WHOLE } from '../events/read-rules';
import { AuctionAccess } from './auction-access';
import { AuctionsRepository } from './auctions.repository';

/**
 * A BUY tender's entries as a reader who may not see its limit price sees them: the view
 * with `limitPrice` null; the creator's lock (`auction.locked` / `.unlocked`, whose amount
 * is the limit × volume × (1 + fee)) without its amount; the close without `creatorLock`,
 * the top-up and release of that lock (auction-close.service.ts).
 */
export const withoutLimitPrice: Redaction = (after) => {
  if (after === null || typeof after !== 'object') return after;
  const { amount: _amount, creatorLock: _creatorLock, ...entry } = after as Record<string, unknown>;
  return 'limitPrice' in entry ? { ...entry, limitPrice: null } : entry;
};

/** Auctions (any caller, less a tender's hidden limit) and sealed bids, as their GETs read them (AuctionAccess). */
@Injectable()
export class AuctionReadRules extends ReadRules implements EntityReadRules {
  readonly entityTypes = ['auction', 'bid'] as const;

  constructor(
    registry: ReadRulesRegistry,
    private readonly db: Db,
    private readonly access: AuctionAccess,
    private readonly rows: AuctionsRepository,
  ) {
    super(registry);
  }

  async readable(actor: Actor, entityType: 'auction' | 'bid', ids: readonly string[]): Promise<ReadonlyMap<string, Redaction>> {
    if (entityType === 'bid') return new Map((await this.access.visibleBidIds(actor, ids)).map((id) => [id, WHOLE]));
    const auctions = await this.access.readableAuctions(actor, ids);
    return new Map([...auctions].map(([id, a]) => [id, a.seesLimitPrice ? WHOLE : withoutLimitPrice]));
  }

  /** An auction: everyone. A bid: its bidder, and after the close the auction's creator and the market's regulators. */
  async audience(entityType: 'auction' | 'bid', ids: readonly string[]): Promise<ReadonlyMap<string, readonly AudienceKey[]>> {
    if (entityType === 'auction') return new Map(ids.map((id) => [id, [EVERYONE]]));
    return new Map((await this.rows.bidAccess(this.db.manager, ids)).map((b) => [b.id, audienceOf([b.bidder_id, b.creator_id], [b.market_region_code])]));
  }

  /** An auction by its market's region; a bid by its auction's. */
  async auditRegions(entityType: 'auction' | 'bid', ids: readonly string[]): Promise<ReadonlyMap<string, readonly string[]>> {
    if (entityType === 'bid') return this.regionsBy(await this.rows.bidAccess(this.db.manager, ids), (b) => b.id, (b) => [b.market_region_code]);
    return marketRegions((await this.rows.existing(this.db.manager, ids)).map((a) => ({ id: a.id, marketId: a.market_id })));
  }

  /** Everyone but the creator and the operator reads a BUY tender's entries without its limit or the lock that would betray it. */
  async auditRedaction(actor: Actor, entityType: 'auction' | 'bid', ids: readonly string[]): Promise<ReadonlyMap<string, Redaction>> {
    if (entityType === 'bid') return new Map();
    const auctions = await this.access.readableAuctions(actor, ids);
    return new Map([...auctions].map(([id, a]) => [id, a.seesLimitPrice ? WHOLE : withoutLimitPrice]));
  }
}
