import { issue, lock, postHold, transfer, voidHold, withdraw } from '../../../src/core/ledger/movements';
import { assetScale, instrumentId, isCash, parseInstrument, shortfallCode } from '../../../src/core/ledger/assets';
import { MARKET, ok, pendingHold, refused } from './support/ledger-helpers';

// Cash moves in fen and quota in litres: a finer amount is refused, never rounded.
describe('scales', () => {
  it('knows cash from quota', () => {
    expect(isCash('CNY')).toBe(true);
    expect(isCash(MARKET)).toBe(false);
    expect(assetScale('CNY')).toBe(2);
    expect(assetScale(MARKET)).toBe(3);
    expect(shortfallCode('CNY')).toBe('INSUFFICIENT_FUNDS');
    expect(shortfallCode(MARKET)).toBe('INSUFFICIENT_QUOTA');
  });

  it('accepts cash to the fen and quota to the litre', () => {
    ok(issue('p', 'CNY', '0.01', 'DEPOSIT'));
    ok(issue('p', MARKET, '0.001', 'ALLOCATION'));
    ok(lock('p', MARKET, '12345.678'));
  });

  it('accepts trailing zeros beyond the scale', () => {
    ok(withdraw('p', 'CNY', '10.000'));
    ok(issue('p', MARKET, '60000.0000', 'ALLOCATION'));
  });

  it('refuses a third decimal of cash and a fourth of quota in every builder', () => {
    for (const r of [
      issue('p', 'CNY', '0.001', 'DEPOSIT'),
      withdraw('p', 'CNY', '1.005'),
      lock('p', 'CNY', '1.001'),
      transfer('a', 'b', 'CNY', '2.999', 'SETTLEMENT'),
      voidHold(pendingHold('10'), '0.005'),
      postHold(pendingHold('10'), [{ to: 'x', amount: '0.001', reason: 'FEE' }]),
      issue('p', MARKET, '0.0001', 'ALLOCATION'),
      lock('p', MARKET, '1.0001'),
      voidHold(pendingHold('10', { asset: MARKET }), '0.0005'),
    ]) {
      expect(refused(r).code).toBe('INVALID_AMOUNT');
    }
  });

  it('refuses zero, negative and non-finite amounts', () => {
    for (const amount of ['0', '0.00', '-0.01', '-100', 'NaN', 'Infinity', '-Infinity']) {
      expect(refused(issue('p', 'CNY', amount, 'DEPOSIT')).code).toBe('INVALID_AMOUNT');
      expect(refused(lock('p', MARKET, amount)).code).toBe('INVALID_AMOUNT');
    }
  });

  it('refuses what is not a number at all, rather than throwing', () => {
    for (const amount of ['abc', '', '1,5', '12abc']) {
      expect(refused(withdraw('p', 'CNY', amount)).code).toBe('INVALID_AMOUNT');
      expect(refused(voidHold(pendingHold('10'), amount)).code).toBe('INVALID_AMOUNT');
      expect(refused(postHold(pendingHold('10'), [{ to: 'x', amount, reason: 'SETTLEMENT' }])).code).toBe('INVALID_AMOUNT');
    }
  });

  it('names instruments as region-source-year and reads them back', () => {
    expect(instrumentId({ regionCode: '150421', source: 'GROUNDWATER', year: 2026 })).toBe('150421-GROUNDWATER-2026');
    expect(parseInstrument('150421-MINE_WATER-2025')).toEqual({ regionCode: '150421', source: 'MINE_WATER', year: 2025 });
    expect(parseInstrument('CNY')).toBeNull();
    expect(parseInstrument('15042-SURFACE-2026')).toBeNull();
    expect(parseInstrument('150421-SEAWATER-2026')).toBeNull();
  });
});
