import { checkGroundwaterOverdraft } from '../../../src/core/approval';
import { crossCountyTrade } from './support/trade-context';

const chain = (countyOverdraft: boolean, cityOverdraft = false) => [
  { code: '150404', groundwaterOverdraft: countyOverdraft, headroom: null },
  { code: '150400', groundwaterOverdraft: cityOverdraft, headroom: null },
  { code: '150000', groundwaterOverdraft: false, headroom: null },
];

describe('GROUNDWATER_OVERDRAFT', () => {
  it('fails groundwater bought into an overdraft county', () => {
    expect(checkGroundwaterOverdraft(crossCountyTrade({ source: 'GROUNDWATER', buyerRegionChain: chain(true) }))).toEqual({
      rule: 'GROUNDWATER_OVERDRAFT',
      passed: false,
      severity: 'BLOCK',
      detail:
        'Groundwater would move from region 150421 into an overdraft area: buyer region 150404 is a groundwater overdraft region.',
    });
  });

  it('fails groundwater moved between two counties of an overdraft city', () => {
    expect(
      checkGroundwaterOverdraft(crossCountyTrade({ source: 'GROUNDWATER', buyerRegionChain: chain(false, true) })),
    ).toMatchObject({
      passed: false,
      detail:
        'Groundwater would move from region 150421 into an overdraft area: buyer region 150404 lies in groundwater overdraft region 150400.',
    });
  });

  it('passes groundwater traded inside one overdraft region', () => {
    const check = checkGroundwaterOverdraft(
      crossCountyTrade({
        source: 'GROUNDWATER',
        seller: { regionCode: '150404', useType: 'AGRICULTURE' },
        sellerRegionChain: ['150404', '150400', '150000'],
        buyerRegionChain: chain(true),
      }),
    );
    expect(check).toEqual({
      rule: 'GROUNDWATER_OVERDRAFT',
      passed: true,
      severity: 'BLOCK',
      detail: 'Seller and buyer are both in region 150404; no groundwater moves between regions.',
    });
  });

  it('passes groundwater bought into a region with no overdraft above it', () => {
    expect(checkGroundwaterOverdraft(crossCountyTrade({ source: 'GROUNDWATER' }))).toMatchObject({
      passed: true,
      detail: 'Neither buyer region 150404 nor any region above it is a groundwater overdraft region.',
    });
  });

  it('passes surface water bought into an overdraft region', () => {
    expect(checkGroundwaterOverdraft(crossCountyTrade({ source: 'SURFACE', buyerRegionChain: chain(true) }))).toMatchObject({
      passed: true,
      detail: 'The quota is SURFACE water, not groundwater.',
    });
  });
});
