import { Injectable } from '@nestjs/common';
import { Actor } from '../../common/auth/actor';
import { UUID } from '../../common/validation/fields';
import type { AuctionStatus } from '../../core/auctions';
import { Db, Tx } from '../../database/db.service';
import { Jurisdiction } from '../regions/jurisdiction.service';
import { AuctionsRepository } from './auctions.repository';

/**
 * Who may read what of auctions and bids (API.md, Auctions and Sealed bids), in one place:
 * the endpoints use these rules, and so can anything that shows auction data to a caller
 * (the event feed: "a caller sees an event when it may GET the entity the entry is about",
 * its data less "whatever the entity's GET withholds from that caller").
 *
 * - Any authenticated caller may GET any auction; a BUY tender's `limitPrice` is shown only
 *   to its creator and the operator (null to others). A SELL listing's reserve is public.
 * - A bid is seen by its bidder; once the auction is no longer OPEN (closed or cancelled,
 *   when every bid is published), also by the creator, the operator and regulators whose
 *   jurisdiction contains the market's region. Before that, nobody else sees it at all.
 */

/** The caller, as far as these rules need it (an `Actor` is one). */
export type Reader = Pick<Actor, 'participantId' | 'kind' | 'regionCode'>;

/** A SELL listing's reserve is public; a BUY tender's limit belongs to its creator and the operator. */
export const seesLimitPrice = (reader: Reader, auction: { side: string; creatorId: string }): boolean =>
  auction.side === 'SELL' || reader.kind === 'OPERATOR' || reader.participantId === auction.creatorId;

/**
 * An auction as `reader` may see it: a view, or the `after` of an auction's audit entry
 * (which carries the view and, at the close or cancellation, the published `bids`). Only a
 * BUY tender's limit price is withheld; everything else an auction shows is public.
 */
export function auctionFor<T extends { side: string; creatorId: string; limitPrice: string | null }>(auction: T, reader: Reader): T {
  return seesLimitPrice(reader, auction) ? auction : { ...auction, limitPrice: null };
}

/** After the close (or a cancellation) the creator, the operator and the market's supervisors see every bid. */
export const seesEveryBid = (reader: Reader, auction: { status: AuctionStatus; creatorId: string }, supervisesMarket: boolean): boolean =>
  auction.status !== 'OPEN' && (reader.kind === 'OPERATOR' || reader.participantId === auction.creatorId || supervisesMarket);

/** Whether `reader` may see one bid: its own always, another's only as `seesEveryBid` says. */
export const mayReadBid = (
  reader: Reader,
  bid: { bidderId: string },
  auction: { status: AuctionStatus; creatorId: string },
  supervisesMarket: boolean,
): boolean => bid.bidderId === reader.participantId || seesEveryBid(reader, auction, supervisesMarket);

const uuids = (ids: readonly string[]) => [...new Set(ids.filter((id) => UUID.test(id)).map((id) => id.toLowerCase()))];

/**
 * The rules above over lists of ids, for the event feed: each answers which of `ids` the
 * actor may GET, in the order given, unknown ids left out.
 */
@Injectable()
export class AuctionAccess {
  constructor(
    private readonly db: Db,
    private readonly auctions: AuctionsRepository,
    private readonly jurisdiction: Jurisdiction,
  ) {}

  /** Auctions: every authenticated caller may GET every one that exists. */
  async visibleAuctionIds(actor: Reader, ids: readonly string[], tx: Tx = this.db.manager): Promise<string[]> {
    return [...(await this.readableAuctions(actor, ids, tx)).keys()];
  }

  /**
   * The auctions among `ids` (in the order given), each with whether `actor` sees its
   * limit price: a BUY tender's limit, and the creator's lock that would reveal it, belong
   * to its creator and the operator.
   */
  async readableAuctions(actor: Reader, ids: readonly string[], tx: Tx = this.db.manager): Promise<Map<string, { seesLimitPrice: boolean }>> {
    const found = new Map((await this.auctions.existing(tx, uuids(ids))).map((a) => [a.id, a]));
    const out = new Map<string, { seesLimitPrice: boolean }>();
    for (const id of ids) {
      const a = found.get(id.toLowerCase());
      if (a) out.set(id, { seesLimitPrice: seesLimitPrice(actor, { side: a.side, creatorId: a.creator_id }) });
    }
    return out;
  }

  /** Bids, as `GET /v1/auctions/:id/bids` shows them to `actor`. */
  async visibleBidIds(actor: Actor, ids: readonly string[], tx: Tx = this.db.manager): Promise<string[]> {
    const readable = new Set<string>();
    const supervises = new Map<string, boolean>();
    for (const bid of await this.auctions.bidAccess(tx, uuids(ids))) {
      const auction = { status: bid.auction_status, creatorId: bid.creator_id };
      let covered = supervises.get(bid.market_region_code);
      if (covered === undefined && actor.kind === 'REGULATOR' && bid.auction_status !== 'OPEN') {
        covered = await this.jurisdiction.covers(actor, bid.market_region_code, { tx });
        supervises.set(bid.market_region_code, covered);
      }
      if (mayReadBid(actor, { bidderId: bid.bidder_id }, auction, covered ?? false)) readable.add(bid.id);
    }
    return ids.filter((id) => readable.has(id.toLowerCase()));
  }
}
