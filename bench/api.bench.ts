/**
 * `npm run bench:api`: order placement end to end — HTTP, validation, the market lock,
 * ledger locks, matching, trade escrow, audit — against real PostgreSQL.
 *
 * It boots the service in this process on a fresh database (DATABASE_URL's server, or an
 * embedded one), gives 20 sellers quota and 20 buyers cash, then sends a seeded stream of
 * limit orders around a mid price with a fixed number of requests in flight. Each round is
 * timed separately; the last line reports medians over the rounds.
 */
import 'reflect-metadata';
import { Client } from 'pg';
import pino from 'pino';
import { AppConfig } from '../src/config/app-config';
import { parseEnv } from '../src/config/env.schema';
import { bootstrapOperator, createApp } from '../src/configure-app';
import { runMigrations } from '../src/database/data-source';
import { resolveDatabase } from '../src/database/resolve-database';
import { prng } from '../test/support/load/units';

const ORDERS_PER_ROUND = Number(process.env.BENCH_ORDERS ?? 600);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const IN_FLIGHT = Number(process.env.BENCH_IN_FLIGHT ?? 8);
const ADMIN = 'bench-operator-key-0123456789abcdef';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];

async function main() {
  const parsed = parseEnv({ ...process.env, DATABASE_URL: process.env.DATABASE_URL });
  if (!parsed.ok) throw new Error(parsed.errors.join('; '));
  const { url: serverUrl, embedded } = await resolveDatabase(parsed.env, () => undefined);
  const dbName = `wrx_bench_${Date.now().toString(36)}`;
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${dbName}"`);
  const dbUrl = Object.assign(new URL(serverUrl), { pathname: `/${dbName}` }).toString();
  await runMigrations(dbUrl);
  const config = new AppConfig(0, dbUrl, ADMIN, 'silent', 1 << 20, 0, 20, 60000, 432000, false);
  const app = await createApp(config, pino({ level: 'silent' }));
  await app.init();
  await bootstrapOperator(app, config.adminApiKey);
  await app.listen(0, '127.0.0.1');
  const base = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
  const call = async (key: string, method: string, path: string, body?: unknown): Promise<any> => {
    const res = await fetch(base + path, { method, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: body ? JSON.stringify(body) : undefined });
    const json = await res.json();
    if (res.status >= 400) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };

  try {
    const year = Number(new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(new Date()));
    await call(ADMIN, 'PUT', '/v1/regions/150000', { name: '内蒙古自治区' });
    await call(ADMIN, 'PUT', '/v1/regions/150400', { name: '赤峰市', parentCode: '150000' });
    await call(ADMIN, 'PUT', '/v1/regions/150421', { name: '阿鲁科尔沁旗', parentCode: '150400' });
    const regulator = await call(ADMIN, 'POST', '/v1/participants', { name: 'bench regulator', kind: 'REGULATOR', regionCode: '150400' });
    const market = await call(ADMIN, 'POST', '/v1/markets', { regionCode: '150421', source: 'SURFACE', year, feeRate: '0.005' });
    const traders: { id: string; apiKey: string; side: 'BUY' | 'SELL' }[] = [];
    for (let i = 0; i < 40; i++) {
      const side = i % 2 === 0 ? 'SELL' : 'BUY';
      const p = await call(ADMIN, 'POST', '/v1/participants', { name: `trader ${i}`, kind: side === 'SELL' ? 'IRRIGATION_DISTRICT' : 'WATER_USER', regionCode: '150421' });
      if (side === 'SELL') {
        const right = await call(regulator.apiKey, 'POST', '/v1/rights', {
          holderId: p.id, regionCode: '150421', source: 'SURFACE', useType: 'AGRICULTURE', annualVolume: '100000000',
          validFrom: `${year}-01-01`, validTo: `${year}-12-31`, permitNo: `BENCH-${i}`,
        });
        await call(regulator.apiKey, 'POST', `/v1/rights/${right.id}/allocations`, { year, volume: '100000000' });
      } else {
        await call(ADMIN, 'POST', `/v1/participants/${p.id}/deposits`, { amount: '100000000', reference: `BENCH-${i}` });
      }
      traders.push({ id: p.id, apiKey: p.apiKey, side });
    }

    const rand = prng(20261123);
    const rounds: { ops: number; p50: number; p95: number; trades: number }[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const latencies: number[] = [];
      let trades = 0;
      let next = 0;
      const started = performance.now();
      const worker = async () => {
        while (next < ORDERS_PER_ROUND) {
          next++;
          const trader = traders[Math.floor(rand() * traders.length)];
          const offset = Math.floor(rand() * 10) - (trader.side === 'BUY' ? 6 : 3);
          const price = (100 + offset) / 100;
          const t0 = performance.now();
          const order = await call(trader.apiKey, 'POST', `/v1/markets/${market.id}/orders`, {
            side: trader.side, price: price.toFixed(2), volume: String(1 + Math.floor(rand() * 50)), timeInForce: rand() < 0.2 ? 'IOC' : 'GTC',
          });
          latencies.push(performance.now() - t0);
          trades += order.trades.length;
        }
      };
      await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
      const seconds = (performance.now() - started) / 1000;
      rounds.push({ ops: ORDERS_PER_ROUND / seconds, p50: median(latencies), p95: percentile(latencies, 0.95), trades });
      console.log(`round ${round + 1} orders_s=${Math.round(ORDERS_PER_ROUND / seconds)} p50_ms=${median(latencies).toFixed(1)} p95_ms=${percentile(latencies, 0.95).toFixed(1)} trades=${trades}`);
    }
    const verify = await call(ADMIN, 'GET', '/v1/ledger/verify');
    const audit = await call(ADMIN, 'GET', '/v1/audit/verify');
    if (!verify.valid || !audit.valid) throw new Error(`books or audit chain invalid after the run: ${JSON.stringify({ verify, audit })}`);
    console.log(`ledger valid=${verify.valid} postings=${verify.postings} audit valid=${audit.valid} entries=${audit.entries}`);
    console.log(`api orders_s=${Math.round(median(rounds.map((r) => r.ops)))} p50_ms=${median(rounds.map((r) => r.p50)).toFixed(1)} p95_ms=${median(rounds.map((r) => r.p95)).toFixed(1)} in_flight=${IN_FLIGHT}`);
  } finally {
    await app.close();
    await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
    await admin.end();
    await embedded?.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
