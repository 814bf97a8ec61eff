import { childOnPath, ReportedTrade, tradeReport } from '../../../src/core/disclosure/trade-report';

const trade = (over: Partial<ReportedTrade>): ReportedTrade => ({
  volume: '100', amount: '100.00', settledAt: new Date('2026-03-10T04:00:00Z'), source: 'SURFACE',
  sellerUse: 'INDUSTRY', buyerUse: 'INDUSTRY', reportRegion: '150421', ...over,
});

describe('regulators\' trade report (统计)', () => {
  const trades = [
    trade({ volume: '600', amount: '1440.00', sellerUse: 'AGRICULTURE', buyerUse: 'INDUSTRY', settledAt: new Date('2026-03-31T15:59:59Z') }),
    trade({ volume: '400', amount: '960.00', sellerUse: 'AGRICULTURE', buyerUse: null, reportRegion: '150422', settledAt: new Date('2026-03-31T16:00:00Z') }),
    trade({ volume: '100', amount: '350.00', source: 'GROUNDWATER', sellerUse: 'AGRICULTURE', buyerUse: 'AGRICULTURE', reportRegion: '150400' }),
  ];

  it('groups by Beijing settlement month: 23:59:59 on 31 March is March, a second later April', () => {
    expect(tradeReport(trades, 'month').map((i) => [i.key, i.trades, i.volume])).toEqual([['2026-03', 2, '700'], ['2026-04', 1, '400']]);
  });

  it('counts 农转非 volume: agricultural sellers to buyers of another use, not to a buyer without one (a reserve)', () => {
    expect(tradeReport(trades, 'source')).toEqual([
      { key: 'GROUNDWATER', trades: 1, volume: '100', amount: '350.00', vwap: '3.5', fromAgricultureVolume: '0' },
      { key: 'SURFACE', trades: 2, volume: '1000', amount: '2400.00', vwap: '2.4', fromAgricultureVolume: '600' },
    ]);
  });

  it('groups by the buyer\'s use, NONE for a buyer without one', () => {
    expect(tradeReport(trades, 'useType').map((i) => [i.key, i.fromAgricultureVolume])).toEqual([['AGRICULTURE', '0'], ['INDUSTRY', '600'], ['NONE', '0']]);
  });

  it('groups by the child region holding the market, the reported region itself for its own markets', () => {
    expect(tradeReport(trades, 'region').map((i) => i.key)).toEqual(['150400', '150421', '150422']);
    expect(childOnPath(['150421', '150400', '150000'], '150400')).toBe('150421');
    expect(childOnPath(['150400', '150000'], '150400')).toBe('150400');
    expect(childOnPath(['150423', '150421', '150400'], '150400')).toBe('150421');
    expect(childOnPath(['150200', '150000'], '150400')).toBeNull();
  });

  it('has no group for nothing', () => {
    expect(tradeReport([], 'month')).toEqual([]);
  });
});
