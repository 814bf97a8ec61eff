/**
 * `npm run bench:e2e`: order throughput of the built service measured from outside, against
 * what the same PostgreSQL does with pgbench in the same run (issue 11).
 *
 * For one market, then eight: the built service starts in a child process on a fresh
 * database (DATABASE_URL's server, or an embedded one), participants, quota and cash are
 * seeded through the public API, then BENCH_CLIENTS (16) keep-alive clients place limit
 * orders with Idempotency-Keys for BENCH_SECONDS (20): prices near the mid, a third IOC,
 * the rest GTC. Afterwards the ledger and the audit chain must verify and cash and quota
 * must add up to what was deposited and allocated. Then pgbench's TPC-B-like script
 * (scale 10, the same clients and duration) runs on a database of its own on that server.
 * Both sides first run the same load for BENCH_WARMUP_SECONDS (5), not counted: the figures
 * are the steady state's, not the cold start's (JIT, each connection's first prepares,
 * the traders' first ledger accounts), which the warm-up's own line reports.
 * One line per case:
 *   e2e markets=<n> orders_s=<n> pgbench_tps=<n> ratio=<n> p50_ms=<n> p99_ms=<n> errors=<n>
 */
import { Target } from '../test/support/load/target';
import { fen, litres, prng } from '../test/support/load/units';
import { seedWorld, World } from '../test/support/load/world';
import { builtService } from '../test/support/build';
import { createDatabase, postgresServer } from '../test/support/postgres';
import { startServiceProcess } from '../test/support/service-process';
import { CpuMeter } from './support/cpu';
import { nextOrder } from './support/order-load';
import { pgbench } from './support/pgbench';
import { WalMeter } from './support/wal';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
/** BENCH_WARMUP_SECONDS=0 measures from the cold start, as before the warm-up existed. */
const WARMUP_SECONDS = Math.max(0, Number(process.env.BENCH_WARMUP_SECONDS ?? 5));
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 16);
const IOC_SHARE = Number(process.env.BENCH_IOC_SHARE ?? 1 / 3);
const TRADERS = 40;
/** Which cases to run, e.g. BENCH_MARKETS=8 while profiling one. */
const MARKET_CASES = (process.env.BENCH_MARKETS ?? '1,8').split(',').map(Number);
/**
 * BENCH_INSTANCES=<n> (default 1): n service processes on the one database, each market's
 * orders sent to one of them (market i to instance i mod n), as a balancer routing by market
 * would (docs/scaling.md).
 */
const INSTANCES = Math.max(1, Number(process.env.BENCH_INSTANCES ?? 1));
/**
 * BENCH_CAPS=1 caps the province, the city and every county (seedWorld), far above what is
 * allocated: every decision then works out BUYER_REGION_CAP on real cap rows.
 */
const CAPS = '100000000000000';
/** BENCH_FLOOR=0 skips the floor measurement (see driveFloor). */
const FLOOR = process.env.BENCH_FLOOR !== '0';
const ADMIN = 'bench-operator-key-0123456789abcdef';

const log = (line: string) => process.stderr.write(`${line}\n`);
/** A counter of the service's /metrics (db_statements_total: every statement its pool sent). */
async function metric(baseUrl: string, name: string): Promise<number> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line ? Number(line.slice(name.length + 1)) : 0;
}

/** How the service ran its grouped transactions (db_grouped_transactions_total, decision 0026), summed over instances. */
async function groupedRuns(baseUrls: string[]): Promise<string> {
  const sums = new Map<string, number>();
  for (const baseUrl of baseUrls) {
    const text = await (await fetch(`${baseUrl}/metrics`)).text();
    for (const m of text.matchAll(/^db_grouped_transactions_total\{how="(\w+)"\} (\d+)/gm)) sums.set(m[1], (sums.get(m[1]) ?? 0) + Number(m[2]));
  }
  return ['alone', 'batched', 'again'].map((how) => `${how} ${sums.get(how) ?? 0}`).join(', ');
}

