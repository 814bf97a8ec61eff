import { approvalRefusal, approvalShortfalls } from '../../../src/core/caps';
import { CITY, OTHER_CITY, X, Y, Z, base, book, regionalTrade } from './support/cap-books';

const pending = regionalTrade({ status: 'PENDING_APPROVAL', buyerRegionCode: X });
const bases = [2027, 2028, 2029].flatMap((year) => [
  base(X, year, '1000000', '1000000'),
  base(Y, year, '1000000', '500000'),
  base(CITY, year, '2500000', '1500000'),
]);

describe('approving a regional trade', () => {
  it('passes while the seller side still has the reserved volume in every year', () => {
    expect(approvalShortfalls(book([pending], bases), 'rt-1')).toEqual([]);
    expect(approvalRefusal(book([pending], bases), 'rt-1')).toBeNull();
  });

  it("fails in each year the seller county's cap was lowered below what it now holds", () => {
    const lowered = [...bases.filter((b) => !(b.regionCode === Y && b.year !== 2027)), base(Y, 2028, '650000', '500000'), base(Y, 2029, '600000', '500000')];
    const shortfalls = approvalShortfalls(book([pending], lowered), 'rt-1');
    expect(shortfalls.map((s) => [s.regionCode, s.year, s.headroom.toFixed()])).toEqual([
      [Y, 2028, '-50000'],
      [Y, 2029, '-100000'],
    ]);
    expect(approvalRefusal(book([pending], lowered), 'rt-1')).toEqual({
      code: 'CHECK_FAILED',
      detail: `Seller-side headroom would be negative: ${Y} in 2028 (-50000 m³), ${Y} in 2029 (-100000 m³)`,
    });
  });

  it('passes at exactly zero headroom: the volume is already counted there', () => {
    const full = [...bases.filter((b) => b.regionCode !== Y), ...[2027, 2028, 2029].map((year) => base(Y, year, '700000', '500000'))];
    expect(approvalShortfalls(book([pending], full), 'rt-1')).toEqual([]);
  });

  it('does not check the common ancestor: its figures do not change', () => {
    const fullCity = [...bases.filter((b) => b.regionCode !== CITY), ...[2027, 2028, 2029].map((year) => base(CITY, year, '1000000', '1500000'))];
    expect(approvalShortfalls(book([pending], fullCity), 'rt-1')).toEqual([]);
  });

  it("across cities checks the seller's city too, and never the buyer side", () => {
    const crossCity = regionalTrade({ status: 'PENDING_APPROVAL', buyerRegionCode: Z, fromYear: 2027, toYear: 2027 });
    const bases2027 = [base(Y, 2027, '1000000', '500000'), base(CITY, 2027, '1600000', '1500000'), base(Z, 2027, '1', '1000000'), base(OTHER_CITY, 2027, '1', '1000000')];
    expect(approvalShortfalls(book([crossCity], bases2027), 'rt-1').map((s) => [s.regionCode, s.headroom.toFixed()])).toEqual([[CITY, '-100000']]);
  });

  it('is asked only about a pending trade with a buyer: anything else is a bug in the caller', () => {
    expect(() => approvalShortfalls(book([regionalTrade()], bases), 'rt-1')).toThrow(RangeError);
    expect(() => approvalShortfalls(book([], bases), 'rt-1')).toThrow(RangeError);
  });
});
