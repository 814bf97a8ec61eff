import fc from 'fast-check';
import {
  type AuctionOutcome,
  type AuctionTerms,
  type CloseInput,
  type SealedBid,
  bidLock,
  closeAuction,
  compareBids,
  creatorLock,
} from '../../../src/core/auctions';
import { Dec } from '../../../src/core/decimal';
import { litresToVolume, priceToTicks, ticksToPrice, volumeToLitres } from '../../../src/core/matching/units';
import { TRADER_KINDS } from '../../../src/core/participants/trader-kinds';

const RUNS = { numRuns: 250 };
const T0 = Date.parse('2026-06-01T00:00:00Z');

// Small prices and volumes make rounding to the fen bite often; a few large ones keep the
// arithmetic honest at scale. Few bidders and few timestamps make shared cash and ties common.
const ticks = fc.oneof(fc.integer({ min: 1, max: 200 }), fc.integer({ min: 1, max: 100_000 }));
const litres = fc.oneof(fc.integer({ min: 1, max: 5_000 }), fc.integer({ min: 1, max: 2_000_000 }));
const feeRate = fc.oneof(fc.constantFrom('0', '0.005', '0.003', '0.5'), fc.integer({ min: 0, max: 999_999 }).map((m) => new Dec(m).div(1e6).toFixed()));
const cash = fc.oneof(fc.constant('0'), fc.integer({ min: 0, max: 5 }).map((fen) => new Dec(fen).div(100).toFixed(2)), fc.constant('1000000000'));

const termsArb: fc.Arbitrary<AuctionTerms> = fc.record({
  creatorId: fc.constant('creator'),
  side: fc.constantFrom('SELL' as const, 'BUY' as const),
  volume: litres.map(litresToVolume),
  limitPrice: ticks.map(ticksToPrice),
  pricing: fc.constantFrom('UNIFORM' as const, 'PAY_AS_BID' as const),
  priorityKinds: fc.shuffledSubarray([...TRADER_KINDS]),
  feeRate,
});

const bidArb = (id: string): fc.Arbitrary<SealedBid> =>
  fc.record({
    id: fc.constant(id),
    bidderId: fc.constantFrom('p1', 'p2', 'p3', 'p4'),
    bidderKind: fc.constantFrom(...TRADER_KINDS),
    price: ticks.map(ticksToPrice),
    volume: litres.map(litresToVolume),
    allOrNone: fc.boolean(),
    createdAt: fc.integer({ min: 0, max: 3 }).map((s) => new Date(T0 + s * 1000)),
  });

const bidsArb = fc.integer({ min: 0, max: 10 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => bidArb(`b${String(i).padStart(2, '0')}`))));

/** A close with everything the walk depends on drawn at random, BLOCK verdicts included. */
const closeArb: fc.Arbitrary<CloseInput> = fc
  .record({
    terms: termsArb,
    bids: bidsArb,
    cashOf: fc.record({ creator: cash, p1: cash, p2: cash, p3: cash, p4: cash }),
    failing: fc.array(fc.tuple(fc.constantFrom('b00', 'b01', 'b02', 'b03'), litres), { maxLength: 3 }),
  })
  .map(({ terms, bids, cashOf, failing }) => ({
    terms: terms.side === 'SELL' ? { ...terms, priorityKinds: [] } : terms,
    bids,
    availableCash: new Map(Object.entries(cashOf)),
    // A verdict that depends on the volume offered, as BUYER_REGION_CAP does.
    passesBlockingChecks: (bid: SealedBid, volume: string) => !failing.some(([id, limit]) => id === bid.id && volumeToLitres(volume) > limit),
  }));

const bidOf = (input: CloseInput, id: string): SealedBid => input.bids.find((b) => b.id === id)!;
const sum = (values: string[]): Dec => values.reduce((total, v) => total.plus(v), new Dec(0));

