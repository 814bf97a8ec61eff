import fc from 'fast-check';
import { litresToVolume, priceToTicks, ticksToPrice, volumeToLitres } from '../../../src/core/matching';

describe('unit conversion', () => {
  it.each([
    ['0.85', 8500],
    ['12', 120000],
    ['0.0001', 1],
    ['1.25000', 12500],
  ])('reads price %s as %d ticks', (price, ticks) => {
    expect(priceToTicks(price)).toBe(ticks);
  });

  it.each([
    ['60000', 60000000],
    ['12.5', 12500],
    ['0.001', 1],
    ['60000.000', 60000000],
  ])('reads volume %s as %d litres', (volume, litres) => {
    expect(volumeToLitres(volume)).toBe(litres);
  });

  it('writes base units back in the shortest exact form', () => {
    expect([ticksToPrice(8500), ticksToPrice(120000), ticksToPrice(1), ticksToPrice(0)]).toEqual(['0.85', '12', '0.0001', '0']);
    expect([litresToVolume(60000000), litresToVolume(12500), litresToVolume(1)]).toEqual(['60000', '12.5', '0.001']);
  });

  it('refuses a price with more than 4 decimals', () => {
    expect(() => priceToTicks('0.00001')).toThrow(/more than 4 decimals/);
  });

  it('refuses a volume with more than 3 decimals', () => {
    expect(() => volumeToLitres('1.0005')).toThrow(/more than 3 decimals/);
  });

  it.each(['-1', '1e3', ' 1', '', '.5', '5.', 'NaN', 'Infinity', '0x10'])('refuses %j as a decimal', (text) => {
    expect(() => priceToTicks(text)).toThrow(RangeError);
  });

  it('refuses a value too large to hold exactly', () => {
    expect(() => volumeToLitres('999999999999999')).toThrow(/too large/);
  });

  it('refuses to write a base-unit count that is not a safe integer', () => {
    expect(() => ticksToPrice(1.5)).toThrow(RangeError);
    expect(() => litresToVolume(2 ** 53)).toThrow(RangeError);
  });

  it('round-trips every base-unit count through its decimal string', () => {
    fc.assert(
      fc.property(fc.maxSafeNat(), (n) => {
        expect(priceToTicks(ticksToPrice(n))).toBe(n);
        expect(volumeToLitres(litresToVolume(n))).toBe(n);
      }),
    );
  });

  it('round-trips every decimal string within scale to its shortest form', () => {
    const decimal = fc
      .tuple(fc.nat({ max: 10 ** 9 }), fc.nat({ max: 999 }))
      .map(([whole, fraction]) => `${whole}.${String(fraction).padStart(3, '0')}`);
    fc.assert(
      fc.property(decimal, (text) => {
        expect(Number(litresToVolume(volumeToLitres(text)))).toBe(Number(text));
        expect(litresToVolume(volumeToLitres(text))).not.toMatch(/\.\d*0$|^0\d/);
      }),
    );
  });
});
