import { announcementProblems, interestPriceProblems, regionalTradeAmount } from '../../../src/core/regional-trades';

const now = new Date('2026-06-01T00:00:00Z');
const FIVE_DAYS = 432_000;

describe('announcing a regional trade', () => {
  it('accepts a term from this year on with five days of notice', () => {
    expect(announcementProblems({ fromYear: 2027, toYear: 2029, closesAt: new Date('2026-06-06T00:00:00Z') }, now, 2026, FIVE_DAYS)).toEqual([]);
  });

  it('follows the year rules of transfers of rights and needs the notice period', () => {
    expect(announcementProblems({ fromYear: 2025, toYear: 2060, closesAt: new Date('2026-06-05T23:59:59Z') }, now, 2026, FIVE_DAYS)).toEqual([
      { field: 'fromYear', message: 'must not be before the current year 2026' },
      { field: 'toYear', message: 'the term may cover at most 30 years' },
      { field: 'closesAt', message: 'must be at least 432000 seconds from now' },
    ]);
  });
});

describe('the price of an interest', () => {
  it('is at least the asking price, on the 0.01 tick', () => {
    expect(interestPriceProblems('0.80', '0.80')).toEqual([]);
    expect(interestPriceProblems('0.805', '0.80')).toEqual([{ field: 'price', message: 'must be a multiple of the price tick 0.01' }]);
    expect(interestPriceProblems('0.79', '0.80')).toEqual([{ field: 'price', message: 'must be at least the asking price 0.8' }]);
  });

  it('locks price × volumePerYear × years, rounded once: 0.85 × 200 000 × 3 = 510 000.00', () => {
    expect(regionalTradeAmount('0.85', '200000', 3).toFixed(2)).toBe('510000.00');
  });
});
