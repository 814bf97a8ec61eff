import type Decimal from 'decimal.js';
import { ZERO } from '../decimal';
import { shortfallCode } from './assets';
import { accountLabel, AccountKey, Asset, Movement, Result } from './ledger.types';
import { imbalance } from './movements';

/**
 * The books in memory, applying movements with the same rules the database enforces:
 * balanced per asset, and no participant account below zero. Used to state and test the
 * ledger's invariants.
 */
export class LedgerModel {
  readonly balances = new Map<string, { key: AccountKey; balance: Decimal }>();

  balance(key: AccountKey): Decimal {
    return this.balances.get(accountLabel(key))?.balance ?? ZERO;
  }

  apply(m: Movement): Result<void> {
    const off = imbalance(m);
    if (off.size > 0) return { ok: false, code: 'INVALID_AMOUNT', detail: `unbalanced movement in ${[...off.keys()].join(', ')}` };
    const next = new Map<string, Decimal>();
    for (const p of m.postings) {
      const label = accountLabel(p.account);
      const after = (next.get(label) ?? this.balance(p.account)).plus(p.delta);
      if (p.account.owner !== undefined && after.isNegative()) {
        return { ok: false, code: shortfallCode(p.account.asset), detail: `${label} would go to ${after.toString()}` };
      }
      next.set(label, after);
    }
    for (const p of m.postings) this.balances.set(accountLabel(p.account), { key: p.account, balance: next.get(accountLabel(p.account))! });
    return { ok: true, value: undefined };
  }

  /** Sum of every account of an asset, system books included: always zero. */
  assetTotal(asset: Asset): Decimal {
    let sum = ZERO;
    for (const { key, balance } of this.balances.values()) if (key.asset === asset) sum = sum.plus(balance);
    return sum;
  }
}
