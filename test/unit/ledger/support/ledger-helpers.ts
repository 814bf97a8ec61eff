import { Dec } from '../../../../src/core/decimal';
import { accountLabel, Hold, Movement, Result } from '../../../../src/core/ledger/ledger.types';

export const MARKET = '150421-SURFACE-2026';

export function pendingHold(amount: string, overrides: Partial<Hold> = {}): Hold {
  return { id: 'h1', owner: 'buyer', asset: 'CNY', amount: new Dec(amount), remaining: new Dec(amount), status: 'PENDING', ...overrides };
}

/** Postings as plain rows, so expectations read like a journal. */
export function journal(m: Movement): { account: string; delta: string; reason: string }[] {
  return m.postings.map((p) => ({ account: accountLabel(p.account), delta: p.delta.toFixed(), reason: p.reason }));
}

export function ok<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`expected ok, got ${r.code}: ${r.detail}`);
  return r.value;
}

export function refused<T>(r: Result<T>): { code: string; detail: string } {
  if (r.ok) throw new Error('expected a refusal');
  return { code: r.code, detail: r.detail };
}
