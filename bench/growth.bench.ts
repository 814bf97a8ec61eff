/**
 * `npm run bench:growth`: how the hot operations scale with the history the exchange keeps.
 *
 * The built service runs on a fresh database (DATABASE_URL's server, or an embedded one).
 * A constant live state is placed through the API: 200 resting orders and 100 trades
 * awaiting approval in one market. Then history grows by bulk SQL (bench/support/history.ts)
 * to each size of BENCH_GROWTH_SIZES (default 1000,10000,100000 stored orders, as many
 * trades; BENCH_GROWTH_1M=1 adds 1000000), and at each size every operation is timed over
 * HTTP (median of BENCH_GROWTH_REPS, default 15; verifications fewer) and the plans of the
 * hot queries are taken with EXPLAIN ANALYZE, flagging sequential scans of big tables.
 * The ledger and the audit chain must verify at every size.
 */
import { Client } from 'pg';
import { Target } from '../test/support/load/target';
import { inParallel } from '../test/support/load/units';
import { seedWorld, CITY } from '../test/support/load/world';
import { builtService } from '../test/support/build';
import { createDatabase, postgresServer } from '../test/support/postgres';
import { startServiceProcess } from '../test/support/service-process';
import { addProjects, addTradingHistory, HistoryParties, md5Uuid, prepareHistory } from './support/history';
import { WalMeter } from './support/wal';

const SIZES = (process.env.BENCH_GROWTH_SIZES ?? '1000,10000,100000').split(',').map(Number).concat(process.env.BENCH_GROWTH_1M === '1' ? [1_000_000] : []);
const REPS = Number(process.env.BENCH_GROWTH_REPS ?? 15);
const ADMIN = 'bench-operator-key-0123456789abcdef';
const BIG_TABLE_ROWS = 10_000;

const log = (line: string) => process.stderr.write(`${line}\n`);
const WAL_ROW = 'WAL per placement, 200 after a checkpoint (KB, not ms)';
const WAL_PLACEMENTS = 200;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

interface Operation {
  name: string;
  reps: number;
  /** One timed request (ms); `prepare` work it needs is not timed. */
  run: (rep: number) => Promise<number>;
}

interface HotQuery {
  name: string;
  sql: string;
  params: unknown[];
}

/** Walks an EXPLAIN (FORMAT JSON) plan for sequential scans. */
function seqScans(plan: any, out: { relation: string; rows: number }[] = []): { relation: string; rows: number }[] {
  // Per-loop figures: a parallel scan reports each worker's share.
  if (plan['Node Type'] === 'Seq Scan') out.push({ relation: plan['Relation Name'], rows: (plan['Actual Rows'] + (plan['Rows Removed by Filter'] ?? 0)) * (plan['Actual Loops'] ?? 1) });
  for (const child of plan.Plans ?? []) seqScans(child, out);
  return out;
}

/** A checkpoint, or false (said once) when the role may not ask for one: the WAL row is then left out. */
let checkpointRefused = false;
async function checkpoint(db: Client): Promise<boolean> {
  if (checkpointRefused) return false;
  try {
    await db.query('CHECKPOINT');
    return true;
  } catch (err) {
    if ((err as { code?: string }).code !== '42501') throw err;
    checkpointRefused = true;
    log('CHECKPOINT refused (a superuser or pg_checkpoint may run it): the WAL row is left out');
    return false;
  }
}