/** Transactions run again, by cause (db_transaction_retries_total), summed over the instances. */
async function retries(baseUrls: string[]): Promise<string> {
  const sums = new Map<string, number>();
  for (const baseUrl of baseUrls) {
    const text = await (await fetch(`${baseUrl}/metrics`)).text();
    for (const m of text.matchAll(/^db_transaction_retries_total\{code="(\w+)"\} (\d+)/gm)) sums.set(m[1], (sums.get(m[1]) ?? 0) + Number(m[2]));
  }
  return sums.size === 0 ? 'none' : [...sums].map(([code, n]) => `${code} ${n}`).join(', ');
}

/** request_stage_seconds, summed over the instances: per stage, its count, its sum and its cumulative buckets. */
type Stages = Map<string, { count: number; sum: number; buckets: Map<number, number> }>;

async function stages(baseUrls: string[]): Promise<Stages> {
  const out: Stages = new Map();
  const of = (stage: string) => out.get(stage) ?? out.set(stage, { count: 0, sum: 0, buckets: new Map() }).get(stage)!;
  for (const baseUrl of baseUrls) {
    const text = await (await fetch(`${baseUrl}/metrics`)).text();
    for (const m of text.matchAll(/^request_stage_seconds_(bucket|sum|count)\{([^}]*)\} (\S+)/gm)) {
      const labels = Object.fromEntries([...m[2].matchAll(/(\w+)="([^"]*)"/g)].map((l) => [l[1], l[2]]));
      const st = of(labels.stage);
      if (m[1] === 'sum') st.sum += Number(m[3]);
      else if (m[1] === 'count') st.count += Number(m[3]);
      else if (labels.le !== '+Inf') st.buckets.set(Number(labels.le), (st.buckets.get(Number(labels.le)) ?? 0) + Number(m[3]));
    }
  }
  return out;
}

/** Each stage over a case (the difference of two readings): its mean, and the bucket its p99 falls in. */
function stagesLine(before: Stages, after: Stages): string {
  const names = ['admission', 'group_queue', 'write_gate', 'transaction', 'after_commit'];
  return names.map((name) => {
    const a = after.get(name);
    const b = before.get(name);
    const count = (a?.count ?? 0) - (b?.count ?? 0);
    if (!a || count === 0) return `${name.replace('_', ' ')} -`;
    const mean = ((a.sum - (b?.sum ?? 0)) / count) * 1000;
    const le = [...a.buckets.keys()].sort((x, y) => x - y).find((k) => a.buckets.get(k)! - (b?.buckets.get(k) ?? 0) >= 0.99 * count);
    return `${name.replace('_', ' ')} ${mean.toFixed(1)} (p99 ${le === undefined ? '> 5000' : `≤ ${le * 1000}`})`;
  }).join(', ');
}

const WINDOW_S = 3;

/** p99 of each window of the run: a tail that sits in the first window is the cold start's (JIT, first prepares), not the steady state's. */
function p99ByWindow(timeline: ReadonlyArray<readonly [at: number, ms: number]>): string[] {
  const windows: number[][] = [];
  for (const [at, ms] of timeline) (windows[Math.floor(at / (WINDOW_S * 1000))] ??= []).push(ms);
  return windows.map((w) => percentile(w.sort((a, b) => a - b), 0.99).toFixed(0));
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;

interface CaseResult {
  markets: number;
  ordersPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
  trades: number;
}

/** The load (nextOrder): about half the orders cross. */
async function driveOrders(targets: Target[], world: World, seed: number, seconds: number, report = true): Promise<Omit<CaseResult, 'markets'>> {
  const rand = prng(seed);
  const timeline: Array<[at: number, ms: number]> = [];
  /** Latencies of orders that traded on placement and of those that did not: whether the tail is the crossing orders' work or queueing. */
  const byOutcome = { crossing: [] as number[], resting: [] as number[] };
  let errors = 0;
  let trades = 0;
  let n = 0;
  const firstError: string[] = [];
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const client = async () => {
    while (performance.now() < deadline) {
      const { trader: i, market, body } = nextOrder(rand, world.traders.length, world.marketIds.length, IOC_SHARE);
      const trader = world.traders[i];
      const marketId = world.marketIds[market];
      try {
        const a = await targets[market % targets.length].send({ method: 'POST', path: `/v1/markets/${marketId}/orders`, apiKey: trader.apiKey, body, idempotencyKey: `bench-${seed}-${++n}` });
        if (a.status === 201) {
          timeline.push([performance.now() - started, a.ms]);
          trades += a.body.trades.length;
          byOutcome[a.body.trades.length > 0 ? 'crossing' : 'resting'].push(a.ms);
        } else {
          errors++;
          if (firstError.length < 3) firstError.push(`${a.status} ${JSON.stringify(a.body)}`);
        }
      } catch (err) {
        errors++;
        if (firstError.length < 3) firstError.push(String(err));
      }
    }
  };
  await Promise.all(Array.from({ length: CLIENTS }, client));
  const elapsed = (performance.now() - started) / 1000;
  for (const e of firstError) log(`  error: ${e}`);
  const latencies = timeline.map(([, ms]) => ms).sort((a, b) => a - b);
  const result = { ordersPerSecond: latencies.length / elapsed, p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99), errors, trades };
  if (!report) return result;
  log(`  p99 by ${WINDOW_S} s window: ${p99ByWindow(timeline).join(', ')} ms`);
  const spread = (ms: number[]) => {
    const sorted = [...ms].sort((a, b) => a - b);
    return `${sorted.length} orders, p50 ${percentile(sorted, 0.5).toFixed(0)}, p99 ${percentile(sorted, 0.99).toFixed(0)} ms`;
  };
  log(`  traded on placement: ${spread(byOutcome.crossing)}; did not: ${spread(byOutcome.resting)}`);
  return result;
}

