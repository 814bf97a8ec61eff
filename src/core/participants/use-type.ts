/**
 * Each participant's use of water decides USE_CONVERSION (农转非) on trades. Kinds that
 * hold no water of their own use (regulators, the reserve, the operator) have none.
 */
const DEFAULT_USE: Record<string, string | null> = {
  ENTERPRISE: 'INDUSTRY',
  IRRIGATION_DISTRICT: 'AGRICULTURE',
  WATER_USER: 'AGRICULTURE',
  SERVICE_COMPANY: 'SERVICE',
  REGULATOR: null,
  RESERVE: null,
  OPERATOR: null,
};

export const kindHasUseType = (kind: string): boolean => DEFAULT_USE[kind] !== null;

export type UseTypeResolution = { ok: true; useType: string | null } | { ok: false; message: string };

export function resolveUseType(kind: string, requested: string | undefined): UseTypeResolution {
  if (!kindHasUseType(kind)) {
    return requested === undefined ? { ok: true, useType: null } : { ok: false, message: `a ${kind} has no use type` };
  }
  return { ok: true, useType: requested ?? DEFAULT_USE[kind] };
}
