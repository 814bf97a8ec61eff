import { kindHasUseType, resolveUseType } from '../../../src/core/participants/use-type';

describe('use type of a participant', () => {
  it.each([
    ['ENTERPRISE', 'INDUSTRY'],
    ['IRRIGATION_DISTRICT', 'AGRICULTURE'],
    ['WATER_USER', 'AGRICULTURE'],
    ['SERVICE_COMPANY', 'SERVICE'],
  ])('defaults a %s to %s', (kind, useType) => {
    expect(resolveUseType(kind, undefined)).toEqual({ ok: true, useType });
  });

  it('keeps an explicit use type over the default', () => {
    expect(resolveUseType('ENTERPRISE', 'DOMESTIC')).toEqual({ ok: true, useType: 'DOMESTIC' });
    expect(resolveUseType('WATER_USER', 'ECOLOGY')).toEqual({ ok: true, useType: 'ECOLOGY' });
  });

  it.each(['REGULATOR', 'RESERVE', 'OPERATOR'])('gives a %s none', (kind) => {
    expect(kindHasUseType(kind)).toBe(false);
    expect(resolveUseType(kind, undefined)).toEqual({ ok: true, useType: null });
  });

  it.each(['REGULATOR', 'RESERVE', 'OPERATOR'])('refuses a use type sent for a %s', (kind) => {
    const resolved = resolveUseType(kind, 'INDUSTRY');
    expect(resolved.ok).toBe(false);
    expect(resolved).toMatchObject({ message: expect.stringContaining(kind) });
  });

  it.each(['ENTERPRISE', 'IRRIGATION_DISTRICT', 'SERVICE_COMPANY', 'WATER_USER'])('knows a %s uses water', (kind) => {
    expect(kindHasUseType(kind)).toBe(true);
  });
});
