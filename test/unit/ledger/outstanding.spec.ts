import { Dec } from '../../../src/core/decimal';
import { outstandingRefusal } from '../../../src/core/ledger/outstanding';
import { MARKET } from './support/ledger-helpers';

describe('what the books may hold of one asset in all', () => {
  it('allows cash up to the last fen under 10^15 CNY and refuses 10^15 itself', () => {
    expect(outstandingRefusal('CNY', new Dec('999999999999999.99'))).toBeNull();
    expect(outstandingRefusal('CNY', new Dec('1000000000000000'))).toMatch(/10\^15 CNY or more in all/);
  });

  it('allows an instrument\'s quota up to the last litre under 10^15 m³ and names the instrument past it', () => {
    expect(outstandingRefusal(MARKET, new Dec('999999999999999.999'))).toBeNull();
    expect(outstandingRefusal(MARKET, new Dec('1000000000000000.001'))).toContain(`Quota of ${MARKET} would reach 10^15 m³`);
  });
});