async function main() {
  const main = builtService(log);
  const server = await postgresServer('bench-postgres');
  const database = await createDatabase(server, `wrx_bench_growth_${process.pid}_${Date.now().toString(36)}`);
  const service = await startServiceProcess({ main, env: { DATABASE_URL: database.url, PORT: '0', ADMIN_API_KEY: ADMIN, LOG_LEVEL: 'info', RATE_LIMIT_PER_MINUTE: '0', EXPIRY_INTERVAL_MS: '60000' } })
    .catch(async (err) => {
      await database.drop();
      await server.stop();
      throw err;
    });
  const target = new Target(service.baseUrl);
  const db = new Client({ connectionString: database.url });
  await db.connect();
  let failed = false;
  try {
    const world = await seedWorld(target, ADMIN, { markets: [{ feeRate: '0' }, { feeRate: '0' }], traders: 20, quota: '1000000000', cash: '10000000000' });
    const [marketA] = world.marketIds;
    const trader = (i: number) => world.traders[i % world.traders.length];
    const place = (i: number, body: object, key: string) =>
      target.send({ method: 'POST', path: `/v1/markets/${marketA}/orders`, apiKey: trader(i).apiKey, body, idempotencyKey: key });
    log('live state: 200 resting orders and 100 pending trades through the API');
    await inParallel(Array.from({ length: 200 }, (_, i) => i), 8, async (i) => {
      const side = i % 2 === 0 ? 'BUY' : 'SELL';
      const price = (side === 'BUY' ? 0.5 + (i % 40) / 100 : 1.11 + (i % 40) / 100).toFixed(2);
      const a = await place(i, { side, price, volume: '10' }, `live-${i}`);
      if (a.status !== 201) throw new Error(`resting order: ${a.status} ${JSON.stringify(a.body)}`);
    });
    for (let i = 0; i < 100; i++) {
      await place(i, { side: 'SELL', price: '1.05', volume: '5' }, `pending-sell-${i}`);
      const a = await place(i + 1, { side: 'BUY', price: '1.05', volume: '5' }, `pending-buy-${i}`);
      if (a.status !== 201 || a.body.trades.length !== 1) throw new Error(`pending trade: ${a.status} ${JSON.stringify(a.body)}`);
    }
    const party = async (kind: string) => target.must({ method: 'POST', path: '/v1/participants', apiKey: ADMIN, body: { name: `growth ${kind}`, kind, regionCode: '150421' } });
    const [serviceCompany, waterUser] = [await party('SERVICE_COMPANY'), await party('WATER_USER')];
    const parties: HistoryParties = {
      marketIds: [world.marketIds[0], world.marketIds[1]],
      traderIds: world.traders.map((t) => t.id),
      regulatorId: world.regulator.id,
      serviceCompanyId: serviceCompany.id,
      waterUserId: waterUser.id,
    };
    await prepareHistory(db, parties);
    const project = md5Uuid('pj0');
    const [{ id: someOrder }] = (await db.query(`SELECT id FROM orders WHERE market_id = $1 AND status = 'OPEN' LIMIT 1`, [marketA])).rows;

    const marketYear = Number(marketA.slice(marketA.lastIndexOf('-') + 1));
    let newcomer = '';
    let newcomerScannedTo = 0;
    let placed = 0;
    const get = (path: string, apiKey = ADMIN) => async () => {
      const a = await target.send({ method: 'GET', path, apiKey });
      if (a.status !== 200) throw new Error(`GET ${path}: ${a.status} ${JSON.stringify(a.body).slice(0, 500)}`);
      return a.ms;
    };
    const rest = async (rep: number) => {
      const a = await place(rep, { side: 'BUY', price: '0.40', volume: '1' }, `timed-${++placed}`);
      if (a.status !== 201) throw new Error(`timed order: ${a.status} ${JSON.stringify(a.body)}`);
      return a;
    };
    const operations: Operation[] = [
      { name: 'place order (POST /v1/markets/:id/orders)', reps: REPS, run: async (rep) => (await rest(rep)).ms },
      {
        name: 'cancel order (DELETE /v1/orders/:id)', reps: REPS, run: async (rep) => {
          const order = await rest(rep);
          const a = await target.send({ method: 'DELETE', path: `/v1/orders/${order.body.id}`, apiKey: trader(rep).apiKey });
          if (a.status !== 200) throw new Error(`cancel: ${a.status}`);
          return a.ms;
        },
      },
      { name: 'order detail (GET /v1/orders/:id)', reps: REPS, run: get(`/v1/orders/${someOrder}`) },
      { name: 'book (GET /v1/markets/:id/book)', reps: REPS, run: get(`/v1/markets/${marketA}/book`) },
      { name: 'tape (GET /v1/markets/:id/trades)', reps: REPS, run: get(`/v1/markets/${marketA}/trades`) },
      { name: 'approval queue (GET /v1/approvals)', reps: REPS, run: get('/v1/approvals', world.regulator.apiKey) },
      { name: 'own orders (GET /v1/orders)', reps: REPS, run: get('/v1/orders', trader(0).apiKey) },
      { name: 'ledger entries (GET /v1/participants/:id/ledger)', reps: REPS, run: get(`/v1/participants/${trader(0).id}/ledger`, trader(0).apiKey) },
      { name: 'statements (GET /v1/projects/:id/statements)', reps: REPS, run: get(`/v1/projects/${project}/statements`, serviceCompany.apiKey) },
      { name: 'price index, every market (GET /v1/public/price-index)', reps: REPS, run: get('/v1/public/price-index?interval=DAY') },
      { name: 'trade report, the city (GET /v1/reports/trades)', reps: REPS, run: get(`/v1/reports/trades?regionCode=${CITY}&year=${marketYear}&groupBy=region`, world.regulator.apiKey) },
      // A participant new at this size: its only events are the newest entries, so the feed looks at every entry before them.
      { name: 'events, a newcomer from the start (GET /v1/events)', reps: 3, run: async () => get('/v1/events?after=0&limit=50', newcomer)() },
      {
        // Its next poll, from where the last one looked (scannedTo): the entries since, not the whole log again.
        name: 'events, the newcomer again from scannedTo', reps: REPS, run: async (rep) => {
          if (rep === 0) newcomerScannedTo = (await target.must({ method: 'GET', path: '/v1/events?after=0&limit=50', apiKey: newcomer })).scannedTo;
          return get(`/v1/events?after=${newcomerScannedTo}&limit=50`, newcomer)();
        },
      },
      { name: 'audit verify (GET /v1/audit/verify)', reps: 3, run: get('/v1/audit/verify') },
      { name: 'ledger verify (GET /v1/ledger/verify)', reps: 3, run: get('/v1/ledger/verify') },
    ];
    // The SQL behind those operations, as the services issue it (src/modules/*/…service.ts).
    const hot: HotQuery[] = [
      { name: 'place: clientOrderId taken?', sql: 'SELECT id FROM orders WHERE participant_id = $1 AND client_order_id = $2', params: [trader(0).id, 'x'] },
      { name: 'place/cancel: book rebuild', sql: `SELECT id, participant_id, side, price, volume, filled_volume, seq FROM orders WHERE market_id = $1 AND status IN ('OPEN','PARTIALLY_FILLED')`, params: [marketA] },
      { name: 'cancel/order detail: trades of an order', sql: 'SELECT * FROM trades WHERE buy_order_id = $1 OR sell_order_id = $1 ORDER BY exec_seq', params: [someOrder] },
      { name: 'book: open orders by level', sql: `SELECT side, price, sum(volume - filled_volume) AS volume, count(*)::int AS orders FROM orders WHERE market_id = $1 AND status IN ('OPEN','PARTIALLY_FILLED') GROUP BY side, price ORDER BY price`, params: [marketA] },
      {
        name: 'book/tape/market: last price and 24 h volume', params: [marketA],
        sql: `SELECT (SELECT price FROM trades t WHERE t.market_id = m.id AND t.status = 'SETTLED' ORDER BY t.decided_at DESC, t.exec_seq DESC LIMIT 1) AS last_price,
                     (SELECT COALESCE(sum(volume), 0) FROM trades t WHERE t.market_id = m.id AND t.status = 'SETTLED' AND t.decided_at > now() - interval '24 hours') AS volume_24h
                FROM markets m WHERE m.id = $1`,
      },
      { name: 'tape: newest trades', sql: 'SELECT id, price, volume, created_at, status, exec_seq FROM trades WHERE market_id = $1 ORDER BY exec_seq DESC LIMIT 51', params: [marketA] },
      { name: 'approval queue', sql: 'SELECT * FROM trades WHERE seller_region_code = ANY($1) AND buyer_region_code = ANY($1) AND status = $2 ORDER BY exec_seq ASC LIMIT 51', params: [[CITY, '150421', '150422'], 'PENDING_APPROVAL'] },
      { name: 'own orders', sql: 'SELECT *, created_at::text AS cursor_at FROM orders WHERE participant_id = $1 ORDER BY created_at DESC, id DESC LIMIT 51', params: [trader(0).id] },
      { name: 'ledger entries', sql: 'SELECT p.*, a.bucket FROM ledger_postings p JOIN ledger_accounts a ON a.id = p.account_id WHERE a.owner_id = $1 ORDER BY p.seq DESC LIMIT 51', params: [trader(0).id] },
      { name: 'statements', sql: 'SELECT s.*, r.period_start FROM statements s JOIN readings r ON r.id = s.reading_id WHERE s.project_id = $1 ORDER BY s.seq ASC LIMIT 51', params: [project] },
    ];

    const table = new Map<string, number[]>();
    const flags: string[] = [];
    let pairs = 0;
    let projects = 0;
    for (const size of SIZES) {
      const started = performance.now();
      await addTradingHistory(db, parties, pairs, size / 2);
      pairs = size / 2;
      await addProjects(db, parties, projects, Math.max(1, size / 1000));
      projects = Math.max(1, size / 1000);
      await db.query('ANALYZE');
      const [counts] = (await db.query(`SELECT (SELECT count(*) FROM orders) AS orders, (SELECT count(*) FROM trades) AS trades, (SELECT count(*) FROM audit_log) AS audit,
                                               (SELECT count(*) FROM ledger_postings) AS postings, (SELECT count(*) FROM statements) AS statements`)).rows;
      log(`size ${size}: loaded in ${((performance.now() - started) / 1000).toFixed(1)} s — ${counts.orders} orders, ${counts.trades} trades, ${counts.audit} audit entries, ${counts.postings} postings, ${counts.statements} statements`);
      // The event feed's index (decision 0037) takes in the loaded entries behind the sealer, as it would a day's trading.
      const indexing = performance.now();
      for (;;) {
        const [{ indexed_to: indexedTo, head }] = (await db.query('SELECT indexed_to, (SELECT seq FROM audit_head) AS head FROM event_audience_head')).rows;
        if (indexedTo === head) break;
        await new Promise((ok) => setTimeout(ok, 200));
      }
      log(`size ${size}: event index caught up in ${((performance.now() - indexing) / 1000).toFixed(1)} s`);
      newcomer = (await party('ENTERPRISE')).apiKey;
      const ledger = await target.must({ method: 'GET', path: '/v1/ledger/verify', apiKey: ADMIN });
      const audit = await target.must({ method: 'GET', path: '/v1/audit/verify', apiKey: ADMIN });
      if (!ledger.valid || !audit.valid) throw new Error(`size ${size}: ledger ${JSON.stringify(ledger.problems).slice(0, 500)} audit ${JSON.stringify(audit)}`);
      for (const op of operations) {
        await op.run(0); // warm: the first use after a load rebuilds the book, fills caches
        const times: number[] = [];
        for (let rep = 1; rep <= op.reps; rep++) times.push(await op.run(rep));
        table.set(op.name, [...(table.get(op.name) ?? []), median(times)]);
      }
      // What a placement writes to the WAL once a checkpoint has passed, as one does every few
      // minutes: an index whose inserts land at random pages writes a full image of each page it
      // touches first (docs/performance-log.md, "Ids that sort by time"). The sealer's and the
      // event index's share of those placements is counted too: they are part of an order's cost.
      if (await checkpoint(db)) {
        const wal = await WalMeter.start(database.url);
        for (let rep = 1; rep <= WAL_PLACEMENTS; rep++) await rest(rep);
        await new Promise((ok) => setTimeout(ok, 1500));
        const { bytes } = await wal.read();
        table.set(WAL_ROW, [...(table.get(WAL_ROW) ?? []), bytes / WAL_PLACEMENTS / 1024]);
      }
      for (const q of hot) {
        const [{ 'QUERY PLAN': [plan] }] = (await db.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${q.sql}`, q.params)).rows;
        const big = seqScans(plan.Plan).filter((s) => s.rows >= BIG_TABLE_ROWS);
        const line = `${q.name}: ${plan['Execution Time'].toFixed(2)} ms${big.length ? `, SEQUENTIAL SCAN of ${big.map((s) => `${s.relation} (${s.rows} rows)`).join(', ')}` : ''}`;
        log(`  plan ${line}`);
        if (size === SIZES[SIZES.length - 1] && big.length) flags.push(line);
      }
    }
    const header = ['operation (median ms)', ...SIZES.map((s) => `${s.toExponential(0).replace('e+', 'e')}`), `×(${SIZES[0].toExponential(0).replace('e+', 'e')}→${SIZES[SIZES.length - 1].toExponential(0).replace('e+', 'e')})`];
    console.log(`growth sizes=${SIZES.join(',')} (stored orders; as many trades, a tenth as many statements)`);
    console.log(`| ${header.join(' | ')} |`);
    console.log(`|${header.map(() => '---').join('|')}|`);
    for (const [name, times] of table) console.log(`| ${name} | ${times.map((t) => t.toFixed(1)).join(' | ')} | ${(times[times.length - 1] / times[0]).toFixed(1)} |`);
    for (const f of flags) console.log(`seq-scan ${f}`);
    if (flags.length === 0) console.log('seq-scan none on the hot queries');
  } catch (err) {
    failed = true;
    console.error(err);
  } finally {
    await db.end();
    await target.close();
    await service.stop();
    await database.drop();
    await server.stop();
  }
  process.exit(failed ? 1 : 0);
}

void main();
