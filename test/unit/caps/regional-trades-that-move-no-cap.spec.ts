import { capView } from '../../../src/core/caps';
import { CITY, X, Y, base, book, regionalTrade } from './support/cap-books';

const bases = [base(Y, 2027, '1000000', '500000'), base(CITY, 2027, '2500000', '1500000'), base(X, 2027, '1000000', '1000000')];

describe('a regional trade that ends without settling', () => {
  it.each([
    ['rejected (or expired) after the close', { status: 'REJECTED' as const, buyerRegionCode: X }],
    ['unsold, nobody having shown interest', { status: 'UNSOLD' as const }],
    ['withdrawn by the seller', { status: 'WITHDRAWN' as const }],
  ])('releases its reservation when %s', (_case, fields) => {
    const b = book([regionalTrade(fields)], bases);
    for (const region of [Y, CITY, X]) {
      expect(capView(b, region, 2027)).toMatchObject({ capTransferredIn: '0', capTransferredOut: '0', capReservedOut: '0' });
    }
    expect(capView(b, Y, 2027).headroom).toBe('500000');
  });
});

describe('several regional trades in one year', () => {
  it('add up on each side', () => {
    const b = book(
      [
        regionalTrade({ id: 'a', status: 'SETTLED', buyerRegionCode: X, volumePerYear: '100000' }),
        regionalTrade({ id: 'b', status: 'ANNOUNCED', volumePerYear: '50000.5' }),
        regionalTrade({ id: 'c', status: 'SETTLED', sellerRegionCode: X, buyerRegionCode: Y, volumePerYear: '30000' }),
      ],
      bases,
    );
    expect(capView(b, Y, 2027)).toMatchObject({ capTransferredIn: '30000', capTransferredOut: '100000', capReservedOut: '50000.5', headroom: '379999.5' });
    expect(capView(b, X, 2027)).toMatchObject({ capTransferredIn: '100000', capTransferredOut: '30000', headroom: '70000' });
  });
});
