import { FEE_BOOKS } from '../../core/ledger/ledger.types';

/**
 * Recomputes the books from the immutable postings and checks every invariant. Plain SQL
 * over a `query` function so the operator endpoint and `npm run ledger:verify` share it.
 */
export type QueryFn = <T>(sql: string, params?: unknown[]) => Promise<T[]>;

/** An account as the problems name it. */
interface AccountName {
  owner_id: string | null;
  system_name: string | null;
  asset: string;
  bucket: string;
}

export interface LedgerProblem {
  check: 'ACCOUNT_BALANCE' | 'BALANCE_AFTER' | 'ASSET_SUM' | 'NEGATIVE_BALANCE' | 'HOLDS_VS_LOCKED' | 'MOVEMENT_BALANCE';
  account?: string;
  asset?: string;
  detail: string;
}

export interface LedgerReport {
  valid: boolean;
  accounts: number;
  postings: number;
  assets: number;
  problems: LedgerProblem[];
}

const label = (r: AccountName) => `${r.owner_id ?? `system:${r.system_name}`}/${r.asset}/${r.bucket}`;

export async function verifyLedger(query: QueryFn): Promise<LedgerReport> {
  const problems: LedgerProblem[] = [];

  const drift = await query<AccountName & { balance: string; posted: string }>(`
    SELECT a.id, a.owner_id, a.system_name, a.asset, a.bucket, a.balance, COALESCE(sum(p.delta), 0) AS posted
      FROM ledger_accounts a LEFT JOIN ledger_postings p ON p.account_id = a.id
     GROUP BY a.id HAVING a.balance <> COALESCE(sum(p.delta), 0)`);
  for (const r of drift) problems.push({ check: 'ACCOUNT_BALANCE', account: label(r), detail: `cached balance ${r.balance} but postings sum to ${r.posted}` });

  const lastAfter = await query<AccountName & { balance: string; balance_after: string }>(`
    SELECT a.owner_id, a.system_name, a.asset, a.bucket, a.balance, last.balance_after
      FROM ledger_accounts a
      JOIN LATERAL (SELECT balance_after FROM ledger_postings p WHERE p.account_id = a.id ORDER BY seq DESC LIMIT 1) last ON true
     WHERE last.balance_after <> a.balance`);
  for (const r of lastAfter) problems.push({ check: 'BALANCE_AFTER', account: label(r), detail: `last balanceAfter ${r.balance_after} but balance ${r.balance}` });

  // Every posting's balanceAfter, not only the last, must equal the running sum before it.
  const brokenChain = await query<AccountName & { first_seq: string; postings: string }>(`
    SELECT a.owner_id, a.system_name, a.asset, a.bucket, min(r.seq) AS first_seq, count(*) AS postings
      FROM (SELECT account_id, seq, balance_after, sum(delta) OVER (PARTITION BY account_id ORDER BY seq) AS running
              FROM ledger_postings) r
      JOIN ledger_accounts a ON a.id = r.account_id
     WHERE r.running <> r.balance_after
     GROUP BY a.id`);
  for (const r of brokenChain) problems.push({ check: 'BALANCE_AFTER', account: label(r), detail: `${r.postings} postings from seq ${r.first_seq} carry a balanceAfter that is not the running sum` });

  const assetSums = await query<{ asset: string; total: string }>(`SELECT asset, sum(balance) AS total FROM ledger_accounts GROUP BY asset HAVING sum(balance) <> 0`);
  for (const r of assetSums) problems.push({ check: 'ASSET_SUM', asset: r.asset, detail: `accounts of ${r.asset} sum to ${r.total}, not 0` });

  const unbalanced = await query<{ movement_id: string; asset: string; total: string }>(`SELECT movement_id, asset, sum(delta) AS total FROM ledger_postings GROUP BY movement_id, asset HAVING sum(delta) <> 0`);
  for (const r of unbalanced) problems.push({ check: 'MOVEMENT_BALANCE', asset: r.asset, detail: `movement ${r.movement_id} sums to ${r.total}` });

  // The bank and issuance are the books' sources and may run negative; participants and fee books never.
  const negative = await query<AccountName & { balance: string }>(`
    SELECT owner_id, system_name, asset, bucket, balance FROM ledger_accounts WHERE (owner_id IS NOT NULL OR system_name LIKE $1) AND balance < 0`, [FEE_BOOKS]);
  for (const r of negative) problems.push({ check: 'NEGATIVE_BALANCE', account: label(r), detail: `balance ${r.balance}` });

  const holds = await query<AccountName & { locked: string; held: string }>(`
    SELECT COALESCE(a.owner_id, h.owner_id) AS owner_id, NULL AS system_name, COALESCE(a.asset, h.asset) AS asset, 'LOCKED' AS bucket,
           COALESCE(a.balance, 0) AS locked, COALESCE(h.held, 0) AS held
      FROM (SELECT * FROM ledger_accounts WHERE bucket = 'LOCKED' AND owner_id IS NOT NULL) a
      FULL JOIN (SELECT owner_id, asset, sum(remaining) AS held FROM ledger_holds WHERE status = 'PENDING' GROUP BY owner_id, asset) h
        ON h.owner_id = a.owner_id AND h.asset = a.asset
     WHERE COALESCE(a.balance, 0) <> COALESCE(h.held, 0)`);
  for (const r of holds) problems.push({ check: 'HOLDS_VS_LOCKED', account: label(r), detail: `locked ${r.locked} but pending holds total ${r.held}` });

  const [counts] = await query<{ accounts: string; postings: string; assets: string }>(`SELECT (SELECT count(*) FROM ledger_accounts) AS accounts, (SELECT count(*) FROM ledger_postings) AS postings,
                                       (SELECT count(DISTINCT asset) FROM ledger_accounts) AS assets`);
  return { valid: problems.length === 0, accounts: Number(counts.accounts), postings: Number(counts.postings), assets: Number(counts.assets), problems };
}
