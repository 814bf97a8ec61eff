import { allocationFitsRightYear, freeVolume, reservationRefusal } from '../../../src/core/rights';

const right = { id: 'right-1', annualVolume: '1000000', validFrom: '2025-07-01', validTo: '2030-06-30' };
const year = (y: number, allocated = '0', transferredOut = '0', reservedOut = '0') => ({ year: y, allocated, transferredOut, reservedOut });
const term = { fromYear: 2027, toYear: 2029, volumePerYear: '300000' };

describe('reserving a transfer of rights on the original right', () => {
  it('fits when every year has the volume free', () => {
    expect(reservationRefusal(right, [year(2027, '700000')], term)).toBeNull();
  });

  it('counts a year the validity covers on any day of it: the first and last half-years too', () => {
    expect(reservationRefusal(right, [], { ...term, fromYear: 2025, toYear: 2030 })).toBeNull();
  });

  it('refuses years outside the validity (409 INVALID_STATE)', () => {
    expect(reservationRefusal(right, [], { ...term, fromYear: 2029, toYear: 2032 })).toEqual({
      code: 'INVALID_STATE',
      detail: 'Right right-1 is valid 2025-07-01 to 2030-06-30, not in 2031, 2032',
    });
  });

  it('refuses a year where allocations, transfers and reservations out leave too little (409 CAP_EXCEEDED)', () => {
    const figures = [year(2027, '500000'), year(2028, '400000', '200000', '100000.001'), year(2029)];
    expect(reservationRefusal(right, figures, term)).toEqual({
      code: 'CAP_EXCEEDED',
      detail: 'Right right-1 has 299999.999 m³ free in 2028, less than 300000 m³',
    });
  });

  it('reports nothing free, not a negative figure, for an over-committed year', () => {
    expect(reservationRefusal(right, [year(2027, '1200000')], term)).toMatchObject({ detail: 'Right right-1 has 0 m³ free in 2027, less than 300000 m³' });
  });
});

describe('allocating the original right after a transfer', () => {
  it('can allocate at most annualVolume − transferred out − reserved out − already allocated', () => {
    const after = year(2027, '600000', '300000');
    expect(freeVolume(right.annualVolume, after).toFixed()).toBe('100000');
    expect(allocationFitsRightYear(right, after, '100000')).toMatchObject({ ok: true });
    expect(allocationFitsRightYear(right, after, '100000.001')).toMatchObject({ ok: false });
  });

  it('counts a pending reservation the same as a transfer', () => {
    expect(allocationFitsRightYear(right, year(2027, '0', '0', '1000000'), '0.001').ok).toBe(false);
  });

  it('has the whole annual volume in a year with nothing recorded', () => {
    expect(allocationFitsRightYear(right, undefined, '1000000')).toMatchObject({ ok: true });
  });
});
