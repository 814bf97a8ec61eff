import { type RightTransferCheckContext, rightTransferChecks } from '../../../src/core/rights';

const ctx = (fields: Partial<RightTransferCheckContext> = {}): RightTransferCheckContext => ({
  right: { regionCode: '150421', source: 'SURFACE', useType: 'AGRICULTURE' },
  buyer: { regionCode: '150404', useType: 'AGRICULTURE' },
  fromYear: 2027,
  volumePerYear: '300000',
  today: '2026-11-20',
  ...fields,
});

describe('checks on a transfer of rights at acceptance', () => {
  it('are RIGHT_VALIDITY (BLOCK) and USE_CONVERSION (WARN), in that order', () => {
    expect(rightTransferChecks(ctx()).map((c) => [c.rule, c.severity, c.passed])).toEqual([
      ['RIGHT_VALIDITY', 'BLOCK', true],
      ['USE_CONVERSION', 'WARN', true],
    ]);
  });

  it("block once the term's first year has ended", () => {
    expect(rightTransferChecks(ctx({ today: '2028-01-01' }))[0]).toMatchObject({ rule: 'RIGHT_VALIDITY', passed: false });
    expect(rightTransferChecks(ctx({ today: '2027-12-31' }))[0]).toMatchObject({ passed: true });
  });

  it('warn when agricultural water goes to industry (农转非)', () => {
    expect(rightTransferChecks(ctx({ buyer: { regionCode: '150404', useType: 'INDUSTRY' } }))[1]).toMatchObject({ rule: 'USE_CONVERSION', passed: false, severity: 'WARN' });
  });

  it('do not warn when a reserve buys agricultural water', () => {
    expect(rightTransferChecks(ctx({ buyer: { regionCode: '150404', useType: null } }))[1]).toMatchObject({ passed: true });
  });

  it('do not include the cap and overdraft rules: the new right stays where the old one was', () => {
    expect(rightTransferChecks(ctx({ right: { regionCode: '150421', source: 'GROUNDWATER', useType: 'INDUSTRY' } })).map((c) => c.rule)).toEqual([
      'RIGHT_VALIDITY',
      'USE_CONVERSION',
    ]);
  });
});
