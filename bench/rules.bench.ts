import { Client } from 'pg';
import { runMigrations } from '../src/database/data-source';
import { createDatabase, postgresServer } from '../test/support/postgres';

/**
 * What a table's rules cost each statement that writes it (decision 0040). Three copies of
 * each table the order path writes most, with its indexes and defaults: `domains` as the
 * migrations leave it (rules about one value are the columns' domains, rules across
 * columns table CHECKs); `checks` with every domain's rule turned back into a table CHECK
 * (the schema before 0040); `none` without any rule, the floor. Each statement runs
 * 20,000 times in a server-side loop, so neither the client nor the network is counted;
 * one round warms up, five are timed, alternating the copies. See bench/README.md.
 */

const STATEMENTS = Number(process.env.BENCH_STATEMENTS ?? 20_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const COPIES = ['checks', 'domains', 'none'] as const;
type Copy = (typeof COPIES)[number];

interface Case {
  table: string;
  statement: string;
  /** Rows the statement needs first (e.g. rows to update), or null. */
  setup: ((t: string) => string) | null;
  /** The body of the server-side loop, `i` its counter. */
  loop: (t: string) => string;
}

const CASES: Case[] = [
  {
    table: 'ledger_accounts',
    statement: 'update balance',
    setup: (t) => `INSERT INTO ${t} (owner_id, asset, bucket, balance) SELECT gen_random_uuid(), 'CNY', 'AVAILABLE', 1 FROM generate_series(1, ${STATEMENTS})`,
    // Each row once, so no statement walks a chain of versions of its own making.
    loop: (t) => `FOR r IN SELECT id FROM ${t} LOOP UPDATE ${t} SET balance = balance + 1 WHERE id = r; END LOOP;`,
  },
  {
    table: 'ledger_postings',
    statement: 'insert',
    setup: null,
    loop: (t) => `FOR i IN 1..${STATEMENTS} LOOP
      INSERT INTO ${t} (id, movement_id, account_id, asset, delta, balance_after, reason, ref_type, ref_id)
      VALUES (gen_random_uuid(), gen_random_uuid(), 1, 'CNY', 5, 5, 'LOCK', 'order', gen_random_uuid()); END LOOP;`,
  },
  {
    table: 'orders',
    statement: 'insert',
    setup: null,
    loop: (t) => `FOR i IN 1..${STATEMENTS} LOOP
      INSERT INTO ${t} (id, market_id, participant_id, side, price, volume, status, time_in_force, seq, hold_id)
      VALUES (gen_random_uuid(), 'M', gen_random_uuid(), 'BUY', 1.5, 10, 'OPEN', 'GTC', i, gen_random_uuid()); END LOOP;`,
  },
  {
    table: 'orders',
    statement: 'update status',
    setup: (t) => `INSERT INTO ${t} (id, market_id, participant_id, side, price, volume, status, time_in_force, seq, hold_id)
      SELECT gen_random_uuid(), 'M', gen_random_uuid(), 'BUY', 1.5, 10, 'OPEN', 'GTC', i, gen_random_uuid() FROM generate_series(1, ${STATEMENTS}) i`,
    loop: (t) => `FOR r IN SELECT seq FROM ${t} LOOP UPDATE ${t} SET status = 'FILLED', filled_volume = volume WHERE market_id = 'M' AND seq = r; END LOOP;`,
  },
];

/** Makes the three copies of `table`. */
async function copy(db: Client, table: string): Promise<void> {
  const domains: Array<{ column: string; base: string; rule: string }> = (await db.query(
    `SELECT a.attname AS column, format_type(t.typbasetype, t.typtypmod) AS base, pg_get_constraintdef(c.oid) AS rule
       FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid AND t.typtype = 'd' JOIN pg_constraint c ON c.contypid = t.oid
      WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped`,
    [table],
  )).rows;
  for (const c of COPIES) {
    const t = `rules_${table}_${c}`;
    await db.query(`CREATE TABLE ${t} (LIKE ${table} INCLUDING DEFAULTS INCLUDING INDEXES${c === 'none' ? '' : ' INCLUDING CONSTRAINTS'})`);
    if (c === 'domains' || domains.length === 0) continue;
    await db.query(`ALTER TABLE ${t} ${domains.map((d) => `ALTER COLUMN ${d.column} TYPE ${d.base}`).join(', ')}`);
    if (c === 'checks') await db.query(`ALTER TABLE ${t} ${domains.map((d) => `ADD ${d.rule.replace(/\bVALUE\b/g, d.column)}`).join(', ')}`);
  }
}

/** Microseconds per statement of one run of `k` on copy `c`. */
async function run(db: Client, k: Case, c: Copy): Promise<number> {
  const t = `rules_${k.table}_${c}`;
  await db.query(`TRUNCATE ${t}`);
  if (k.setup) await db.query(k.setup(t));
  await db.query(`VACUUM ANALYZE ${t}`);
  const start = process.hrtime.bigint();
  await db.query(`DO $$ DECLARE r bigint; BEGIN ${k.loop(t)} END $$`);
  return Number(process.hrtime.bigint() - start) / 1000 / STATEMENTS;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const server = await postgresServer('bench-rules');
  const database = await createDatabase(server, `wrx_bench_rules_${process.pid}_${Date.now().toString(36)}`);
  const db = new Client({ connectionString: database.url });
  try {
    await runMigrations(database.url);
    await db.connect();
    for (const table of new Set(CASES.map((k) => k.table))) await copy(db, table);
    for (const k of CASES) {
      const times: Record<Copy, number[]> = { checks: [], domains: [], none: [] };
      for (let round = 0; round <= ROUNDS; round++) {
        for (const c of COPIES) {
          const us = await run(db, k, c);
          if (round > 0) times[c].push(us);
        }
      }
      const [checks, domains, none] = COPIES.map((c) => median(times[c]));
      console.log(`rules table=${k.table} statement="${k.statement}" checks_us=${checks.toFixed(1)} domains_us=${domains.toFixed(1)} none_us=${none.toFixed(1)} saved_us=${(checks - domains).toFixed(1)}`);
    }
  } finally {
    await db.end().catch(() => undefined);
    await database.drop();
    await server.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
