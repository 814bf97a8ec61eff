import { runCrashSuite, seedFromEnv } from '../crash/crash-run';

/**
 * The short profile of the crash suite (`npm run test:crash` runs the full one): three
 * kill -9 under a mixed load, each followed by a restart, retries of every lost request
 * and the whole set of checks.
 */
describe('crash recovery under load (short profile)', () => {
  it('survives 3 kill -9 under mixed load: nothing acknowledged lost, nothing retried doubled, books and chain intact', async () => {
    const outcome = await runCrashSuite({ kills: 3, clients: 4, runMs: [300, 900], seed: seedFromEnv(), traders: 6, abandonShare: 0.05 });
    expect({ seed: outcome.seed, problems: outcome.problems, keptDatabase: outcome.keptDatabase }).toEqual({ seed: outcome.seed, problems: [], keptDatabase: null });
    expect(outcome.rounds).toHaveLength(3);
    expect(outcome.summary.retriedAfterLoss).toBeGreaterThan(0);
  }, 120_000);
});
