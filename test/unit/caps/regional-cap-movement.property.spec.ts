import fc from 'fast-check';
import { Dec } from '../../../src/core/decimal';
import { type CapBook, type RegionParents, capView, effectiveCap, regionChain, regionalTradePath } from '../../../src/core/caps';

/** A random tree of up to 12 regions: each region's parent is an earlier one, or none. */
const treeArb: fc.Arbitrary<RegionParents> = fc
  .array(fc.nat(), { minLength: 2, maxLength: 12 })
  .map((draws) => new Map(draws.map((d, i) => [`r${i}`, i === 0 || d % 5 === 0 ? null : `r${d % i}`])));

/** A tree and two regions of it, neither containing the other, that share an ancestor. */
const tradeArb = treeArb
  .chain((parents) => fc.tuple(fc.constant(parents), fc.constantFrom(...parents.keys()), fc.constantFrom(...parents.keys())))
  .filter(([parents, seller, buyer]) => {
    const path = regionalTradePath(parents, seller, buyer);
    return path.ancestor !== null && path.leaving.length > 0 && path.joining.length > 0;
  });

const VOLUME = '1234.567';
const bookOf = (parents: RegionParents, status: 'ANNOUNCED' | 'PENDING_APPROVAL' | 'SETTLED', seller: string, buyer: string): CapBook => ({
  parents,
  regionalTrades: [{ id: 't', status, sellerRegionCode: seller, buyerRegionCode: status === 'ANNOUNCED' ? null : buyer, fromYear: 2027, toYear: 2027, volumePerYear: VOLUME }],
  base: [...parents.keys()].map((regionCode) => ({ regionCode, year: 2027, totalCap: '1000000', allocated: '0', transferredIn: '0', transferredOut: '0' })),
});

describe('regional trades move cap along the tree (properties)', () => {
  it('once settled, take the volume off the seller path and add it on the buyer path, nowhere else', () => {
    fc.assert(
      fc.property(tradeArb, ([parents, seller, buyer]) => {
        const settled = bookOf(parents, 'SETTLED', seller, buyer);
        const { leaving, joining } = regionalTradePath(parents, seller, buyer);
        for (const region of parents.keys()) {
          const expected = leaving.includes(region) ? '998765.433' : joining.includes(region) ? '1001234.567' : '1000000';
          expect(effectiveCap(settled, region, 2027)!.toFixed()).toBe(expected);
        }
      }),
    );
  });

  it('conserve cap: the effective caps below the common ancestor add up to the same total', () => {
    fc.assert(
      fc.property(tradeArb, ([parents, seller, buyer]) => {
        const { ancestor } = regionalTradePath(parents, seller, buyer);
        const children = [...parents.keys()].filter((r) => parents.get(r) === ancestor);
        const total = (book: CapBook) => children.reduce((sum, r) => sum.plus(effectiveCap(book, r, 2027)!), new Dec(0));
        expect(total(bookOf(parents, 'SETTLED', seller, buyer)).eq(children.length * 1_000_000)).toBe(true);
      }),
    );
  });

  it('while announced, reserve the volume on the whole seller chain; from the close, only below the ancestor', () => {
    fc.assert(
      fc.property(tradeArb, ([parents, seller, buyer]) => {
        const announced = bookOf(parents, 'ANNOUNCED', seller, buyer);
        const pending = bookOf(parents, 'PENDING_APPROVAL', seller, buyer);
        const sellerChain = regionChain(parents, seller);
        const { leaving } = regionalTradePath(parents, seller, buyer);
        for (const region of parents.keys()) {
          expect(capView(announced, region, 2027).capReservedOut).toBe(sellerChain.includes(region) ? VOLUME : '0');
          expect(capView(pending, region, 2027).capReservedOut).toBe(leaving.includes(region) ? VOLUME : '0');
        }
      }),
    );
  });
});
