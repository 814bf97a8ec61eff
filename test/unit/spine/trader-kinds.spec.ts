import { TRADER_KINDS, isTraderKind } from '../../../src/core/participants/trader-kinds';

describe('traders', () => {
  it('are the kinds that may place orders, bid and buy rights', () => {
    expect([...TRADER_KINDS]).toEqual(['ENTERPRISE', 'IRRIGATION_DISTRICT', 'SERVICE_COMPANY', 'WATER_USER', 'RESERVE']);
  });

  it('exclude the regulator, the operator and anything unknown', () => {
    expect(['REGULATOR', 'OPERATOR', 'enterprise', ''].some(isTraderKind)).toBe(false);
  });
});
