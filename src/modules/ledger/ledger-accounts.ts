import { Injectable } from '@nestjs/common';
import { accountLabel, AccountKey } from '../../core/ledger/ledger.types';
import { Db } from '../../database/db.service';
import { Tx } from '../../database/sql';
import { LedgerRepository } from './ledger.repository';

/**
 * Finds or opens ledger accounts; opening is race-safe through the unique indexes.
 * Accounts are never deleted, so an id once seen committed is remembered; an id this
 * transaction created is not, since the transaction may still roll back.
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
    const openedHere = this.db.buffer<string>(tx, this);
    const found = await this.repo.accountId(tx, key);
    if (found !== null) {
      if (!openedHere.includes(label)) this.known.set(label, Number(found));
      return Number(found);
    }
    const opened = await this.repo.openAccount(tx, key);
    if (opened !== null) {
      openedHere.push(label);
      return Number(opened);
    }
    const raced = await this.repo.accountId(tx, key);
    if (raced === null) throw new Error(`ledger account ${label} was neither found nor opened`);
    return Number(raced);
  }
}
