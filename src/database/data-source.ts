import 'reflect-metadata';
import { join } from 'node:path';
import { types } from 'pg';
import { DataSource, DataSourceOptions } from 'typeorm';
import { DEFAULT_RANDOM_PAGE_COST } from '../config/env.schema';
import { StatementCounter } from './db-metrics';
import { PIPELINE_MODE } from './pipeline';
import { PreparingClient } from './prepared-client';
import { CONNECT_TIMEOUT_MS } from './write-gate';

// A calendar date has no time zone: keep PostgreSQL's 'YYYY-MM-DD' rather than a JS Date
// at local midnight, which would shift by a day on a server not running in UTC.
types.setTypeParser(types.builtins.DATE, (value: string) => value);

/** Migrations sit beside src/ both in the source tree and in dist/. */
export const MIGRATIONS_GLOB = join(__dirname, '..', '..', 'migrations', '*.{ts,js}');

/** How a pool is made; each has the service's default. */
export interface PoolOptions {
  /** Connections at most (DB_POOL_SIZE). */
  poolSize?: number;
  /** Parameterised statements go as named prepared statements (DB_PREPARED_STATEMENTS). */
  prepared?: boolean;
  /** The planner's `random_page_cost` for the pool's sessions (DB_RANDOM_PAGE_COST); null sends none. */
  randomPageCost?: string | null;
}

/**
 * The service's pools. `randomPageCost` (null: the server's own) goes in each session's
 * startup packet, so it costs no statement. With the server's default of 4, the plans a
 * connection makes while a new database's tables are small scan them, and it keeps them as
 * the tables grow, until autovacuum first analyzes them (decision 0042).
 */
export function dataSourceOptions(url: string, { poolSize = 10, prepared = true, randomPageCost = DEFAULT_RANDOM_PAGE_COST }: PoolOptions = {}): DataSourceOptions {
  const options = randomPageCost === null ? {} : { options: `-c random_page_cost=${randomPageCost}` };
  return {
    type: 'postgres',
    url,
    // SQL lives in the repositories (typed rows); TypeORM keeps the pool, transactions and migrations.
    entities: [],
    migrations: [MIGRATIONS_GLOB],
    migrationsTableName: 'migrations',
    migrationsRun: false,
    synchronize: false,
    logging: false,
    logger: new StatementCounter(),
    extra: { max: poolSize, connectionTimeoutMillis: CONNECT_TIMEOUT_MS, ...PIPELINE_MODE, Client: PreparingClient, prepareStatements: prepared, ...options },
  };
}

/**
 * Applies pending migrations; an advisory lock keeps instances starting together from racing.
 * Their sessions take the server's planner costs and send no startup options, so a pooler
 * that refuses those (DB_RANDOM_PAGE_COST=server) lets them through as well.
 */
export async function runMigrations(url: string): Promise<string[]> {
  const ds = new DataSource(dataSourceOptions(url, { poolSize: 2, randomPageCost: null }));
  await ds.initialize();
  try {
    const runner = ds.createQueryRunner();
    await runner.connect();
    try {
      await runner.query('SELECT pg_advisory_lock(7301000)');
      const applied = await ds.runMigrations({ transaction: 'each' });
      return applied.map((m) => m.name);
    } finally {
      await runner.query('SELECT pg_advisory_unlock(7301000)').catch(() => undefined);
      await runner.release();
    }
  } finally {
    await ds.destroy();
  }
}

/** For the TypeORM CLI (`typeorm migration:generate -d src/database/data-source.ts`). */
export default new DataSource(dataSourceOptions(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'));
