import { capHeadroom, capView, effectiveCap } from '../../../src/core/caps';
import { CITY, PROVINCE, X, Y, base, book, regionalTrade } from './support/cap-books';

/**
 * DOMAIN.md, Caps and regions: county X (cap 1 000 000, allocated 1 000 000) buys
 * 200 000 m³/yr of cap from county Y (cap 1 000 000, allocated 500 000) in the same city
 * for 2027–2029. The city's cap is 2 500 000 and covers both counties' allocations.
 */
const YEARS = [2027, 2028, 2029];
const bases = [2026, ...YEARS, 2030].flatMap((year) => [
  base(X, year, '1000000', '1000000'),
  base(Y, year, '1000000', '500000'),
  base(CITY, year, '2500000', '1500000'),
]);

const stages = {
  before: book([], bases),
  announced: book([regionalTrade({ status: 'ANNOUNCED' })], bases),
  closed: book([regionalTrade({ status: 'PENDING_APPROVAL', buyerRegionCode: X })], bases),
  settled: book([regionalTrade({ status: 'SETTLED', buyerRegionCode: X })], bases),
};
const room = (stage: keyof typeof stages, region: string, year: number) => capHeadroom(stages[stage], region, year)?.toFixed();

describe('county X buys 200 000 m³/yr of cap from county Y in the same city, 2027–2029', () => {
  it('starts with X at its cap, Y with 500 000 and the city with 1 000 000 of headroom', () => {
    for (const year of YEARS) expect([room('before', X, year), room('before', Y, year), room('before', CITY, year)]).toEqual(['0', '500000', '1000000']);
  });

  describe('while announced (the buyer is not known yet)', () => {
    it.each(YEARS)("reserves the volume on Y: Y's headroom is 300 000 in %i", (year) => {
      expect(capView(stages.announced, Y, year)).toMatchObject({ capReservedOut: '200000', headroom: '300000' });
    });

    it.each(YEARS)("reserves it on the city as well: the city's headroom is 200 000 lower in %i", (year) => {
      expect(capView(stages.announced, CITY, year)).toMatchObject({ capReservedOut: '200000', headroom: '800000' });
    });

    it('reports the reservation up to the root, even where no cap is set', () => {
      expect(capView(stages.announced, PROVINCE, 2027)).toMatchObject({ totalCap: null, capReservedOut: '200000', headroom: null });
    });

    it('gives X nothing yet', () => {
      expect(capView(stages.announced, X, 2027)).toMatchObject({ capTransferredIn: '0', capReservedOut: '0', headroom: '0' });
    });
  });

  describe('from the close, X known as the buyer inside the city', () => {
    it.each(YEARS)('puts the city back where it was in %i', (year) => {
      expect(capView(stages.closed, CITY, year)).toMatchObject({ capReservedOut: '0', headroom: '1000000' });
    });

    it.each(YEARS)('keeps the volume reserved on Y in %i', (year) => {
      expect(capView(stages.closed, Y, year)).toMatchObject({ capReservedOut: '200000', headroom: '300000' });
    });

    it('still gives X nothing before settlement', () => {
      expect(room('closed', X, 2028)).toBe('0');
    });
  });

  describe('once settled', () => {
    it.each(YEARS)("gives X 200 000 of headroom in %i", (year) => {
      expect(capView(stages.settled, X, year)).toMatchObject({ capTransferredIn: '200000', capTransferredOut: '0', headroom: '200000' });
    });

    it.each(YEARS)("leaves Y's headroom at 300 000 in %i, the reservation now a transfer out", (year) => {
      expect(capView(stages.settled, Y, year)).toMatchObject({ capTransferredOut: '200000', capReservedOut: '0', headroom: '300000' });
    });

    it.each(YEARS)('leaves the city where it was in %i', (year) => {
      expect(capView(stages.settled, CITY, year)).toMatchObject({ capTransferredIn: '0', capTransferredOut: '0', capReservedOut: '0', headroom: '1000000' });
    });
  });

  it('touches no year outside the term', () => {
    for (const stage of Object.keys(stages) as Array<keyof typeof stages>) {
      for (const year of [2026, 2030]) expect([room(stage, X, year), room(stage, Y, year), room(stage, CITY, year)]).toEqual(['0', '500000', '1000000']);
    }
  });

  it('conserves cap: the effective caps under the common ancestor add up to the same total', () => {
    const total = (stage: keyof typeof stages, year: number) => effectiveCap(stages[stage], X, year)!.plus(effectiveCap(stages[stage], Y, year)!).toFixed();
    for (const year of YEARS) {
      expect(total('before', year)).toBe('2000000');
      expect(total('settled', year)).toBe('2000000');
      expect(effectiveCap(stages.settled, X, year)!.toFixed()).toBe('1200000');
      expect(effectiveCap(stages.settled, Y, year)!.toFixed()).toBe('800000');
      expect(effectiveCap(stages.settled, CITY, year)!.eq(effectiveCap(stages.before, CITY, year)!)).toBe(true);
    }
  });
});
