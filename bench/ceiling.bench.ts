/**
 * `npm run bench:ceiling`: what one order per HTTP request can reach on this machine at all,
 * against pgbench in the same run, so that `bench:e2e`'s ratios can be read against it.
 *
 * The server is `ceiling/server.ts`: no domain work, only an API key looked up in memory, a
 * JSON body checked, and the order with its Idempotency-Key record committed before the
 * answer. The load is `bench:e2e`'s: BENCH_CLIENTS (16) keep-alive clients, 40 traders,
 * limit orders near the mid with a third IOC, an Idempotency-Key each, for BENCH_SECONDS
 * (20) after BENCH_WARMUP_SECONDS (5). The cases:
 *   - http=node: node:http alone; http=nest: NestJS on Express with a class-validator DTO,
 *     the service's own stack without anything of the service;
 *   - mode=request: one statement and one commit per request; mode=grouped: a market's
 *     requests that arrive while its group is at the database go in the next group, one
 *     statement and one commit for all (the service's own way, decision 0026).
 * Afterwards the rows must be exactly the orders answered 201. One line per case:
 *   ceiling http=<h> mode=<m> markets=<n> orders_s=<n> pgbench_tps=<n> ratio=<n> p50_ms=<n> p99_ms=<n> errors=<n>
 */
import { ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { Target } from '../test/support/load/target';
import { prng } from '../test/support/load/units';
import { createDatabase, postgresServer, withClient } from '../test/support/postgres';
import { serviceNodeFlags } from '../test/support/service-node-flags';
import { CpuMeter } from './support/cpu';
import { nextOrder } from './support/order-load';
import { pgbench } from './support/pgbench';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const WARMUP_SECONDS = Math.max(0, Number(process.env.BENCH_WARMUP_SECONDS ?? 5));
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 16);
const IOC_SHARE = Number(process.env.BENCH_IOC_SHARE ?? 1 / 3);
const TRADERS = 40;
const CASES = [
  { http: 'node', mode: 'request', markets: 1 },
  { http: 'node', mode: 'grouped', markets: 1 },
  { http: 'node', mode: 'grouped', markets: 8 },
  { http: 'nest', mode: 'grouped', markets: 1 },
  { http: 'nest', mode: 'grouped', markets: 8 },
] as const;

const log = (line: string) => process.stderr.write(`${line}\n`);
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;

const SCHEMA = `
  CREATE TABLE api_keys (api_key text PRIMARY KEY, participant uuid NOT NULL);
  CREATE TABLE orders (
    id uuid PRIMARY KEY, market int NOT NULL, participant uuid NOT NULL, side text NOT NULL CHECK (side IN ('BUY', 'SELL')),
    price numeric(20, 4) NOT NULL CHECK (price > 0), volume numeric(20, 3) NOT NULL CHECK (volume > 0), tif text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now());
  CREATE INDEX orders_participant_idx ON orders (participant, created_at);
  CREATE TABLE idempotency (participant uuid NOT NULL, key text NOT NULL, response text NOT NULL, created_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (participant, key));
  INSERT INTO api_keys SELECT 'ceiling-key-' || i, gen_random_uuid() FROM generate_series(1, ${TRADERS}) i;`;

/** The server with the service's own node options (its young generation, decision 0049). */
async function startServer(databaseUrl: string, http: string, mode: string): Promise<{ child: ChildProcess; baseUrl: string; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, [...serviceNodeFlags(), '-r', 'ts-node/register/transpile-only', resolve(__dirname, 'ceiling/server.ts')], {
    env: { PATH: process.env.PATH ?? '', DATABASE_URL: databaseUrl, CEILING_MODE: mode, CEILING_HTTP: http },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((ok) => child.once('exit', () => ok()));
  const port = await new Promise<number>((ok, fail) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const m = /^listening (\d+)$/.exec(line);
      if (m) ok(Number(m[1]));
    });
    child.once('exit', (code) => fail(new Error(`the ceiling server exited (${code}) before listening`)));
  });
  return {
    child,
    baseUrl: `http://127.0.0.1:${port}`,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

async function drive(target: Target, markets: number, seed: number, seconds: number): Promise<{ ordersPerSecond: number; placed: number; p50: number; p99: number; errors: number; firstError?: string }> {
  const rand = prng(seed);
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  let n = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const client = async () => {
    while (performance.now() < deadline) {
      const { trader, market, body } = nextOrder(rand, TRADERS, markets, IOC_SHARE);
      const a = await target.send({ method: 'POST', path: `/v1/markets/${market + 1}/orders`, apiKey: `ceiling-key-${trader + 1}`, body, idempotencyKey: `ceiling-${seed}-${++n}` });
      if (a.status === 201) latencies.push(a.ms);
      else {
        errors++;
        firstError ??= `${a.status} ${JSON.stringify(a.body)}`;
      }
    }
  };
  await Promise.all(Array.from({ length: CLIENTS }, client));
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { ordersPerSecond: latencies.length / elapsed, placed: latencies.length, p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99), errors, firstError };
}

