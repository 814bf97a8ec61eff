import { groupTotals, tradeTotals, vwap } from '../../../src/core/disclosure/trade-totals';

describe('totals for regulator reports', () => {
  const trades = [
    { source: 'SURFACE', volume: '600', amount: '1440.00' },
    { source: 'GROUNDWATER', volume: '100', amount: '350.00' },
    { source: 'SURFACE', volume: '400', amount: '960.00' },
  ];

  it('groups by any key, ordered by key in byte order', () => {
    expect(groupTotals(trades, (t) => t.source)).toEqual([
      { key: 'GROUNDWATER', trades: 1, volume: '100', amount: '350.00', vwap: '3.5' },
      { key: 'SURFACE', trades: 2, volume: '1000', amount: '2400.00', vwap: '2.4' },
    ]);
  });

  it('orders keys by code unit, not by locale: upper case before lower case', () => {
    expect(groupTotals(trades, (t) => (t.source === 'SURFACE' ? 'b' : 'B')).map((g) => g.key)).toEqual(['B', 'b']);
  });

  it('takes rows the database summed already as the trades they stand for, with the average of the whole sums', () => {
    // Each source's trades summed per row, then one row of both: the same totals as trade by trade.
    const summed = [
      { source: 'GROUNDWATER', volume: '100', amount: '350.00', trades: 1 },
      { source: 'SURFACE', volume: '1000', amount: '2400.00', trades: 2 },
    ];
    expect(groupTotals(summed, (t) => t.source)).toEqual(groupTotals(trades, (t) => t.source));
    expect(tradeTotals(summed)).toEqual(tradeTotals(trades));
    // Not the average of the rows' averages (3.5 and 2.4 average to 2.95).
    expect(tradeTotals(summed).vwap).toBe('2.5');
  });

  it('sums a whole set', () => {
    expect(tradeTotals(trades)).toEqual({ trades: 3, volume: '1100', amount: '2750.00', vwap: '2.5' });
  });

  it('has no average of nothing: an empty group is absent, not zero', () => {
    expect(() => tradeTotals([])).toThrow(RangeError);
    expect(() => vwap('0', '0')).toThrow(RangeError);
  });

  it('is exact at 15 integer digits', () => {
    expect(vwap('999999999999999.99', '999999999999999.999').toFixed()).toBe('1');
    expect(vwap('100000000000000.00', '300000000000000').toFixed()).toBe('0.3333');
  });
});