/**
 * The floor under an order: the same clients for the same time, each sending a placement the
 * validation refuses (a price that is not a number, no Idempotency-Key): authentication,
 * routing, validation, a problem+json answer and its log line, with no statement sent. What
 * an order costs above this is its own work; the floor is what any HTTP request here costs.
 */
async function driveFloor(target: Target, world: World): Promise<{ perSecond: number; refused: number; other: number }> {
  let refused = 0;
  let other = 0;
  const started = performance.now();
  const deadline = started + SECONDS * 1000;
  const client = async (k: number) => {
    while (performance.now() < deadline) {
      const trader = world.traders[k % world.traders.length];
      const a = await target.send({ method: 'POST', path: `/v1/markets/${world.marketIds[0]}/orders`, apiKey: trader.apiKey, body: { side: 'BUY', price: 'not-a-price', volume: '1' } });
      if (a.status === 400) refused++;
      else other++;
    }
  };
  await Promise.all(Array.from({ length: CLIENTS }, (_, k) => client(k)));
  return { perSecond: refused / ((performance.now() - started) / 1000), refused, other };
}

/** The books and the chain verify, and participants hold exactly what came in: cash to the fen, quota to the litre. */
async function checkConservation(target: Target, world: World): Promise<string[]> {
  const problems: string[] = [];
  const ledger = await target.must({ method: 'GET', path: '/v1/ledger/verify', apiKey: ADMIN });
  if (!ledger.valid) problems.push(`ledger: ${JSON.stringify(ledger.problems).slice(0, 1000)}`);
  const audit = await target.must({ method: 'GET', path: '/v1/audit/verify', apiKey: ADMIN });
  if (!audit.valid) problems.push(`audit chain: ${JSON.stringify(audit)}`);
  let cash = 0n;
  const quota = new Map<string, bigint>();
  for (const id of [world.operatorId, ...world.traders.map((t) => t.id)]) {
    const b = await target.must({ method: 'GET', path: `/v1/participants/${id}/balances`, apiKey: ADMIN });
    cash += fen(b.cash.available) + fen(b.cash.locked);
    for (const q of b.quota) quota.set(q.marketId, (quota.get(q.marketId) ?? 0n) + litres(q.available) + litres(q.locked));
  }
  if (cash !== world.depositedFen) problems.push(`cash: participants hold ${cash} fen, ${world.depositedFen} were deposited`);
  for (const [m, allocated] of world.allocatedLitres) if (quota.get(m) !== allocated) problems.push(`quota ${m}: held ${quota.get(m)} litres, ${allocated} allocated`);
  log(`  ledger valid (${ledger.postings} postings), audit chain valid (${audit.entries} entries), cash and quota conserved: ${problems.length === 0}`);
  return problems;
}

