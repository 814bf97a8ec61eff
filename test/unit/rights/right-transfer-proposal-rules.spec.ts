import { rightTransferProblems } from '../../../src/core/rights';

const parties = { sellerId: 'district', buyerId: 'enterprise', buyerKind: 'ENTERPRISE' };
const CURRENT_YEAR = 2026;
const term = (fromYear: number, toYear: number, fields: Partial<{ volumePerYear: string; price: string }> = {}) => ({
  fromYear,
  toYear,
  volumePerYear: '200000',
  price: '1.2',
  ...fields,
});

describe('proposing a transfer of rights', () => {
  it('accepts a term starting this year or later, up to 30 years', () => {
    expect(rightTransferProblems(parties, term(2026, 2026), CURRENT_YEAR)).toEqual([]);
    expect(rightTransferProblems(parties, term(2027, 2056), CURRENT_YEAR)).toEqual([]);
  });

  it('refuses a term that starts before the current year', () => {
    expect(rightTransferProblems(parties, term(2025, 2027), CURRENT_YEAR)).toEqual([{ field: 'fromYear', message: 'must not be before the current year 2026' }]);
  });

  it('refuses a term that ends before it starts', () => {
    expect(rightTransferProblems(parties, term(2028, 2027), CURRENT_YEAR)).toEqual([{ field: 'toYear', message: 'must not be before fromYear' }]);
  });

  it('refuses more than 30 years', () => {
    expect(rightTransferProblems(parties, term(2027, 2057), CURRENT_YEAR)).toEqual([{ field: 'toYear', message: 'the term may cover at most 30 years' }]);
  });

  it('refuses selling to oneself', () => {
    expect(rightTransferProblems({ ...parties, buyerId: 'district' }, term(2027, 2031), CURRENT_YEAR)).toEqual([{ field: 'buyerId', message: 'must not be the seller' }]);
  });

  it.each(['REGULATOR', 'OPERATOR'])('refuses a %s as buyer: only traders buy rights', (buyerKind) => {
    expect(rightTransferProblems({ ...parties, buyerKind }, term(2027, 2031), CURRENT_YEAR)).toEqual([
      { field: 'buyerId', message: `a ${buyerKind} cannot buy a right; the buyer must be a trader` },
    ]);
  });

  it('accepts a reserve buying a right (收储)', () => {
    expect(rightTransferProblems({ ...parties, buyerKind: 'RESERVE' }, term(2027, 2031), CURRENT_YEAR)).toEqual([]);
  });

  it('names every problem at once', () => {
    expect(rightTransferProblems({ ...parties, buyerId: 'district' }, term(2020, 2019), CURRENT_YEAR).map((e) => e.field)).toEqual(['fromYear', 'toYear', 'buyerId']);
  });

  it('refuses a term worth less than half a fen over all its years: 0.0001 × 10 × 4 = 0.004', () => {
    expect(rightTransferProblems(parties, term(2027, 2030, { volumePerYear: '10', price: '0.0001' }), CURRENT_YEAR)).toEqual([
      { field: 'volumePerYear', message: 'price × volumePerYear × years is worth less than half a fen; nothing could be paid for it' },
    ]);
    expect(rightTransferProblems(parties, term(2027, 2031, { volumePerYear: '10', price: '0.0001' }), CURRENT_YEAR)).toEqual([]);
  });

  it('refuses a term worth 10^15 CNY or more: 10^8 × 10^6 × 10 years', () => {
    expect(rightTransferProblems(parties, term(2027, 2036, { volumePerYear: '1000000', price: '100000000' }), CURRENT_YEAR)).toEqual([
      { field: 'volumePerYear', message: 'price × volumePerYear × years is worth 10^15 CNY or more, beyond what an amount may be' },
    ]);
    expect(rightTransferProblems(parties, term(2027, 2035, { volumePerYear: '1000000', price: '100000000' }), CURRENT_YEAR)).toEqual([]);
  });
});
