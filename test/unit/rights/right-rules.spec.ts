import { allocationFitsRight, canHoldRights, exemptFromCapFreeze, yearWithinValidity } from '../../../src/core/rights/right-rules';

describe('yearWithinValidity', () => {
  it('covers every year the validity touches, both ends included', () => {
    expect(yearWithinValidity(2025, '2025-01-01', '2029-12-31')).toBe(true);
    expect(yearWithinValidity(2029, '2025-01-01', '2029-12-31')).toBe(true);
    expect(yearWithinValidity(2027, '2025-01-01', '2029-12-31')).toBe(true);
  });

  it('covers a partial first and last year', () => {
    expect(yearWithinValidity(2025, '2025-07-01', '2026-06-30')).toBe(true);
    expect(yearWithinValidity(2026, '2025-07-01', '2026-06-30')).toBe(true);
  });

  it('excludes the years before and after', () => {
    expect(yearWithinValidity(2024, '2025-01-01', '2029-12-31')).toBe(false);
    expect(yearWithinValidity(2030, '2025-01-01', '2029-12-31')).toBe(false);
  });

  it('handles a right valid for a single day', () => {
    expect(yearWithinValidity(2026, '2026-12-31', '2026-12-31')).toBe(true);
    expect(yearWithinValidity(2027, '2026-12-31', '2026-12-31')).toBe(false);
  });
});

describe('allocationFitsRight', () => {
  it('fits up to the annual volume exactly', () => {
    expect(allocationFitsRight('500000', '0', '500000').ok).toBe(true);
    const r = allocationFitsRight('500000', '499999.999', '0.001');
    expect(r.ok).toBe(true);
    expect(r.left.toFixed()).toBe('0.001');
  });

  it('refuses a litre over and reports what is left', () => {
    const r = allocationFitsRight('500000', '400000', '100000.001');
    expect(r.ok).toBe(false);
    expect(r.left.toFixed()).toBe('100000');
  });

  it('refuses anything once the year is fully allocated', () => {
    expect(allocationFitsRight('60000', '60000', '0.001')).toMatchObject({ ok: false });
  });

  it('compares decimals, not strings', () => {
    expect(allocationFitsRight('100', '9', '91').ok).toBe(true);
    expect(allocationFitsRight('100.5', '0', '100.50').ok).toBe(true);
  });
});

describe('exemptFromCapFreeze (限审限批)', () => {
  it('spares domestic use only', () => {
    expect(exemptFromCapFreeze('DOMESTIC')).toBe(true);
    for (const useType of ['AGRICULTURE', 'INDUSTRY', 'SERVICE', 'ECOLOGY']) expect(exemptFromCapFreeze(useType)).toBe(false);
  });
});

describe('canHoldRights', () => {
  it('lets water users hold rights, never the regulator or the operator', () => {
    for (const kind of ['ENTERPRISE', 'IRRIGATION_DISTRICT', 'SERVICE_COMPANY', 'WATER_USER', 'RESERVE']) expect(canHoldRights(kind)).toBe(true);
    expect(canHoldRights('REGULATOR')).toBe(false);
    expect(canHoldRights('OPERATOR')).toBe(false);
  });
});
