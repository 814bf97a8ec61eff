import { checkUseConversion, type UseType } from '../../../src/core/approval';
import { crossCountyTrade } from './support/trade-context';

const trade = (seller: UseType | null, buyer: UseType | null) =>
  crossCountyTrade({
    seller: { regionCode: '150421', useType: seller },
    buyer: { regionCode: '150404', useType: buyer },
  });

describe('USE_CONVERSION', () => {
  it('warns when agricultural water is bought for industry', () => {
    expect(checkUseConversion(trade('AGRICULTURE', 'INDUSTRY'))).toEqual({
      rule: 'USE_CONVERSION',
      passed: false,
      severity: 'WARN',
      detail: 'Agricultural water would be converted to INDUSTRY use; confirm farming needs in region 150421 stay met.',
    });
  });

  it.each<UseType>(['INDUSTRY', 'SERVICE', 'DOMESTIC', 'ECOLOGY'])('warns for any non-agricultural buyer use: %s', (use) => {
    expect(checkUseConversion(trade('AGRICULTURE', use))).toMatchObject({ passed: false, severity: 'WARN' });
  });

  it('passes agricultural water that stays in farming', () => {
    expect(checkUseConversion(trade('AGRICULTURE', 'AGRICULTURE'))).toEqual({
      rule: 'USE_CONVERSION',
      passed: true,
      severity: 'WARN',
      detail: 'Agricultural water stays in agricultural use.',
    });
  });

  it('never warns for a buyer without a use, such as a reserve', () => {
    expect(checkUseConversion(trade('AGRICULTURE', null))).toMatchObject({
      passed: true,
      detail: 'Agricultural water goes to a buyer without a use of its own (e.g. a reserve).',
    });
  });

  it('passes water sold by a non-agricultural seller, whatever the buyer does with it', () => {
    expect(checkUseConversion(trade('INDUSTRY', 'SERVICE'))).toMatchObject({
      passed: true,
      detail: "The seller's use is INDUSTRY, not agriculture.",
    });
  });

  it('passes water sold by a reserve', () => {
    expect(checkUseConversion(trade(null, 'INDUSTRY'))).toMatchObject({
      passed: true,
      detail: "The seller's use is not set, not agriculture.",
    });
  });
});
