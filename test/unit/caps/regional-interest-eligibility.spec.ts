import { interestRegionRefusal } from '../../../src/core/caps';
import { CITY, PROVINCE, X, Y, Z, parents } from './support/cap-books';

describe('which regions may show interest in a regional trade', () => {
  it('a sibling county, or a county of another city, may', () => {
    expect(interestRegionRefusal({ parents }, Y, X)).toBeNull();
    expect(interestRegionRefusal({ parents }, Y, Z)).toBeNull();
  });

  it.each([
    ['the seller region itself', Y],
    ["the seller's city above it", CITY],
    ['the province above it', PROVINCE],
  ])('%s may not (403)', (_case, buyer) => {
    expect(interestRegionRefusal({ parents }, Y, buyer)).toMatchObject({ code: 'FORBIDDEN' });
  });

  it('a county below a city selling cap may not', () => {
    expect(interestRegionRefusal({ parents }, CITY, X)).toMatchObject({ code: 'FORBIDDEN' });
  });

  it('a region of a separate tree may not: no common upper level could approve', () => {
    const twoTrees = new Map([...parents, ['210000', null]]);
    expect(interestRegionRefusal({ parents: twoTrees }, Y, '210000')).toEqual({
      code: 'FORBIDDEN',
      detail: `Regions ${Y} and 210000 share no upper level to approve a trade`,
    });
  });
});
