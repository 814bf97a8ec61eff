import { allPassed, blockingFailures, evaluateChecks, type TradeCheck } from '../../../src/core/approval';
import { crossCountyTrade } from './support/trade-context';

describe('evaluating every check on a trade', () => {
  it('runs the four rules in their fixed order', () => {
    expect(evaluateChecks(crossCountyTrade()).map((c) => [c.rule, c.severity])).toEqual([
      ['BUYER_REGION_CAP', 'BLOCK'],
      ['GROUNDWATER_OVERDRAFT', 'BLOCK'],
      ['USE_CONVERSION', 'WARN'],
      ['RIGHT_VALIDITY', 'BLOCK'],
    ]);
  });

  it('passes a clean cross-county trade on every check', () => {
    const checks = evaluateChecks(crossCountyTrade());
    expect(allPassed(checks)).toBe(true);
    expect(blockingFailures(checks)).toEqual([]);
  });

  it('lets a use-conversion warning through to approval but not to filing', () => {
    const checks = evaluateChecks(crossCountyTrade({ buyer: { regionCode: '150404', useType: 'INDUSTRY' } }));
    expect(blockingFailures(checks)).toEqual([]);
    expect(allPassed(checks)).toBe(false);
  });

  it('reports each blocking failure of a trade that breaks several rules', () => {
    const checks = evaluateChecks(
      crossCountyTrade({
        source: 'GROUNDWATER',
        year: 2025,
        today: '2026-01-02',
        buyer: { regionCode: '150404', useType: 'INDUSTRY' },
        buyerRegionChain: [
          { code: '150404', groundwaterOverdraft: true, headroom: '10' },
          { code: '150400', groundwaterOverdraft: false, headroom: null },
        ],
      }),
    );
    expect(checks.map((c) => c.passed)).toEqual([false, false, false, false]);
    expect(blockingFailures(checks).map((c) => c.rule)).toEqual([
      'BUYER_REGION_CAP',
      'GROUNDWATER_OVERDRAFT',
      'RIGHT_VALIDITY',
    ]);
  });

  it('treats no checks at all as all passed', () => {
    const none: TradeCheck[] = [];
    expect([allPassed(none), blockingFailures(none)]).toEqual([true, []]);
  });
});
