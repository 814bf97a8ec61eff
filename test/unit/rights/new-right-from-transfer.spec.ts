import { newRightFromTransfer } from '../../../src/core/rights';
import { reservedPermitNoProblem } from '../../../src/core/rights/transferred-right';

const original = {
  id: 'right-district',
  regionCode: '150421',
  source: 'SURFACE',
  useType: 'AGRICULTURE',
  validFrom: '2025-07-01',
  validTo: '2035-06-30',
  permitNo: 'C150421S2025-0012',
};
const transfer = { buyerId: 'enterprise', buyerUseType: 'INDUSTRY', volumePerYear: '300000', fromYear: 2027, toYear: 2031 };

describe("the buyer's new right after a transfer of rights (变更登记)", () => {
  it('keeps the region and source, takes the buyer as holder and use, and runs for the transferred years', () => {
    expect(newRightFromTransfer(original, transfer, 0)).toEqual({
      holderId: 'enterprise',
      regionCode: '150421',
      source: 'SURFACE',
      useType: 'INDUSTRY',
      annualVolume: '300000',
      validFrom: '2027-01-01',
      validTo: '2031-12-31',
      permitNo: 'C150421S2025-0012-T1',
      parentRightId: 'right-district',
    });
  });

  it("never runs beyond the original's validity at either end", () => {
    const right = newRightFromTransfer(original, { ...transfer, fromYear: 2025, toYear: 2035 }, 0);
    expect([right.validFrom, right.validTo]).toEqual(['2025-07-01', '2035-06-30']);
  });

  it("numbers the rights created from one original: the third is -T3", () => {
    expect(newRightFromTransfer(original, transfer, 2).permitNo).toBe('C150421S2025-0012-T3');
  });

  it("gives a reserve, which has no use of its own, the right's use", () => {
    expect(newRightFromTransfer(original, { ...transfer, buyerUseType: null }, 0).useType).toBe('AGRICULTURE');
  });
});

describe('the -T<n> suffix, reserved for the rights transfers create', () => {
  it('refuses a permit number registered by hand that a transfer could need, and nothing else', () => {
    expect(reservedPermitNoProblem('C150421S2025-0012-T1')).toMatch(/must not end in -T<n>/);
    expect(reservedPermitNoProblem(newRightFromTransfer(original, transfer, 41).permitNo)).not.toBeNull();
    for (const permitNo of ['C150421S2025-0012', 'C-T', 'C-T1a', 'C-t1', 'T1', '取水(内蒙)字[2021]第001号']) expect(reservedPermitNoProblem(permitNo)).toBeNull();
  });
});