describe('auction close (properties)', () => {
  it('never sells or buys more than the lot, nor more than any bid asked for', () => {
    fc.assert(
      fc.property(closeArb, (input) => {
        const outcome = closeAuction(input);
        const filled = outcome.allocations.reduce((total, a) => total + volumeToLitres(a.volume), 0);
        expect(filled).toBeLessThanOrEqual(volumeToLitres(input.terms.volume));
        expect(litresToVolume(filled)).toBe(outcome.filledVolume);
        for (const a of outcome.allocations) {
          const bid = bidOf(input, a.bidId);
          expect(volumeToLitres(a.volume)).toBeGreaterThan(0);
          expect(volumeToLitres(a.volume)).toBeLessThanOrEqual(volumeToLitres(bid.volume));
          if (bid.allOrNone) expect(a.volume).toBe(litresToVolume(volumeToLitres(bid.volume)));
        }
      }),
      RUNS,
    );
  });

  it('never makes a winner trade at a worse price than it bid, nor beyond the limit', () => {
    fc.assert(
      fc.property(closeArb, (input) => {
        const { side, limitPrice, pricing } = input.terms;
        const outcome = closeAuction(input);
        for (const a of outcome.allocations) {
          const price = priceToTicks(a.price);
          const own = priceToTicks(bidOf(input, a.bidId).price);
          if (side === 'SELL') expect([price <= own, price >= priceToTicks(limitPrice)]).toEqual([true, true]);
          else expect([price >= own, price <= priceToTicks(limitPrice)]).toEqual([true, true]);
          if (pricing === 'PAY_AS_BID') expect(price).toBe(own);
        }
      }),
      RUNS,
    );
  });

  it('clears a uniform auction at the worst winning bid, and every winner at that price', () => {
    fc.assert(
      fc.property(closeArb, (input) => {
        const outcome = closeAuction(input);
        if (input.terms.pricing === 'PAY_AS_BID' || outcome.allocations.length === 0) {
          expect(outcome.clearingPrice).toBeNull();
          return;
        }
        const own = outcome.allocations.map((a) => priceToTicks(bidOf(input, a.bidId).price));
        const worst = input.terms.side === 'SELL' ? Math.min(...own) : Math.max(...own);
        expect(outcome.clearingPrice).toBe(ticksToPrice(worst));
        for (const a of outcome.allocations) expect(a.price).toBe(outcome.clearingPrice);
      }),
      RUNS,
    );
  });

  it('ranks bids in a total order: antisymmetric, transitive, equal only to itself', () => {
    // Few prices and timestamps, so ties on price and time are the common case here.
    const tied = (id: string) => bidArb(id).chain((b) => fc.integer({ min: 1, max: 3 }).map((t) => ({ ...b, price: ticksToPrice(t) })));
    fc.assert(
      fc.property(termsArb, fc.tuple(tied('x'), tied('y'), tied('z')), (terms, triple) => {
        const cmp = compareBids(terms.side, terms.priorityKinds);
        for (const a of triple) {
          expect(cmp(a, a)).toBe(0);
          for (const b of triple) {
            if (a === b) continue;
            expect(cmp(a, b)).not.toBe(0);
            expect(Math.sign(cmp(a, b))).toBe(-Math.sign(cmp(b, a)));
            for (const c of triple) if (cmp(a, b) < 0 && cmp(b, c) < 0) expect(cmp(a, c)).toBeLessThan(0);
          }
        }
      }),
      RUNS,
    );
  });

  it('reaches the same outcome whatever order the bids arrive in', () => {
    fc.assert(
      fc.property(
        closeArb.chain((input) => fc.tuple(fc.constant(input), fc.shuffledSubarray([...input.bids], { minLength: input.bids.length, maxLength: input.bids.length }))),
        ([input, shuffled]) => {
          expect(closeAuction({ ...input, bids: shuffled })).toEqual(closeAuction(input));
        },
      ),
      RUNS,
    );
  });

  it('conserves every lock exactly: Σ escrows + released = locked + top-up, to the fen and the litre', () => {
    fc.assert(
      fc.property(closeArb, (input) => {
        const outcome = closeAuction(input);
        for (const lock of outcome.locks) {
          expect(sum(lock.escrows.map((e) => e.amount)).plus(lock.released).eq(new Dec(lock.locked).plus(lock.topUp))).toBe(true);
          expect(new Dec(lock.released).gte(0)).toBe(true);
          expect(new Dec(lock.topUp).gte(0)).toBe(true);
          // Cash is topped up only to cover what the lock lacks, never to leave a rest.
          if (new Dec(lock.topUp).gt(0)) expect(new Dec(lock.released).isZero()).toBe(true);
        }
      }),
      RUNS,
    );
  });

  it('draws each trade from both locks exactly once and funds top-ups from available cash only', () => {
    fc.assert(
      fc.property(closeArb, (input) => {
        const outcome = closeAuction(input);
        expectLockAmounts(input, outcome);
        for (const a of outcome.allocations) {
          const drawn = outcome.locks.flatMap((l) => l.escrows.filter((e) => e.bidId === a.bidId).map((e) => [l.asset, e.amount]));
          expect(drawn.sort()).toEqual([['CASH', a.buyerPays], ['QUOTA', a.volume]].sort());
        }
        const topUps = new Map<string, Dec>();
        for (const lock of outcome.locks) topUps.set(lock.ownerId, (topUps.get(lock.ownerId) ?? new Dec(0)).plus(lock.topUp));
        for (const [owner, total] of topUps) expect(total.lte(input.availableCash.get(owner) ?? '0')).toBe(true);
      }),
      RUNS,
    );
  });

  it('skips a bid for lack of volume only once the lot is used up', () => {
    fc.assert(
      fc.property(closeArb, (input) => {
        const outcome = closeAuction(input);
        const firstOut = outcome.bids.findIndex((b) => b.skipped === 'NO_VOLUME_LEFT');
        if (firstOut < 0) return;
        const before = outcome.bids.slice(0, firstOut).reduce((total, b) => total + volumeToLitres(b.filledVolume), 0);
        expect(before).toBe(volumeToLitres(input.terms.volume));
      }),
      RUNS,
    );
  });
});

/** Every lock the close settles is the one the same rules took at creation and bidding. */
function expectLockAmounts(input: CloseInput, outcome: AuctionOutcome): void {
  const [creator, ...bids] = outcome.locks;
  expect(creator).toMatchObject({ bidId: null, ownerId: 'creator', locked: creatorLock(input.terms).amount });
  expect(bids.map((l) => l.bidId).sort()).toEqual(input.bids.map((b) => b.id).sort());
  for (const lock of bids) {
    const bid = bidOf(input, lock.bidId!);
    expect(lock).toMatchObject({ ownerId: bid.bidderId, locked: bidLock(input.terms.side, input.terms.feeRate, bid).amount });
  }
}
