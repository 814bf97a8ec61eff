import { Client } from 'pg';
import { CheckContext, LoadContext, LoadDriver, LoadModule } from '../support/load/driver';
import { probeRebuiltBooks } from '../support/load/book-probe';
import { checkAll } from '../support/load/invariants';
import { Journal } from '../support/load/journal';
import { auctionsModule, AUCTION_NOTICE_SECONDS } from '../support/load/modules/auctions';
import { cashModule } from '../support/load/modules/cash';
import { regionalTradesModule } from '../support/load/modules/regional-trades';
import { rightTransfersModule } from '../support/load/modules/right-transfers';
import { ordersModule } from '../support/load/modules/orders';
import { tradesModule } from '../support/load/modules/trades';
import { transfersModule } from '../support/load/modules/transfers';
import { Target } from '../support/load/target';
import { between, prng, sleep } from '../support/load/units';
import { seedWorld } from '../support/load/world';
import { startTestApp, TestApp, TestAppOptions } from '../e2e/support/test-app';
import { testServer, withAdminClient } from '../e2e/support/test-database';

export interface CrashProfile {
  kills: number;
  clients: number;
  /** How long the load runs between a restart's checks and the next kill, drawn uniformly (ms). */
  runMs: [number, number];
  seed: number;
  traders: number;
  /** Share of requests the clients abandon before the answer and send again (see DriverOptions). */
  abandonShare: number;
}

export interface CrashRound {
  kill: number;
  ranMs: number;
  /** Requests whose answer this kill took away (each was retried with its key and body). */
  lostAnswers: number;
  restartMs: number;
  /** A second kill struck during the recovery from this one. */
  killedAgain: boolean;
  checkMs: number;
}

export interface CrashOutcome {
  problems: string[];
  rounds: CrashRound[];
  summary: ReturnType<Journal['summary']>;
  seed: number;
  /** The database a failed run leaves for inspection. */
  keptDatabase: string | null;
}

/**
 * The mix: orders, cancels, approvals and rejections, negotiated transfers, deposits and
 * withdrawals, auctions with sealed bids and their closes, transfers of rights, regional
 * trades with their sealed interests.
 */
export const crashModules = (): LoadModule[] => [ordersModule(), tradesModule(), transfersModule(), cashModule(), auctionsModule(), rightTransfersModule(), regionalTradesModule()];

/** Auctions close seconds after they open, by the creator's call or the close job. */
const SERVICE: TestAppOptions = { expiryIntervalMs: 500, env: { MIN_NOTICE_SECONDS: String(AUCTION_NOTICE_SECONDS) } };

/**
 * Drives the mixed load from several clients against the built service, kills it with
 * SIGKILL at random moments, restarts it on the same database, lets every request that
 * lost its answer be sent again with the same key and body, and after each restart checks
 * the whole database against what the clients were told (test/support/load/invariants.ts
 * and each module's checks). Stops at the first restart whose checks fail.
 */
export async function runCrashSuite(profile: CrashProfile, log: (line: string) => void = () => undefined): Promise<CrashOutcome> {
  let app: TestApp = await startTestApp(SERVICE);
  const dbUrl = app.dbUrl;
  const target = new Target(app.baseUrl);
  const db = new Client({ connectionString: dbUrl });
  await db.connect();
  const timing = prng(profile.seed ^ 0x5bd1e995);
  const rounds: CrashRound[] = [];
  const journal = new Journal();
  let driver: LoadDriver | undefined;
  let problems: string[] = [];
  let keptDatabase: string | null = null;
  try {
    const world = await seedWorld(target, app.adminKey, {
      // An approval market with a fee, and one that settles small trades at once (auto-approval).
      markets: [{ feeRate: '0.005' }, { feeRate: '0.002', autoApproveMaxVolume: '15' }],
      // One more trader than the load uses: the probe of the rebuilt books.
      traders: profile.traders + 1,
      quota: '100000',
      cash: '1000000',
    });
    const probe = world.traders.pop()!;
    const tag = `crash${profile.seed.toString(36)}`;
    const modules = crashModules();
    for (const m of modules) await m.setup?.(world, target, tag);
    const load = new LoadContext(world, prng(profile.seed), tag);
    driver = new LoadDriver(target, load, journal, modules, { clients: profile.clients, abandonShare: profile.abandonShare });
    const checkContext: CheckContext = { world, journal, target, db, tag };
    driver.start();
    for (let kill = 1; kill <= profile.kills && problems.length === 0; kill++) {
      const ranMs = between(timing, profile.runMs[0], profile.runMs[1]);
      await sleep(ranMs);
      const lostBefore = journal.summary().lostAnswers;
      const restart = async () => {
        target.down();
        await app.kill();
        const restarted = performance.now();
        app = await startTestApp({ ...SERVICE, dbUrl });
        target.up(app.baseUrl);
        return performance.now() - restarted;
      };
      const restartMs = await restart();
      // Every third kill strikes again within 50 ms of the restart, while the lost requests are being retried.
      const again = kill % 3 === 0;
      if (again) {
        await sleep(between(timing, 0, 50));
        await restart();
      }
      await driver.pause();
      const checked = performance.now();
      problems = [...(await probeRebuiltBooks(checkContext, probe, kill)), ...(await checkAll(checkContext, modules))].map((p) => `after kill ${kill}: ${p}`);
      const round = { kill, ranMs, lostAnswers: journal.summary().lostAnswers - lostBefore, restartMs: Math.round(restartMs), killedAgain: again, checkMs: Math.round(performance.now() - checked) };
      rounds.push(round);
      log(`kill ${kill}${again ? ' (and again during the recovery)' : ''}: ran ${ranMs} ms, ${round.lostAnswers} answers lost and retried, restart ${round.restartMs} ms, checks ${round.checkMs} ms, ${problems.length} problems`);
      for (const m of modules) await m.resync?.(load, checkContext);
      driver.resume();
    }
    await driver.stop();
    driver = undefined;
    if (problems.length === 0) problems = (await checkAll(checkContext, modules)).map((p) => `at the end: ${p}`);
  } finally {
    // On a failure, clients may be waiting for a service that will not come back.
    target.up(target.baseUrl);
    await driver?.abort();
    await db.end();
    await app.kill();
    await target.close();
    keptDatabase = await keepOrDrop(new URL(dbUrl).pathname.slice(1), problems.length > 0, profile.seed, log);
  }
  return { problems, rounds, summary: journal.summary(), seed: profile.seed, keptDatabase };
}

/** A failed run's database is renamed out of the run's prefix, so the teardown leaves it for inspection. */
async function keepOrDrop(name: string, keep: boolean, seed: number, log: (line: string) => void): Promise<string | null> {
  return withAdminClient(testServer().adminUrl, async (c) => {
    if (!keep) {
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      return null;
    }
    const kept = `wrx_crash_failed_${seed}_${Date.now().toString(36)}`;
    await c.query(`ALTER DATABASE "${name}" RENAME TO "${kept}"`);
    log(`database ${kept} is kept for inspection (drop it when done)`);
    return kept;
  });
}

export const seedFromEnv = () => (process.env.CRASH_SEED ? Number(process.env.CRASH_SEED) : Date.now() % 2 ** 31);
