import { formatIn } from '../../../src/core/ledger/assets';
import { MARKET } from './support/ledger-helpers';

// The audit log's ledger entries write amounts as the rest of the API does.
describe('a value written in its asset’s form', () => {
  it('writes cash with two decimals', () => {
    expect(['1.1', '150', '0', '-3.5', '0.01'].map((v) => formatIn('CNY', v))).toEqual(['1.10', '150.00', '0.00', '-3.50', '0.01']);
  });

  it('writes quota in its shortest exact form', () => {
    expect(['600.000', '12.5', '0.001', '0'].map((v) => formatIn(MARKET, v))).toEqual(['600', '12.5', '0.001', '0']);
  });

  it('rounds nothing: a value finer than its unit keeps every digit', () => {
    expect(formatIn('CNY', '0.005')).toBe('0.005');
    expect(formatIn(MARKET, '0.0004')).toBe('0.0004');
  });
});
