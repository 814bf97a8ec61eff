import { APPROVAL_MODES } from '../../src/core/approval/decide-on-creation';
import { TRADE_DECISIONS, TRADE_STATUSES } from '../../src/core/approval/trade-state';
import { BUCKETS, FEE_BOOKS, HOLD_STATUSES, REASONS, REF_TYPES, SYSTEM_ACCOUNTS } from '../../src/core/ledger/ledger.types';
import { MARKET_STATUSES } from '../../src/core/markets/market-terms';
import { ORDER_STATUSES, SIDES, TIMES_IN_FORCE } from '../../src/core/matching/matching.types';
import { openRepoDatabase, RepoDatabase, sqlState } from './support/repo-database';

/** The tables a placement writes: their rules about one value are domains (decision 0040). */
const ORDER_PATH_TABLES = ['orders', 'trades', 'markets', 'ledger_accounts', 'ledger_holds', 'ledger_postings'];

/** Each list domain and the code's list it must hold, no more and no less. */
const LISTS: Record<string, readonly string[]> = {
  order_side: SIDES,
  order_status: ORDER_STATUSES,
  time_in_force: TIMES_IN_FORCE,
  trade_status: TRADE_STATUSES,
  trade_decision: TRADE_DECISIONS,
  market_status: MARKET_STATUSES,
  approval_mode: APPROVAL_MODES,
  ledger_bucket: BUCKETS,
  hold_status: HOLD_STATUSES,
  posting_reason: REASONS,
  posting_ref_type: REF_TYPES,
  system_account: [...SYSTEM_ACCOUNTS, FEE_BOOKS],
};

describe('value domains (decision 0040)', () => {
  let db: RepoDatabase;

  beforeAll(async () => {
    db = await openRepoDatabase();
  });
  afterAll(() => db.close());

  it('leaves the order path\'s tables no CHECK on a single column: each such rule is its column\'s domain', async () => {
    const rows: Array<{ table: string; name: string; columns: number }> = await db.pool.query(
      `SELECT conrelid::regclass::text AS table, conname AS name, cardinality(conkey) AS columns
         FROM pg_constraint WHERE contype = 'c' AND conrelid::regclass::text = ANY($1)`,
      [ORDER_PATH_TABLES],
    );
    expect(rows.filter((r) => r.columns < 2)).toEqual([]);
    // The rules across columns are still there.
    expect(rows.map((r) => r.name)).toEqual(expect.arrayContaining(['orders_check', 'ledger_accounts_check1', 'ledger_holds_check', 'trades_check']));
  });

  it('holds in each list domain exactly the values the code names', async () => {
    const rows: Array<{ domain: string; def: string }> = await db.pool.query(
      `SELECT t.typname AS domain, pg_get_constraintdef(c.oid) AS def FROM pg_constraint c JOIN pg_type t ON t.oid = c.contypid WHERE t.typname = ANY($1)`,
      [Object.keys(LISTS)],
    );
    const held = Object.fromEntries(rows.map((r) => [r.domain, [...r.def.matchAll(/'([^']*)'/g)].map((m) => m[1]).sort()]));
    const named = Object.fromEntries(Object.entries(LISTS).map(([domain, list]) => [domain, [...list].sort()]));
    expect(held).toEqual(named);
  });

  it('refuses a value outside its domain with a check violation, and lets an absent one be', async () => {
    for (const [value, domain] of [['BOGUS', 'order_status'], ['FEES', 'system_account'], ['0', 'positive_volume'], ['0', 'positive_price'], ['-0.01', 'money_amount'], ['1', 'fee_rate'], ['366', 'approval_deadline_days'], ['0', 'posting_delta'], ['0', 'positive_ledger_amount']]) {
      expect([domain, await sqlState(db.pool.query(`SELECT $1::${domain}`, [value]))]).toEqual([domain, '23514']);
    }
    for (const [value, domain] of [['FEES:M-1', 'system_account'], ['0.001', 'positive_volume'], ['0', 'money_amount'], ['0.99999999', 'fee_rate'], ['-0.001', 'posting_delta']]) {
      expect([domain, await sqlState(db.pool.query(`SELECT $1::${domain}`, [value]))]).toEqual([domain, 'resolved']);
    }
    expect(await sqlState(db.pool.query(`SELECT NULL::trade_decision, NULL::positive_volume`))).toBe('resolved');
  });

  it('checks a domain where its column is written, as the table CHECK did', async () => {
    expect(await sqlState(db.pool.query(`INSERT INTO ledger_accounts (system_name, asset, bucket) VALUES ('BANK', 'CNY', 'FROZEN')`))).toBe('23514');
    expect(await sqlState(db.pool.query(`INSERT INTO ledger_accounts (system_name, asset, bucket) VALUES ('TREASURY', 'CNY', 'AVAILABLE')`))).toBe('23514');
    const [{ id }] = await db.pool.query(`INSERT INTO ledger_accounts (system_name, asset, bucket) VALUES ('BANK', 'CNY', 'AVAILABLE') RETURNING id`);
    expect(await sqlState(db.pool.query(`UPDATE ledger_accounts SET bucket = 'FROZEN' WHERE id = $1`, [id]))).toBe('23514');
  });
});
