import { compareBids } from '../../../src/core/auctions';
import { allocated, bid, buyBackTender, close, sellListing } from './support/auctions';

describe('bids at the same price', () => {
  it('go to the earlier bid first', () => {
    const outcome = close(sellListing({ volume: '500' }), [bid('late', '2.50', '400', { minute: 9 }), bid('early', '2.50', '400', { minute: 3 })]);
    expect(allocated(outcome).map(([id, volume]) => [id, volume])).toEqual([
      ['early', '400'],
      ['late', '100'],
    ]);
  });

  it('placed in the same millisecond go to the smaller id first', () => {
    const outcome = close(sellListing({ volume: '500' }), [bid('b-2', '2.50', '400'), bid('b-10', '2.50', '400'), bid('a-9', '2.50', '400')]);
    expect(allocated(outcome).map(([id]) => id)).toEqual(['a-9', 'b-10']);
  });

  it('rank the same whatever order they are given in', () => {
    const bids = [bid('x', '2.50', '300', { minute: 2 }), bid('y', '2.50', '300', { minute: 1 }), bid('z', '2.60', '300', { minute: 5 })];
    const forwards = close(sellListing({ volume: '700' }), bids);
    const backwards = close(sellListing({ volume: '700' }), [...bids].reverse());
    expect(backwards).toEqual(forwards);
    expect(allocated(forwards).map(([id, volume]) => [id, volume])).toEqual([
      ['z', '300'],
      ['y', '300'],
      ['x', '100'],
    ]);
  });

  it('in a tender also go to the earlier offer first', () => {
    const outcome = close(buyBackTender({ volume: '500' }), [bid('late', '1.80', '400', { minute: 9 }), bid('early', '1.80', '400', { minute: 3 })]);
    expect(allocated(outcome).map(([id, volume]) => [id, volume])).toEqual([
      ['early', '400'],
      ['late', '100'],
    ]);
  });
});

describe('the ranking as a comparator', () => {
  const cheap = bid('cheap', '1.50', '10');
  const dear = bid('dear', '2.50', '10');

  it('puts the higher price first when selling and the lower first when buying back', () => {
    expect(compareBids('SELL')(dear, cheap)).toBeLessThan(0);
    expect(compareBids('BUY')(cheap, dear)).toBeLessThan(0);
  });

  it('calls only a bid equal to itself', () => {
    expect(compareBids('SELL')(cheap, cheap)).toBe(0);
    expect(compareBids('SELL')(cheap, { ...cheap, id: 'cheap-2' })).not.toBe(0);
  });

  it('ranks by milliseconds: the precision the API shows', () => {
    const first = bid('b', '2.00', '10', { createdAt: new Date('2026-06-01T02:00:00.001Z') });
    const second = bid('a', '2.00', '10', { createdAt: new Date('2026-06-01T02:00:00.002Z') });
    expect(compareBids('SELL')(first, second)).toBeLessThan(0);
  });
});

describe('a caller bug', () => {
  it('two bids with one id are refused, not ranked arbitrarily', () => {
    expect(() => close(sellListing(), [bid('same', '2.50', '10'), bid('same', '2.40', '10')])).toThrow(/twice/);
  });

  it('a price with more decimals than a tick holds is refused, not rounded', () => {
    expect(() => close(sellListing(), [bid('a', '2.50001', '10')])).toThrow(RangeError);
  });
});