/** The service's own settings a run may vary from the shell (decision 0029's table). */
function passThrough(...names: string[]): Record<string, string> {
  return Object.fromEntries(names.filter((n) => process.env[n] !== undefined).map((n) => [n, process.env[n]!]));
}

/**
 * Node's flags for the service: BENCH_CPU_PROF=<dir> makes it write a V8 CPU profile there
 * when it stops (open it in Chrome's DevTools); BENCH_NODE_ARGS adds flags of one's own
 * (space-separated, e.g. a heap setting to compare).
 */
function nodeArgs(): string[] {
  const dir = process.env.BENCH_CPU_PROF;
  const own = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter((a) => a !== '');
  return [...(dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : []), ...own];
}

async function main() {
  const main = builtService(log);
  const server = await postgresServer('bench-postgres');
  const results: CaseResult[] = [];
  const problems: string[] = [];
  try {
    for (const markets of MARKET_CASES) {
      const db = await createDatabase(server, `wrx_bench_e2e_${process.pid}_${markets}_${Date.now().toString(36)}`);
      const services: Awaited<ReturnType<typeof startServiceProcess>>[] = [];
      // One after the other: the first applies the migrations.
      for (let i = 0; i < INSTANCES; i++) {
        services.push(await startServiceProcess({
          main,
          env: { DATABASE_URL: db.url, PORT: '0', ADMIN_API_KEY: ADMIN, LOG_LEVEL: 'info', RATE_LIMIT_PER_MINUTE: '0', EXPIRY_INTERVAL_MS: '60000', DB_PREPARED_STATEMENTS: process.env.DB_PREPARED_STATEMENTS ?? 'true', ...passThrough('DB_POOL_SIZE', 'DB_WRITE_CONCURRENCY', 'PLACEMENT_QUEUES', 'RATE_LIMIT_PER_MINUTE', 'EVENT_INDEX_INTERVAL_MS') },
          nodeArgs: nodeArgs(),
        }).catch(async (err) => {
          await Promise.all(services.map((x) => x.stop()));
          await db.drop();
          throw err;
        }));
      }
      const service = services[0];
      const targets = services.map((x) => new Target(x.baseUrl, CLIENTS + 8));
      const target = targets[0];
      const pids = services.map((x) => x.process.pid!);
      const summed = (name: string) => async () => (await Promise.all(services.map((x) => metric(x.baseUrl, name)))).reduce((a, b) => a + b, 0);
      const statementsSent = summed('db_statements_total');
      const roundTrips = summed('db_round_trips_total');
      const syncs = summed('db_syncs_total');
      const sealingRounds = summed('shared_runs_started_total{check="audit_seal"}');
      try {
        const world = await seedWorld(target, ADMIN, { markets: Array.from({ length: markets }, () => ({ feeRate: process.env.BENCH_FEE_RATE ?? '0.005', ...(process.env.BENCH_APPROVAL_MODE ? { approvalMode: process.env.BENCH_APPROVAL_MODE as 'APPROVAL' | 'FILING' } : {}) })), traders: TRADERS, quota: '100000000', cash: '100000000', ...(process.env.BENCH_CAPS === '1' ? { caps: CAPS } : {}) });
        log(`markets=${markets}: ${TRADERS} traders seeded; ${CLIENTS} clients for ${SECONDS} s after ${WARMUP_SECONDS} s of warm-up${INSTANCES > 1 ? `, ${INSTANCES} instances, markets routed by index` : ''}`);
        if (WARMUP_SECONDS > 0) {
          const w = await driveOrders(targets, world, 20261203 + markets, WARMUP_SECONDS, false);
          log(`  warm-up (not counted): ${Math.round(w.ordersPerSecond)} orders/s, p50 ${w.p50.toFixed(1)} ms, p99 ${w.p99.toFixed(1)} ms, ${w.errors} errors`);
          if (w.errors > 0) problems.push(`markets=${markets}: ${w.errors} errors in the warm-up`);
        }
        const stagesBefore = await stages(services.map((x) => x.baseUrl));
        const statementsBefore = await statementsSent();
        const tripsBefore = await roundTrips();
        const syncsBefore = await syncs();
        const roundsBefore = await sealingRounds();
        const cpu = await CpuMeter.start(pids, db.url);
        const wal = await WalMeter.start(db.url);
        const r = await driveOrders(targets, world, 20261123 + markets, SECONDS);
        const used = await cpu.read();
        const walRange = await wal.read();
        const statements = (await statementsSent()) - statementsBefore;
        const trips = (await roundTrips()) - tripsBefore;
        const flushes = (await syncs()) - syncsBefore;
        const rounds = (await sealingRounds()) - roundsBefore;
        const placed = Math.round(r.ordersPerSecond * SECONDS);
        const perOrder = (x: number) => (x / Math.max(1, placed)).toFixed(2);
        log(`  ${placed} orders, ${r.trades} trades, ${r.errors} errors; ${(statements / Math.max(1, placed)).toFixed(1)} statements and ${(trips / Math.max(1, placed)).toFixed(1)} round trips per order, ${(flushes / Math.max(1, placed)).toFixed(1)} Syncs (db_statements_total, db_round_trips_total, db_syncs_total), ${perOrder(rounds)} audit sealing rounds`);
        log(`  placements run: ${await groupedRuns(services.map((x) => x.baseUrl))} (db_grouped_transactions_total, seeding included); retries: ${await retries(services.map((x) => x.baseUrl))}`);
        log(`  stages of a write, mean ms (request_stage_seconds): ${stagesLine(stagesBefore, await stages(services.map((x) => x.baseUrl)))}`);
        log(`  WAL per order: ${(walRange.bytes / Math.max(1, placed) / 1024).toFixed(1)} KB (the server's, pg_current_wal_lsn ${walRange.from} to ${walRange.to})`);
        log(`  CPU per order: service ${perOrder(used.serviceMs)} ms (kernel ${perOrder(used.serviceSystemMs)}), database backends ${perOrder(used.databaseMs)} ms, load generator ${perOrder(used.generatorMs)} ms (the service ${(used.serviceMs / Math.max(1e-9, used.generatorMs)).toFixed(1)}× its)${used.machineIdle === null ? '' : `; the machine ${(used.machineIdle * 100).toFixed(0)} % idle`}`);
        results.push({ markets, ...r });
        problems.push(...(await checkConservation(target, world)).map((p) => `markets=${markets}: ${p}`));
        if (FLOOR && markets === MARKET_CASES[MARKET_CASES.length - 1]) {
          const floorCpu = await CpuMeter.start([service.process.pid!], db.url);
          const f = await driveFloor(target, world);
          const fu = await floorCpu.read();
          const per = (x: number) => (x / Math.max(1, f.refused)).toFixed(2);
          log(`floor: ${Math.round(f.perSecond)} refused placements/s (400, no statement), ${f.other} other answers; CPU per request: service ${per(fu.serviceMs)} ms (kernel ${per(fu.serviceSystemMs)}), database backends ${per(fu.databaseMs)} ms, load generator ${per(fu.generatorMs)} ms`);
          if (f.other > 0) problems.push(`floor: ${f.other} answers were not 400`);
        }
      } finally {
        await Promise.all(targets.map((x) => x.close()));
        await Promise.all(services.map((x) => x.stop()));
        await db.drop();
      }
    }
    log(`pgbench: initialising scale 10, then ${CLIENTS} clients for ${SECONDS} s after ${WARMUP_SECONDS} s of warm-up`);
    const pg = await pgbench(server, { scale: 10, clients: CLIENTS, seconds: SECONDS, warmupSeconds: WARMUP_SECONDS });
    log(`  ${pg.command}: tps ${pg.tps.toFixed(1)}`);
    for (const r of results) {
      console.log(`e2e markets=${r.markets} orders_s=${Math.round(r.ordersPerSecond)} pgbench_tps=${Math.round(pg.tps)} ratio=${(r.ordersPerSecond / pg.tps).toFixed(3)} p50_ms=${r.p50.toFixed(1)} p99_ms=${r.p99.toFixed(1)} errors=${r.errors}${INSTANCES > 1 ? ` instances=${INSTANCES}` : ''}`);
    }
  } finally {
    await server.stop();
  }
  if (problems.length > 0) {
    for (const p of problems) log(`CONSERVATION FAILED ${p}`);
    process.exit(1);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
