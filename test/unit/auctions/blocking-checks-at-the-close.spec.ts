import { Dec } from '../../../src/core/decimal';
import type { SealedBid } from '../../../src/core/auctions';
import { allocated, bid, close, lockOf, sellListing, statusOf } from './support/auctions';

describe('a trade that would fail a BLOCK check at creation', () => {
  it('is skipped and the volume goes on down the ranking', () => {
    const outcome = close(sellListing({ volume: '1000' }), [bid('A', '2.50', '600'), bid('B', '2.40', '600'), bid('C', '2.30', '600')], {
      passesBlockingChecks: (b) => b.id !== 'B',
    });
    expect(allocated(outcome).map(([id, volume, price]) => [id, volume, price])).toEqual([
      ['A', '600', '2.3'],
      ['C', '400', '2.3'],
    ]);
    expect(statusOf(outcome, 'B')).toMatchObject({ status: 'UNFILLED', skipped: 'CHECK_FAILED' });
    expect(lockOf(outcome, 'B')).toMatchObject({ escrows: [], released: lockOf(outcome, 'B').locked });
  });

  it('is judged with the volume the bid is offered, so a cap that fits the rest lets it in', () => {
    // The buyer side of B has 400 m³ of headroom: all 600 would not fit, the 400 left does.
    const seen: Array<[string, string]> = [];
    const buyerRegionCap = (b: SealedBid, volume: string) => {
      seen.push([b.id, volume]);
      return b.id !== 'B' || new Dec(volume).lte(400);
    };
    const outcome = close(sellListing({ volume: '1000' }), [bid('A', '2.50', '600'), bid('B', '2.40', '600')], { passesBlockingChecks: buyerRegionCap });
    expect(allocated(outcome).map(([id, volume]) => [id, volume])).toEqual([
      ['A', '600'],
      ['B', '400'],
    ]);
    expect(seen).toEqual([
      ['A', '600'],
      ['B', '400'],
    ]);
  });

  it('is not asked about bids that get no volume', () => {
    const asked: string[] = [];
    close(sellListing({ volume: '100' }), [bid('A', '2.50', '100'), bid('B', '2.40', '100')], {
      passesBlockingChecks: (b) => asked.push(b.id) > 0,
    });
    expect(asked).toEqual(['A']);
  });
});
