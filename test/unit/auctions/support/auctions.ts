import {
  type AuctionMarket,
  type AuctionOutcome,
  type AuctionState,
  type AuctionTerms,
  type CloseInput,
  type SealedBid,
  closeAuction,
} from '../../../../src/core/auctions';

/** An open 2026 surface-water market of 阿鲁科尔沁旗 with the default terms. */
export const auctionMarket = (fields: Partial<AuctionMarket> = {}): AuctionMarket => ({
  id: '150421-SURFACE-2026',
  status: 'OPEN',
  year: 2026,
  priceTick: '0.01',
  minVolume: '1',
  feeRate: '0',
  ...fields,
});

/** The open listing bids, closes and cancels are judged against: 1 000 m³ at 2.00, closing 10 June. */
export const openListing = (fields: Partial<AuctionState> = {}): AuctionState => ({
  id: 'auction-1',
  creatorId: 'district',
  side: 'SELL',
  status: 'OPEN',
  volume: '1000',
  limitPrice: '2.00',
  closesAt: new Date('2026-06-10T00:00:00Z'),
  ...fields,
});

/** A SELL listing of 1 000 m³ at a reserve of 2.00, no fee: the DOMAIN.md example's auction. */
export const sellListing = (overrides: Partial<AuctionTerms> = {}): AuctionTerms => ({
  creatorId: 'district',
  side: 'SELL',
  volume: '1000',
  limitPrice: '2.00',
  pricing: 'UNIFORM',
  priorityKinds: [],
  feeRate: '0',
  ...overrides,
});

/** A reserve's buy-back tender of 1 000 m³ up to 3.00, pay as bid, no fee. */
export const buyBackTender = (overrides: Partial<AuctionTerms> = {}): AuctionTerms => ({
  creatorId: 'reserve',
  side: 'BUY',
  volume: '1000',
  limitPrice: '3.00',
  pricing: 'PAY_AS_BID',
  priorityKinds: [],
  feeRate: '0',
  ...overrides,
});

const T0 = Date.parse('2026-06-01T02:00:00.000Z');

/** A bid placed `minute` minutes into the notice period; every other field has a default. */
export const bid = (id: string, price: string, volume: string, fields: Partial<SealedBid> & { minute?: number } = {}): SealedBid => {
  const { minute = 0, ...rest } = fields;
  return {
    id,
    bidderId: `bidder-${id}`,
    bidderKind: 'ENTERPRISE',
    price,
    volume,
    allOrNone: false,
    createdAt: new Date(T0 + minute * 60_000),
    ...rest,
  };
};

/** Everyone is rich unless a test says otherwise. */
export const plentyOfCash = (bids: readonly SealedBid[], creatorId: string): Map<string, string> =>
  new Map([creatorId, ...bids.map((b) => b.bidderId)].map((id) => [id, '1000000000']));

export function close(terms: AuctionTerms, bids: SealedBid[], extra: Partial<CloseInput> = {}): AuctionOutcome {
  return closeAuction({ terms, bids, availableCash: plentyOfCash(bids, terms.creatorId), ...extra });
}

/** (bid, volume, price, amount) per allocation: what most scenarios are about. */
export const allocated = (outcome: AuctionOutcome): Array<[string, string, string, string]> =>
  outcome.allocations.map((a) => [a.bidId, a.volume, a.price, a.amount]);

export const statusOf = (outcome: AuctionOutcome, bidId: string) => outcome.bids.find((b) => b.bidId === bidId);

export const lockOf = (outcome: AuctionOutcome, bidId: string | null) => outcome.locks.find((l) => l.bidId === bidId)!;
