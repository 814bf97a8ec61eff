import { capView, effectiveCap } from '../../../src/core/caps';
import { CITY, OTHER_CITY, PROVINCE, Y, Z, base, book, regionalTrade } from './support/cap-books';

// County Y of one city sells 50 000 m³/yr for 2027 to county Z of the other city; the
// province is their common ancestor and approves.
const bases = [
  base(Y, 2027, '1000000', '500000'),
  base(CITY, 2027, '2500000', '1500000'),
  base(Z, 2027, '800000', '800000'),
  base(OTHER_CITY, 2027, '900000', '800000'),
  base(PROVINCE, 2027, '5000000', '2300000'),
];
const trade = (fields: Parameters<typeof regionalTrade>[0]) => book([regionalTrade({ volumePerYear: '50000', fromYear: 2027, toYear: 2027, ...fields })], bases);
const figures = (b: ReturnType<typeof trade>, region: string) => {
  const { capTransferredIn, capTransferredOut, capReservedOut, headroom } = capView(b, region, 2027);
  return [capTransferredIn, capTransferredOut, capReservedOut, headroom];
};

describe('a regional trade between counties of different cities', () => {
  it('while announced reserves the volume on the county, its city and the province', () => {
    const announced = trade({ status: 'ANNOUNCED' });
    expect(figures(announced, Y)).toEqual(['0', '0', '50000', '450000']);
    expect(figures(announced, CITY)).toEqual(['0', '0', '50000', '950000']);
    expect(figures(announced, PROVINCE)).toEqual(['0', '0', '50000', '2650000']);
  });

  it('from the close reserves it only below the province, which holds the buyer too', () => {
    const pending = trade({ status: 'PENDING_APPROVAL', buyerRegionCode: Z });
    expect(figures(pending, CITY)).toEqual(['0', '0', '50000', '950000']);
    expect(figures(pending, PROVINCE)).toEqual(['0', '0', '0', '2700000']);
    expect(figures(pending, Z)).toEqual(['0', '0', '0', '0']);
  });

  it("once settled moves the cap out of Y's side and into Z's, the province unchanged", () => {
    const settled = trade({ status: 'SETTLED', buyerRegionCode: Z });
    expect(figures(settled, Y)).toEqual(['0', '50000', '0', '450000']);
    expect(figures(settled, CITY)).toEqual(['0', '50000', '0', '950000']);
    expect(figures(settled, Z)).toEqual(['50000', '0', '0', '50000']);
    expect(figures(settled, OTHER_CITY)).toEqual(['50000', '0', '0', '150000']);
    expect(figures(settled, PROVINCE)).toEqual(['0', '0', '0', '2700000']);
  });

  it('conserves cap under the province', () => {
    const sum = (b: ReturnType<typeof trade>) => effectiveCap(b, CITY, 2027)!.plus(effectiveCap(b, OTHER_CITY, 2027)!).toFixed();
    expect(sum(book([], bases))).toBe('3400000');
    expect(sum(trade({ status: 'SETTLED', buyerRegionCode: Z }))).toBe('3400000');
  });
});
