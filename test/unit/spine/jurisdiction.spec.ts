import { coversBoth, coversRegion } from '../../../src/core/jurisdiction';

// Chains run from the target region up to the root, nearest first.
const CHAIN = {
  province: ['150000'],
  city: ['150400', '150000'],
  county: ['150421', '150400', '150000'],
  siblingCounty: ['150422', '150400', '150000'],
  otherCity: ['150200', '150000'],
};

describe("a regulator's jurisdiction: its region and every region below it", () => {
  it('covers its own region', () => expect(coversRegion('150400', CHAIN.city)).toBe(true));
  it('covers a region below it', () => expect(coversRegion('150400', CHAIN.county)).toBe(true));
  it('covers regions several levels below it', () => expect(coversRegion('150000', CHAIN.county)).toBe(true));
  it('does not cover its parent', () => expect(coversRegion('150400', CHAIN.province)).toBe(false));
  it('does not cover a sibling', () => expect(coversRegion('150400', CHAIN.otherCity)).toBe(false));
  it('does not cover the county next door from a county', () => expect(coversRegion('150421', CHAIN.siblingCounty)).toBe(false));
  it('covers nothing when the target region does not exist', () => expect(coversRegion('150400', [])).toBe(false));

  describe('strictly (caps are set from the level above)', () => {
    it('excludes its own region', () => expect(coversRegion('150400', CHAIN.city, true)).toBe(false));
    it('still covers a region below it', () => expect(coversRegion('150400', CHAIN.county, true)).toBe(true));
    it('still covers regions several levels below', () => expect(coversRegion('150000', CHAIN.county, true)).toBe(true));
    it('still excludes siblings and parents', () => {
      expect(coversRegion('150400', CHAIN.otherCity, true)).toBe(false);
      expect(coversRegion('150400', CHAIN.province, true)).toBe(false);
    });
    it('excludes a province regulator from its own province', () => expect(coversRegion('150000', CHAIN.province, true)).toBe(false));
  });

  describe('deciding a trade needs both parties in the jurisdiction', () => {
    it('lets the city decide between two of its counties', () => expect(coversBoth('150400', CHAIN.county, CHAIN.siblingCounty)).toBe(true));
    it('does not let a county decide a trade with the county next door', () =>
      expect(coversBoth('150421', CHAIN.county, CHAIN.siblingCounty)).toBe(false));
    it('does not let the city decide a trade with another city', () => expect(coversBoth('150400', CHAIN.county, CHAIN.otherCity)).toBe(false));
    it('lets the province decide a trade across cities', () => expect(coversBoth('150000', CHAIN.county, CHAIN.otherCity)).toBe(true));
  });
});
