import { runCrashSuite, seedFromEnv } from './crash-run';

const KILLS = Number(process.env.CRASH_KILLS ?? 10);
const CLIENTS = Number(process.env.CRASH_CLIENTS ?? 6);

/**
 * The full crash profile: CRASH_KILLS (default 10) kill -9 of the service at random
 * moments under a mixed load from CRASH_CLIENTS (default 6) clients, each followed by a
 * restart, the retry of every request that lost its answer, and every check. CRASH_SEED
 * repeats a run's choices (the interleaving still varies).
 */
describe('crash recovery under load (full profile)', () => {
  it(`survives ${KILLS} kill -9 under mixed load: nothing acknowledged lost, nothing retried doubled, books and chain intact`, async () => {
    const outcome = await runCrashSuite(
      { kills: KILLS, clients: CLIENTS, runMs: [500, 2500], seed: seedFromEnv(), traders: 8, abandonShare: 0.05 },
      (line) => process.stdout.write(`${line}\n`),
    );
    process.stdout.write(`seed ${outcome.seed}: ${JSON.stringify(outcome.summary)}\n`);
    expect({ seed: outcome.seed, problems: outcome.problems, keptDatabase: outcome.keptDatabase }).toEqual({ seed: outcome.seed, problems: [], keptDatabase: null });
    expect(outcome.rounds).toHaveLength(KILLS);
    expect(outcome.summary.retriedAfterLoss).toBeGreaterThanOrEqual(KILLS);
  });
});
