import { rightTransferProblems } from '../../../src/core/rights';

const parties = { sellerId: 'district', buyerId: 'enterprise', buyerKind: 'ENTERPRISE' };
const CURRENT_YEAR = 2026;

describe('proposing a transfer of rights', () => {
  it('accepts a term starting this year or later, up to 30 years', () => {
    expect(rightTransferProblems(parties, 2026, 2026, CURRENT_YEAR)).toEqual([]);
    expect(rightTransferProblems(parties, 2027, 2056, CURRENT_YEAR)).toEqual([]);
  });

  it('refuses a term that starts before the current year', () => {
    expect(rightTransferProblems(parties, 2025, 2027, CURRENT_YEAR)).toEqual([{ field: 'fromYear', message: 'must not be before the current year 2026' }]);
  });

  it('refuses a term that ends before it starts', () => {
    expect(rightTransferProblems(parties, 2028, 2027, CURRENT_YEAR)).toEqual([{ field: 'toYear', message: 'must not be before fromYear' }]);
  });

  it('refuses more than 30 years', () => {
    expect(rightTransferProblems(parties, 2027, 2057, CURRENT_YEAR)).toEqual([{ field: 'toYear', message: 'the term may cover at most 30 years' }]);
  });

  it('refuses selling to oneself', () => {
    expect(rightTransferProblems({ ...parties, buyerId: 'district' }, 2027, 2031, CURRENT_YEAR)).toEqual([{ field: 'buyerId', message: 'must not be the seller' }]);
  });

  it.each(['REGULATOR', 'OPERATOR'])('refuses a %s as buyer: only traders buy rights', (buyerKind) => {
    expect(rightTransferProblems({ ...parties, buyerKind }, 2027, 2031, CURRENT_YEAR)).toEqual([
      { field: 'buyerId', message: `a ${buyerKind} cannot buy a right; the buyer must be a trader` },
    ]);
  });

  it('accepts a reserve buying a right (收储)', () => {
    expect(rightTransferProblems({ ...parties, buyerKind: 'RESERVE' }, 2027, 2031, CURRENT_YEAR)).toEqual([]);
  });

  it('names every problem at once', () => {
    expect(rightTransferProblems({ ...parties, buyerId: 'district' }, 2020, 2019, CURRENT_YEAR).map((e) => e.field)).toEqual(['fromYear', 'toYear', 'buyerId']);
  });
});
