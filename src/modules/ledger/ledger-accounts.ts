import { Injectable } from '@nestjs/common';
import { accountLabel, AccountKey } from '../../core/ledger/ledger.types';
import { Db } from '../../database/db.service';
import { TransientConflict } from '../../database/pg-error';
import { Tx } from '../../database/sql';
import { LedgerRepository } from './ledger.repository';

/**
 * Finds or opens ledger accounts; opening is race-safe through the unique indexes, and an
 * open that another transaction has under way is not waited for: the transaction runs
 * again (decision 0028). Accounts are never deleted, so an id once seen committed is
 * remembered, and one this transaction opened from its commit on.
 */
@Injectable()
export class LedgerAccounts {
  private readonly known = new Map<string, number>();

  constructor(private readonly db: Db, private readonly repo: LedgerRepository) {}

  async resolve(tx: Tx, keys: AccountKey[]): Promise<Map<string, number>> {
    const ids = new Map<string, number>();
    for (const key of keys) {
      const label = accountLabel(key);
      if (ids.has(label)) continue;
      ids.set(label, this.known.get(label) ?? (await this.idOf(tx, key, label)));
    }
    return ids;
  }

  private async idOf(tx: Tx, key: AccountKey, label: string): Promise<number> {
    const openedHere = this.db.buffer<[string, number]>(tx, this);
    const mine = openedHere.find(([l]) => l === label);
    if (mine) return mine[1];
    const found = await this.repo.accountId(tx, key);
    if (found !== null) {
      this.known.set(label, Number(found));
      return Number(found);
    }
    const opened = await this.repo.openAccount(tx, key);
    if (opened === 'busy') {
      // Run again once that open is over (committed or rolled back), without holding anything meanwhile.
      throw new TransientConflict(`ledger account ${label} is being opened by another transaction`, () => this.repo.awaitOpen(this.db.dataSource.manager, key));
    }
    if (opened !== 'exists') {
      openedHere.push([label, Number(opened.id)]);
      // Kept once committed: a rolled-back savepoint has dropped its share of the buffer by then.
      this.db.afterCommit(tx, this, async () => {
        for (const [l, id] of openedHere) this.known.set(l, id);
      });
      await this.openLockedTwin(tx, key, openedHere);
      return Number(opened.id);
    }
    const raced = await this.repo.accountId(tx, key);
    if (raced === null) throw new Error(`ledger account ${label} was neither found nor opened`);
    this.known.set(label, Number(raced));
    return Number(raced);
  }

  /**
   * A participant's available account opens with its locked twin: the first hold on it (an
   * order's, a bid's) then finds both, and an order's transaction opens no account, where an
   * open under way elsewhere would make it run again (decision 0028). Deposits, allocations
   * and settlements open accounts rarely and hold fewer locks while they do. The twin is
   * opened only if no one else is opening it; if someone is, the hold opens it later as
   * before.
   */
  private async openLockedTwin(tx: Tx, key: AccountKey, openedHere: [string, number][]): Promise<void> {
    if (key.owner === undefined || key.bucket !== 'AVAILABLE') return;
    const twin: AccountKey = { ...key, bucket: 'LOCKED' };
    const label = accountLabel(twin);
    if (this.known.has(label) || openedHere.some(([l]) => l === label)) return;
    const opened = await this.repo.openAccount(tx, twin);
    if (opened !== 'exists' && opened !== 'busy') openedHere.push([label, Number(opened.id)]);
  }
}
