import { announcementProblems, interestPriceProblems, regionalTradeAmount } from '../../../src/core/regional-trades';

const now = new Date('2026-06-01T00:00:00Z');
const FIVE_DAYS = 432_000;
const terms = { volumePerYear: '200000', askingPrice: '0.80' };
const trade = { ...terms, fromYear: 2027, toYear: 2029 };

describe('announcing a regional trade', () => {
  it('accepts a term from this year on with five days of notice', () => {
    expect(announcementProblems({ ...terms, fromYear: 2027, toYear: 2029, closesAt: new Date('2026-06-06T00:00:00Z') }, now, 2026, FIVE_DAYS)).toEqual([]);
  });

  it('follows the year rules of transfers of rights and needs the notice period', () => {
    expect(announcementProblems({ ...terms, fromYear: 2025, toYear: 2060, closesAt: new Date('2026-06-05T23:59:59Z') }, now, 2026, FIVE_DAYS)).toEqual([
      { field: 'fromYear', message: 'must not be before the current year 2026' },
      { field: 'toYear', message: 'the term may cover at most 30 years' },
      { field: 'closesAt', message: 'must be at least 432000 seconds from now' },
    ]);
  });

  it('closes before its first year ends in Beijing, 16:00 UTC on 31 December, so the buyer gets years still to come', () => {
    const announce = (closesAt: string) => announcementProblems({ ...terms, fromYear: 2027, toYear: 2029, closesAt: new Date(closesAt) }, now, 2026, FIVE_DAYS);
    expect(announce('2027-12-31T15:59:59.999Z')).toEqual([]);
    expect(announce('2027-12-31T16:00:00Z')).toEqual([{ field: 'closesAt', message: 'must be before the end of fromYear 2027 (2027-12-31T16:00:00.000Z)' }]);
    expect(announce('2035-01-01T00:00:00Z')).toEqual([{ field: 'closesAt', message: 'must be before the end of fromYear 2027 (2027-12-31T16:00:00.000Z)' }]);
  });

  it('is worth at least half a fen over the term: 0.01 × 0.001 × 1 rounds to 0.00', () => {
    expect(announcementProblems({ volumePerYear: '0.001', askingPrice: '0.01', fromYear: 2027, toYear: 2027, closesAt: new Date('2026-06-06T00:00:00Z') }, now, 2026, FIVE_DAYS)).toEqual([
      { field: 'volumePerYear', message: 'price × volumePerYear × years is worth less than half a fen; nothing could be paid for it' },
    ]);
  });

  it('is worth less than 10^15 CNY over the term at its asking price', () => {
    const announce = (toYear: number) =>
      announcementProblems({ volumePerYear: '100000000', askingPrice: '1000000', fromYear: 2027, toYear, closesAt: new Date('2026-06-06T00:00:00Z') }, now, 2026, FIVE_DAYS);
    expect(announce(2035)).toEqual([]);
    expect(announce(2036)).toEqual([{ field: 'volumePerYear', message: 'price × volumePerYear × years is worth 10^15 CNY or more, beyond what an amount may be' }]);
  });
});

describe('the price of an interest', () => {
  it('is at least the asking price, on the 0.01 tick', () => {
    expect(interestPriceProblems('0.80', trade)).toEqual([]);
    expect(interestPriceProblems('0.805', trade)).toEqual([{ field: 'price', message: 'must be a multiple of the price tick 0.01' }]);
    expect(interestPriceProblems('0.79', trade)).toEqual([{ field: 'price', message: 'must be at least the asking price 0.8' }]);
  });

  it('is worth at least half a fen over the term, else 400 on price: 0.01 × 0.001 × 1 rounds to 0.00', () => {
    const dust = { volumePerYear: '0.001', askingPrice: '0.01', fromYear: 2027, toYear: 2027 };
    expect(interestPriceProblems('0.01', dust)).toEqual([
      { field: 'price', message: 'price × volumePerYear × years is worth less than half a fen; nothing could be paid for it' },
    ]);
    expect(interestPriceProblems('5.00', dust)).toEqual([]);
  });

  it('is worth less than 10^15 CNY over the term, else 400 on price', () => {
    const large = { ...trade, volumePerYear: '10000000' };
    expect(interestPriceProblems('33333333.33', large)).toEqual([]);
    expect(interestPriceProblems('33333333.34', large)).toEqual([
      { field: 'price', message: 'price × volumePerYear × years is worth 10^15 CNY or more, beyond what an amount may be' },
    ]);
  });

  it('locks price × volumePerYear × years, rounded once: 0.85 × 200 000 × 3 = 510 000.00', () => {
    expect(regionalTradeAmount('0.85', '200000', 3).toFixed(2)).toBe('510000.00');
  });
});
