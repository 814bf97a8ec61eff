import { isWithin, lowestCommonAncestor, regionChain, regionalTradePath } from '../../../src/core/caps';
import { CITY, OTHER_CITY, PROVINCE, X, Y, Z, parents } from './support/cap-books';

describe('the region tree', () => {
  it('walks from a county up to the province, nearest first', () => {
    expect(regionChain(parents, X)).toEqual([X, CITY, PROVINCE]);
    expect(regionChain(parents, PROVINCE)).toEqual([PROVINCE]);
  });

  it('finds the lowest common ancestor: the city for two of its counties, the province across cities', () => {
    expect(lowestCommonAncestor(parents, X, Y)).toBe(CITY);
    expect(lowestCommonAncestor(parents, Y, Z)).toBe(PROVINCE);
    expect(lowestCommonAncestor(parents, X, CITY)).toBe(CITY);
  });

  it('has no common ancestor between two separate trees', () => {
    const twoTrees = new Map([...parents, ['210000', null], ['210100', '210000']]);
    expect(lowestCommonAncestor(twoTrees, X, '210100')).toBeNull();
  });

  it('tells whether a region lies within another', () => {
    expect(isWithin(parents, X, CITY)).toBe(true);
    expect(isWithin(parents, X, X)).toBe(true);
    expect(isWithin(parents, X, OTHER_CITY)).toBe(false);
  });

  it('refuses codes it was not given and trees that loop: both are loading bugs', () => {
    expect(() => regionChain(parents, '999999')).toThrow(RangeError);
    expect(() => regionChain(new Map([['1', '2'], ['2', '1']]), '1')).toThrow(/cycle/);
  });
});

describe('the path of a regional trade', () => {
  it('between two counties of a city: cap leaves the seller county and joins the buyer county only', () => {
    expect(regionalTradePath(parents, Y, X)).toEqual({ ancestor: CITY, leaving: [Y], joining: [X] });
  });

  it('across cities: it leaves the county and its city, and joins the other county and city', () => {
    expect(regionalTradePath(parents, Y, Z)).toEqual({ ancestor: PROVINCE, leaving: [Y, CITY], joining: [Z, OTHER_CITY] });
  });

  it('between separate trees: whole chains on both sides and no approving level', () => {
    const twoTrees = new Map([...parents, ['210000', null], ['210100', '210000']]);
    expect(regionalTradePath(twoTrees, X, '210100')).toEqual({ ancestor: null, leaving: [X, CITY, PROVINCE], joining: ['210100', '210000'] });
  });
});
