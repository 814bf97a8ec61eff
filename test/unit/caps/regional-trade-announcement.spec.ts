import { announcementRefusal } from '../../../src/core/caps';
import { CITY, X, Y, base, book, regionalTrade } from './support/cap-books';

const terms = { sellerRegionCode: Y, fromYear: 2027, toYear: 2028, volumePerYear: '200000' };
const capped = [2027, 2028].flatMap((year) => [base(Y, year, '1000000', '500000'), base(CITY, year, '2500000', '1500000')]);

describe('announcing a regional trade', () => {
  it('is allowed when every year has room on the seller county and every capped region above it', () => {
    expect(announcementRefusal(book([], capped), terms)).toBeNull();
  });

  it('needs a cap on the seller region in every year of the term', () => {
    expect(announcementRefusal(book([], capped), { ...terms, toYear: 2030 })).toEqual({
      code: 'INVALID_STATE',
      detail: `Region ${Y} has no cap set for 2029, 2030`,
    });
  });

  it('may fill the headroom exactly', () => {
    expect(announcementRefusal(book([], capped), { ...terms, volumePerYear: '500000' })).toBeNull();
  });

  it('is refused beyond the headroom of a capped region above the seller', () => {
    const tightCity = [...capped.filter((b) => b.regionCode !== CITY || b.year !== 2028), base(CITY, 2028, '1600000', '1500000')];
    expect(announcementRefusal(book([], tightCity), terms)).toEqual({
      code: 'CAP_EXCEEDED',
      detail: `200000 m³ exceeds the 2028 headroom of region ${CITY} (100000 m³)`,
    });
  });

  it('counts what earlier announcements already reserve', () => {
    const earlier = regionalTrade({ id: 'earlier', volumePerYear: '400000', fromYear: 2028, toYear: 2028 });
    expect(announcementRefusal(book([earlier], capped), terms)).toEqual({
      code: 'CAP_EXCEEDED',
      detail: `200000 m³ exceeds the 2028 headroom of region ${Y} (100000 m³)`,
    });
  });

  it('leaves a county at its cap nothing to sell', () => {
    expect(announcementRefusal(book([], [base(X, 2027, '1000000', '1000000')]), { ...terms, sellerRegionCode: X, toYear: 2027 })).toMatchObject({
      code: 'CAP_EXCEEDED',
    });
  });
});
