import { checkBuyerRegionCap } from '../../../src/core/approval';
import { crossCountyTrade } from './support/trade-context';

const chain = (county: string | null, city: string | null = null) => [
  { code: '150404', groundwaterOverdraft: false, headroom: county },
  { code: '150400', groundwaterOverdraft: false, headroom: city },
  { code: '150000', groundwaterOverdraft: false, headroom: null },
];

describe('BUYER_REGION_CAP', () => {
  it('is a BLOCK check', () => {
    expect(checkBuyerRegionCap(crossCountyTrade())).toMatchObject({ rule: 'BUYER_REGION_CAP', severity: 'BLOCK' });
  });

  it('passes a cross-county trade that fits the buyer county headroom', () => {
    expect(checkBuyerRegionCap(crossCountyTrade({ buyerRegionChain: chain('8000') }))).toEqual({
      rule: 'BUYER_REGION_CAP',
      passed: true,
      severity: 'BLOCK',
      detail: 'Volume 5000 m³ fits the 2026 headroom of buyer-side region 150404 (8000 m³).',
    });
  });

  it('fails a cross-county trade beyond the buyer county headroom', () => {
    expect(checkBuyerRegionCap(crossCountyTrade({ buyerRegionChain: chain('4999.999') }))).toEqual({
      rule: 'BUYER_REGION_CAP',
      passed: false,
      severity: 'BLOCK',
      detail: 'Volume 5000 m³ exceeds the 2026 headroom of buyer-side region 150404 (4999.999 m³).',
    });
  });

  it('passes when the volume exactly fills the headroom', () => {
    expect(checkBuyerRegionCap(crossCountyTrade({ volume: '5000.000', buyerRegionChain: chain('5000') })).passed).toBe(true);
  });

  it('fails any trade into a region whose headroom went negative', () => {
    const check = checkBuyerRegionCap(crossCountyTrade({ volume: '0.001', buyerRegionChain: chain('-120.5') }));
    expect(check).toMatchObject({
      passed: false,
      detail: 'Volume 0.001 m³ exceeds the 2026 headroom of buyer-side region 150404 (-120.5 m³).',
    });
  });

  it('passes when no region on the buyer side has a cap that year', () => {
    expect(checkBuyerRegionCap(crossCountyTrade())).toMatchObject({
      passed: true,
      detail: "No region capped in 2026 contains the buyer's region without the seller's.",
    });
  });

  it('ignores the cap of a region that contains both seller and buyer', () => {
    // 赤峰市 is full, but water moving between two of its counties does not change its figures.
    const check = checkBuyerRegionCap(crossCountyTrade({ buyerRegionChain: chain(null, '0') }));
    expect(check).toMatchObject({
      passed: true,
      detail: "No region capped in 2026 contains the buyer's region without the seller's.",
    });
  });

  it('passes a trade inside one region whatever its headroom', () => {
    const check = checkBuyerRegionCap(
      crossCountyTrade({
        seller: { regionCode: '150404', useType: 'AGRICULTURE' },
        sellerRegionChain: ['150404', '150400', '150000'],
        buyerRegionChain: chain('-1'),
      }),
    );
    expect(check).toMatchObject({
      passed: true,
      detail: 'Seller and buyer are both in region 150404; no cap figure changes.',
    });
  });

  it('passes a sale from a county up to a buyer registered at the city that contains it', () => {
    const check = checkBuyerRegionCap(
      crossCountyTrade({
        buyer: { regionCode: '150400', useType: 'INDUSTRY' },
        buyerRegionChain: chain(null, '0').slice(1),
      }),
    );
    expect(check.passed).toBe(true);
  });

  it('checks every capped region above the buyer that the seller is outside of', () => {
    // A seller from another province (210000): the county, the city and the province all receive water.
    const ctx = crossCountyTrade({
      seller: { regionCode: '210102', useType: 'AGRICULTURE' },
      sellerRegionChain: ['210102', '210100', '210000'],
      buyerRegionChain: [
        { code: '150404', groundwaterOverdraft: false, headroom: '9000' },
        { code: '150400', groundwaterOverdraft: false, headroom: '3000' },
        { code: '150000', groundwaterOverdraft: false, headroom: '100' },
      ],
    });
    expect(checkBuyerRegionCap(ctx)).toMatchObject({
      passed: false,
      detail: 'Volume 5000 m³ exceeds the 2026 headroom of buyer-side regions 150400 (3000 m³), 150000 (100 m³).',
    });
  });

  it('names every capped buyer-side region it checked when the trade fits', () => {
    const ctx = crossCountyTrade({
      seller: { regionCode: '210102', useType: 'AGRICULTURE' },
      sellerRegionChain: ['210102', '210100', '210000'],
      buyerRegionChain: [
        { code: '150404', groundwaterOverdraft: false, headroom: '9000' },
        { code: '150400', groundwaterOverdraft: false, headroom: null },
        { code: '150000', groundwaterOverdraft: false, headroom: '12000.5' },
      ],
    });
    expect(checkBuyerRegionCap(ctx).detail).toBe(
      'Volume 5000 m³ fits the 2026 headroom of buyer-side regions 150404 (9000 m³), 150000 (12000.5 m³).',
    );
  });
});