async function main() {
  const server = await postgresServer('bench-postgres');
  const lines: Array<{ http: string; mode: string; markets: number; ordersPerSecond: number; p50: number; p99: number; errors: number }> = [];
  let failed = false;
  try {
    for (const c of CASES) {
      const db = await createDatabase(server, `wrx_bench_ceiling_${process.pid}_${c.http}_${c.mode}_${c.markets}_${Date.now().toString(36)}`);
      try {
        await withClient(db.url, (client) => client.query(SCHEMA));
        const s = await startServer(db.url, c.http, c.mode);
        const target = new Target(s.baseUrl, CLIENTS + 8);
        let answered = 0;
        try {
          if (WARMUP_SECONDS > 0) answered += (await drive(target, c.markets, 20261205 + c.markets, WARMUP_SECONDS)).placed;
          const cpu = await CpuMeter.start([s.child.pid!], db.url);
          const r = await drive(target, c.markets, 20261206 + c.markets, SECONDS);
          const used = await cpu.read();
          answered += r.placed;
          const per = (ms: number) => (ms / Math.max(1, r.placed)).toFixed(2);
          log(`http=${c.http} mode=${c.mode} markets=${c.markets}: ${r.placed} orders, ${r.errors} errors${r.firstError ? ` (first: ${r.firstError})` : ''}; CPU per order: server ${per(used.serviceMs)} ms, database backends ${per(used.databaseMs)} ms, load generator ${per(used.generatorMs)} ms${used.machineIdle === null ? '' : `; the machine ${(used.machineIdle * 100).toFixed(0)} % idle`}`);
          lines.push({ ...c, ...r });
        } finally {
          await target.close();
          await s.stop();
        }
        const rows = await withClient(db.url, async (client) => {
          const [o, k] = await Promise.all([client.query('SELECT count(*)::int AS n FROM orders'), client.query('SELECT count(*)::int AS n FROM idempotency')]);
          return { orders: o.rows[0].n as number, keys: k.rows[0].n as number };
        });
        const kept = rows.orders === answered && rows.keys === answered;
        log(`  ${rows.orders} orders and ${rows.keys} key records stored for ${answered} answered 201 (warm-up included): ${kept ? 'as answered' : 'NOT as answered'}`);
        if (!kept) failed = true;
      } finally {
        await db.drop();
      }
    }
    log(`pgbench: initialising scale 10, then ${CLIENTS} clients for ${SECONDS} s after ${WARMUP_SECONDS} s of warm-up`);
    const pg = await pgbench(server, { scale: 10, clients: CLIENTS, seconds: SECONDS, warmupSeconds: WARMUP_SECONDS });
    log(`  ${pg.command}: tps ${pg.tps.toFixed(1)}`);
    for (const r of lines) {
      console.log(`ceiling http=${r.http} mode=${r.mode} markets=${r.markets} orders_s=${Math.round(r.ordersPerSecond)} pgbench_tps=${Math.round(pg.tps)} ratio=${(r.ordersPerSecond / pg.tps).toFixed(3)} p50_ms=${r.p50.toFixed(1)} p99_ms=${r.p99.toFixed(1)} errors=${r.errors}`);
    }
  } finally {
    await server.stop();
  }
  if (failed || lines.some((l) => l.errors > 0)) process.exit(1);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
