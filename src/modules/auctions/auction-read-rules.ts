import { Injectable } from '@nestjs/common';
import { Actor } from '../../common/auth/actor';
import { EntityReadRules, ReadRules, ReadRulesRegistry, Redaction, WHOLE } from '../events/read-rules';
import { AuctionAccess } from './auction-access';

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

  constructor(registry: ReadRulesRegistry, private readonly access: AuctionAccess) {
    super(registry);
  }

  async readable(actor: Actor, entityType: 'auction' | 'bid', ids: readonly string[]): Promise<ReadonlyMap<string, Redaction>> {
    if (entityType === 'bid') return new Map((await this.access.visibleBidIds(actor, ids)).map((id) => [id, WHOLE]));
    const auctions = await this.access.readableAuctions(actor, ids);
    return new Map([...auctions].map(([id, a]) => [id, a.seesLimitPrice ? WHOLE : withoutLimitPrice]));
  }
}
