import { formatAsset } from '../../../src/modules/ledger/ledger-views';
import { MARKET } from './support/ledger-helpers';

// The audit log's ledger entries write amounts as the ledger's views do (API.md).
describe('a value written in its asset’s form', () => {
  it('writes cash with two decimals', () => {
    expect(['1.1', '150', '0', '-3.5', '0.01'].map((v) => formatAsset('CNY', v))).toEqual(['1.10', '150.00', '0.00', '-3.50', '0.01']);
  });

  it('writes quota in its shortest exact form', () => {
    expect(['600.000', '12.5', '0.001', '0'].map((v) => formatAsset(MARKET, v))).toEqual(['600', '12.5', '0.001', '0']);
  });
});
