import { UseType } from '../water';
import { ParticipantKind } from './participant-kind';

/**
 * Each participant's use of water decides USE_CONVERSION (农转非) on trades. Kinds that
 * hold no water of their own use (regulators, the reserve, the operator) have none.
 */
const DEFAULT_USE: Record<ParticipantKind, UseType | null> = {
  ENTERPRISE: 'INDUSTRY',
  IRRIGATION_DISTRICT: 'AGRICULTURE',
  WATER_USER: 'AGRICULTURE',
  SERVICE_COMPANY: 'SERVICE',
  REGULATOR: null,
  RESERVE: null,
  OPERATOR: null,
};

const defaultUse = (kind: string): UseType | null => (Object.hasOwn(DEFAULT_USE, kind) ? DEFAULT_USE[kind as ParticipantKind] : null);

export const kindHasUseType = (kind: string): boolean => defaultUse(kind) !== null;

export type UseTypeResolution = { ok: true; useType: UseType | null } | { ok: false; message: string };

export function resolveUseType(kind: string, requested: UseType | undefined): UseTypeResolution {
  if (!kindHasUseType(kind)) {
    return requested === undefined ? { ok: true, useType: null } : { ok: false, message: `a ${kind} has no use type` };
  }
  return { ok: true, useType: requested ?? defaultUse(kind) };
}
