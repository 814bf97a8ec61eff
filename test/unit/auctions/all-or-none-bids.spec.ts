import { allocated, bid, close, sellListing, statusOf } from './support/auctions';

describe('an all-or-none bid', () => {
  it('is skipped when less than its volume is left, and the volume goes on down the ranking', () => {
    const outcome = close(sellListing({ volume: '1000', pricing: 'PAY_AS_BID' }), [
      bid('A', '2.50', '600'),
      bid('B', '2.40', '600', { allOrNone: true }),
      bid('C', '2.20', '500'),
    ]);
    expect(allocated(outcome).map(([id, volume]) => [id, volume])).toEqual([
      ['A', '600'],
      ['C', '400'],
    ]);
    expect(statusOf(outcome, 'B')).toMatchObject({ status: 'UNFILLED', filledVolume: '0', skipped: 'ALL_OR_NONE' });
  });

  it('sets no price when skipped: the uniform price is the lowest price that trades', () => {
    const outcome = close(sellListing({ volume: '1000' }), [
      bid('A', '2.50', '600'),
      bid('B', '2.40', '600', { allOrNone: true }),
      bid('C', '2.20', '500'),
    ]);
    expect(outcome.clearingPrice).toBe('2.2');
  });

  it('wins in full when its whole volume is left', () => {
    const outcome = close(sellListing({ volume: '1000' }), [bid('A', '2.50', '400'), bid('B', '2.40', '600', { allOrNone: true })]);
    expect(statusOf(outcome, 'B')).toMatchObject({ status: 'FILLED', filledVolume: '600' });
  });

  it('that skipped lets a later, smaller all-or-none bid in', () => {
    const outcome = close(sellListing({ volume: '500' }), [
      bid('big', '2.50', '600', { allOrNone: true }),
      bid('small', '2.10', '500', { allOrNone: true }),
    ]);
    expect(allocated(outcome).map(([id, volume]) => [id, volume])).toEqual([['small', '500']]);
  });
});
