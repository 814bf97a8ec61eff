import { closeAuction } from '../../../src/core/auctions';
import { allocated, bid, buyBackTender, lockOf, statusOf } from './support/auctions';

/**
 * DOMAIN.md, Money: a BUY that locks 0.02 for 2 m³ at 0.01 and fills 1.5 + 0.5 needs
 * 0.02 + 0.01. A tender's creator is that buyer: the shortfall comes from its available
 * cash, and when that is short too the offer that would need it is skipped.
 */
describe("rounding shortfall of a tender creator's lock", () => {
  const tender = buyBackTender({ volume: '2', limitPrice: '0.01' });
  const offers = [bid('first', '0.01', '1.5', { minute: 1 }), bid('second', '0.01', '0.5', { minute: 2 })];

  it('tops the lock up from available cash and fills both offers', () => {
    const outcome = closeAuction({ terms: tender, bids: offers, availableCash: new Map([['reserve', '0.01']]) });
    expect(allocated(outcome)).toEqual([
      ['first', '1.5', '0.01', '0.02'],
      ['second', '0.5', '0.01', '0.01'],
    ]);
    expect(lockOf(outcome, null)).toEqual({
      bidId: null,
      ownerId: 'reserve',
      asset: 'CASH',
      locked: '0.02',
      topUp: '0.01',
      escrows: [
        { bidId: 'first', amount: '0.02' },
        { bidId: 'second', amount: '0.01' },
      ],
      released: '0.00',
    });
  });

  it('skips the offer it cannot fund when the creator has no cash to spare', () => {
    const outcome = closeAuction({ terms: tender, bids: offers, availableCash: new Map() });
    expect(allocated(outcome)).toEqual([['first', '1.5', '0.01', '0.02']]);
    expect(statusOf(outcome, 'second')).toMatchObject({ status: 'UNFILLED', skipped: 'FUNDS' });
    expect(lockOf(outcome, null)).toMatchObject({ locked: '0.02', topUp: '0.00', released: '0.00' });
    expect(lockOf(outcome, 'second')).toMatchObject({ asset: 'QUOTA', escrows: [], released: '0.5' });
  });

  it('still admits a later offer that the lock can pay for after one was skipped', () => {
    // Lock round_half_up(0.01 × 2.4, 2) = 0.02: 'first' takes it all, 'second' would need
    // 0.01 more, 'third' costs round_half_up(0.004, 2) = 0.00.
    const outcome = closeAuction({
      terms: buyBackTender({ volume: '2.4', limitPrice: '0.01' }),
      bids: [...offers, bid('third', '0.01', '0.4', { minute: 3 })],
      availableCash: new Map(),
    });
    expect(allocated(outcome)).toEqual([
      ['first', '1.5', '0.01', '0.02'],
      ['third', '0.4', '0.01', '0.00'],
    ]);
    expect(statusOf(outcome, 'second')).toMatchObject({ skipped: 'FUNDS' });
  });
});

describe('a uniform tender whose next offer would raise the price for everyone', () => {
  // Lock round_half_up(0.005 × 3, 2) = 0.02. At 0.0045 the two district offers cost 0.00
  // each; admitting the enterprise's offer at 0.005 lifts all three to 0.01: 0.03.
  const tender = buyBackTender({ volume: '3', limitPrice: '0.005', pricing: 'UNIFORM', priorityKinds: ['IRRIGATION_DISTRICT'] });
  const offers = [
    bid('D1', '0.004', '1', { bidderKind: 'IRRIGATION_DISTRICT' }),
    bid('D2', '0.0045', '1', { bidderKind: 'IRRIGATION_DISTRICT' }),
    bid('E', '0.005', '1'),
  ];

  it('is skipped when the creator cannot pay the raised price on every trade', () => {
    const outcome = closeAuction({ terms: tender, bids: offers, availableCash: new Map() });
    expect(allocated(outcome)).toEqual([
      ['D1', '1', '0.0045', '0.00'],
      ['D2', '1', '0.0045', '0.00'],
    ]);
    expect(statusOf(outcome, 'E')).toMatchObject({ skipped: 'FUNDS' });
    expect(outcome.clearingPrice).toBe('0.0045');
  });

  it('wins, at the raised price for all, when the creator can top up', () => {
    const outcome = closeAuction({ terms: tender, bids: offers, availableCash: new Map([['reserve', '0.01']]) });
    expect(allocated(outcome).map(([, , price, amount]) => [price, amount])).toEqual([
      ['0.005', '0.01'],
      ['0.005', '0.01'],
      ['0.005', '0.01'],
    ]);
    expect(lockOf(outcome, null)).toMatchObject({ locked: '0.02', topUp: '0.01', released: '0.00' });
  });
});
