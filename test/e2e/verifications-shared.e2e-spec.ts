import { Client } from 'pg';
import { createParticipant, seedRegions } from './support/fixtures';
import { counter } from './support/metrics';
import { withDb } from './support/sql';
import { client, startTestApp, TestApp } from './support/test-app';

const CALLERS = 8;

/**
 * The audit chain's and the ledger's verifications read every row the exchange ever wrote.
 * Callers at once share runs (SharedRun): however many ask while one run is under way, at
 * most one more starts after it, and each caller is answered by a run that began after it
 * asked. Here the first run is held at its first read of the table by another connection's
 * lock, so that every caller asks while it is under way.
 */
describe.each([
  { check: 'audit_verify', path: '/v1/audit/verify', table: 'audit_log' },
  { check: 'ledger_verify', path: '/v1/ledger/verify', table: 'ledger_postings' },
])('$path: callers at once share runs', ({ check, path, table }) => {
  let t: TestApp;

  beforeAll(async () => {
    // The event feed's index reads the log behind the sealer: once at start only, so that its reads are not among those counted.
    t = await startTestApp({ env: { EVENT_INDEX_INTERVAL_MS: '3600000' } });
    await seedRegions(t);
    await createParticipant(t, 'ENTERPRISE', '150421');
  });
  afterAll(() => t.close());

  /** Reads of `table` waiting for the lock `holder` has on it: one per run under way. */
  async function waitingReads(holder: Client): Promise<number> {
    const { rows } = await holder.query(
      `SELECT count(*)::int AS n FROM pg_locks l JOIN pg_class c ON c.oid = l.relation WHERE c.relname = $1 AND NOT l.granted`, [table]);
    return rows[0].n;
  }

  async function waitForBlockedRead(holder: Client): Promise<void> {
    for (let i = 0; i < 200; i++) {
      if ((await waitingReads(holder)) > 0) return;
      await new Promise((ok) => setTimeout(ok, 25));
    }
    throw new Error(`no read of ${table} waited for the lock`);
  }

  it(`${CALLERS} callers during a run cost two runs, and every answer is the same valid one`, async () => {
    const runsBefore = await counter(t, `shared_runs_started_total{check="${check}"}`);
    const answers = await withDb(t, async (holder) => {
      await holder.query('BEGIN');
      await holder.query(`LOCK TABLE ${table} IN ACCESS EXCLUSIVE MODE`);
      const firstSent = client(t, t.adminKey).get(path).then((res) => res);
      await waitForBlockedRead(holder);
      const rest = Array.from({ length: CALLERS - 1 }, () => client(t, t.adminKey).get(path).then((res) => res));
      // Time for every later caller to reach the service; a queued caller sends no statement to watch for.
      await new Promise((ok) => setTimeout(ok, 3000));
      // Only the first run reads; the others wait in the service, holding no connection.
      expect(await waitingReads(holder)).toBe(1);
      await holder.query('ROLLBACK');
      return Promise.all([firstSent, ...rest]);
    });
    for (const res of answers) expect(res.status).toBe(200);
    expect(answers.every((res) => res.body.valid === true)).toBe(true);
    expect(new Set(answers.map((res) => JSON.stringify(res.body))).size).toBe(1);
    expect((await counter(t, `shared_runs_started_total{check="${check}"}`)) - runsBefore).toBe(2);
  });
});
