import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { DEFAULT_RANDOM_PAGE_COST } from '../../src/config/env.schema';
import { dataSourceOptions } from '../../src/database/data-source';
import { Tx } from '../../src/database/sql';
import { LedgerRepository } from '../../src/modules/ledger/ledger.repository';
import { participant, regionTree } from './support/fixtures';
import { openRepoDatabase, RepoDatabase } from './support/repo-database';

const books = new LedgerRepository();
const OWNERS = 40;
const ASSETS = 16;
const HOLDS = 4000;

/**
 * Decision 0042. The tables are filled and never analyzed, as on a new database before
 * autovacuum's first round; each statement runs its generic plan, the one a pooled
 * connection keeps. A sequential scan shows in the transaction's own counters.
 */
describe('planner costs on the service\'s sessions (DB_RANDOM_PAGE_COST)', () => {
  let db: RepoDatabase;
  let owners: string[];
  let accountIds: number[];
  let holdIds: string[];

  beforeAll(async () => {
    db = await openRepoDatabase();
    await regionTree(db);
    owners = [];
    for (let i = 0; i < OWNERS; i++) owners.push((await participant(db)).id);
    await db.pool.query(
      `INSERT INTO ledger_accounts (owner_id, asset, bucket, balance)
       SELECT o, 'Q-' || a, 'AVAILABLE', 1000 FROM unnest($1::uuid[]) AS o, generate_series(1, $2::int) AS a`,
      [owners, ASSETS],
    );
    accountIds = (await db.pool.query('SELECT id FROM ledger_accounts ORDER BY id LIMIT 2')).map((r: { id: string }) => Number(r.id));
    holdIds = Array.from({ length: HOLDS }, () => randomUUID());
    await db.pool.query(
      `INSERT INTO ledger_holds (id, owner_id, asset, amount, remaining, status, ref_type, ref_id)
       SELECT h, $2::uuid, 'CNY', 10, 10, 'PENDING', 'order', h FROM unnest($1::uuid[]) AS h`,
      [holdIds, owners[0]],
    );
  }, 60_000);
  afterAll(() => db.close());

  /** Sequential scans of the two ledger tables by a movement, a lock of holds and a lock of accounts, on `dataSource`'s sessions. */
  async function scansOn(dataSource: DataSource): Promise<{ accounts: number; holds: number }> {
    return dataSource.transaction('READ COMMITTED', async (tx) => {
      await tx.query('SET LOCAL plan_cache_mode = force_generic_plan');
      const movement = randomUUID();
      await books.applyMovement(tx, [{ accountId: accountIds[0], delta: '-1' }, { accountId: accountIds[1], delta: '1' }], [
        { id: randomUUID(), movement_id: movement, account_id: String(accountIds[0]), asset: 'Q-1', delta: '-1', reason: 'SETTLEMENT', ref_type: 'trade', ref_id: movement, hold_id: null },
        { id: randomUUID(), movement_id: movement, account_id: String(accountIds[1]), asset: 'Q-1', delta: '1', reason: 'SETTLEMENT', ref_type: 'trade', ref_id: movement, hold_id: null },
      ]);
      expect(await books.lockHolds(tx, holdIds.slice(0, 3))).toHaveLength(3);
      expect(await books.lockAccounts(tx, [{ owner: owners[1], asset: 'Q-2' }, { owner: owners[2], asset: 'Q-3' }])).toHaveLength(2);
      const rows: { relname: string; seq_scan: string }[] = await tx.query(
        "SELECT relname, seq_scan FROM pg_stat_xact_user_tables WHERE relname IN ('ledger_accounts', 'ledger_holds')",
      );
      const scans = (name: string) => Number(rows.find((r) => r.relname === name)?.seq_scan ?? 0);
      return { accounts: scans('ledger_accounts'), holds: scans('ledger_holds') };
    });
  }

  async function withPool<T>(randomPageCost: string | null, work: (dataSource: DataSource) => Promise<T>): Promise<T> {
    const url = (db.dataSource.options as { url: string }).url;
    const dataSource = new DataSource(dataSourceOptions(url, { poolSize: 1, randomPageCost }));
    await dataSource.initialize();
    try {
      return await work(dataSource);
    } finally {
      await dataSource.destroy();
    }
  }

  const costOn = (ds: DataSource | Tx) => ds.query("SELECT setting, source FROM pg_settings WHERE name = 'random_page_cost'");

  it(`sets random_page_cost = ${DEFAULT_RANDOM_PAGE_COST} on every session of the pool, as the client's, and leaves the server's own when told`, async () => {
    expect(await costOn(db.pool)).toEqual([{ setting: DEFAULT_RANDOM_PAGE_COST, source: 'client' }]);
    expect((await withPool(null, costOn))[0].source).not.toBe('client');
  });

  it('moves balances and locks holds and accounts by their indexes, where PostgreSQL\'s default cost plans scans of the tables', async () => {
    expect(await withPool(DEFAULT_RANDOM_PAGE_COST, scansOn)).toEqual({ accounts: 0, holds: 0 });
    // The same statements at PostgreSQL's default of 4: what the setting is for.
    expect((await withPool('4', scansOn)).accounts).toBeGreaterThan(0);
  });
});
