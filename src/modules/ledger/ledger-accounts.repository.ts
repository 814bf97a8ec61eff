import { Injectable } from '@nestjs/common';
import { accountLabel, AccountKey } from '../../core/ledger/ledger.types';
import { Db, Tx } from '../../database/db.service';
import { queryRows } from '../../database/query-rows';

/**
 * Finds or opens ledger accounts; opening is race-safe through the unique indexes.
 * Accounts are never deleted, so an id once seen committed is remembered; an id this
 * transaction created is not, since the transaction may still roll back.
 */
@Injectable()
export class LedgerAccountsRepository {
  private readonly known = new Map<string, number>();

  constructor(private readonly db: Db) {}

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
    const owned = key.owner !== undefined;
    const find = owned
      ? ['SELECT id FROM ledger_accounts WHERE owner_id = $1 AND asset = $2 AND bucket = $3', [key.owner, key.asset, key.bucket]]
      : ['SELECT id FROM ledger_accounts WHERE system_name = $1 AND asset = $2 AND bucket = $3', [key.system, key.asset, key.bucket]];
    const [found] = await tx.query(find[0] as string, find[1] as unknown[]);
    if (found) {
      if (!openedHere.includes(label)) this.known.set(label, Number(found.id));
      return Number(found.id);
    }
    const inserted = owned
      ? await queryRows(tx,
          `INSERT INTO ledger_accounts (owner_id, asset, bucket) VALUES ($1, $2, $3)
           ON CONFLICT (owner_id, asset, bucket) WHERE owner_id IS NOT NULL DO NOTHING RETURNING id`,
          [key.owner, key.asset, key.bucket])
      : await queryRows(tx,
          `INSERT INTO ledger_accounts (system_name, asset, bucket) VALUES ($1, $2, $3)
           ON CONFLICT (system_name, asset, bucket) WHERE system_name IS NOT NULL DO NOTHING RETURNING id`,
          [key.system, key.asset, key.bucket]);
    if (inserted[0]) {
      openedHere.push(label);
      return Number(inserted[0].id);
    }
    const [raced] = await tx.query(find[0] as string, find[1] as unknown[]);
    return Number(raced.id);
  }
}
