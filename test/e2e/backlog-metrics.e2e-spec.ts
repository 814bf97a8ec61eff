import { eventIndexCaughtUp } from './support/event-index';
import { createParticipant, seedRegions } from './support/fixtures';
import { counter } from './support/metrics';
import { sql } from './support/sql';
import { client, startTestApp, TestApp } from './support/test-app';

/** Reads `series` on /metrics until `ok` holds of it; fails with the last value after 15 s. */
async function until(t: TestApp, series: string, ok: (value: number) => boolean): Promise<number> {
  let value = await counter(t, series);
  for (const deadline = Date.now() + 15_000; !ok(value); value = await counter(t, series)) {
    if (Date.now() > deadline) throw new Error(`${series} stayed at ${value}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return value;
}

/**
 * What an operator alerts on when the work behind the writes falls behind
 * (docs/operations.md, "Health and metrics"): the audit entries committed but not chained,
 * and the sealed entries the event feed's index has not filed. Each is made to fall behind
 * here by a constraint that refuses its writes, then let go.
 */
describe('backlog metrics of the audit sealer and the event feed index', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    await seedRegions(t, [{ code: '150000', name: '内蒙古自治区', parentCode: undefined }]);
  });
  afterAll(() => t?.close());

  it('event_index_behind_entries is 0 while the index keeps up, stays above 0 while its runs fail (event_index_failures_total), and returns to 0', async () => {
    await createParticipant(t, 'WATER_USER', '150000');
    await eventIndexCaughtUp(t);
    await until(t, 'event_index_behind_entries', (n) => n === 0);
    const failuresBefore = await counter(t, 'event_index_failures_total');

    await sql(t, 'ALTER TABLE event_audience ADD CONSTRAINT backlog_spec_refuses CHECK (seq < 0) NOT VALID');
    try {
      await createParticipant(t, 'WATER_USER', '150000');
      await until(t, 'event_index_failures_total', (n) => n >= failuresBefore + 2);
      expect(await counter(t, 'event_index_behind_entries')).toBeGreaterThan(0);
    } finally {
      await sql(t, 'ALTER TABLE event_audience DROP CONSTRAINT backlog_spec_refuses');
    }

    await until(t, 'event_index_behind_entries', (n) => n === 0);
    await eventIndexCaughtUp(t);
  });

  it('audit_unsealed_transactions counts the writes a failing sealer left staged (audit_seal_failures_total), and returns to 0 once a round chains them', async () => {
    await until(t, 'audit_unsealed_transactions', (n) => n === 0);
    const failuresBefore = await counter(t, 'audit_seal_failures_total');

    await sql(t, 'ALTER TABLE audit_log ADD CONSTRAINT backlog_spec_refuses CHECK (seq < 0) NOT VALID');
    try {
      // Committed, so answered, though its entries could not be chained.
      await createParticipant(t, 'WATER_USER', '150000');
      await createParticipant(t, 'ENTERPRISE', '150000');
      expect(await until(t, 'audit_unsealed_transactions', (n) => n >= 2)).toBe(2);
      expect(await counter(t, 'audit_seal_failures_total')).toBeGreaterThan(failuresBefore);
    } finally {
      await sql(t, 'ALTER TABLE audit_log DROP CONSTRAINT backlog_spec_refuses');
    }

    await until(t, 'audit_unsealed_transactions', (n) => n === 0);
    const verified = await client(t, t.adminKey).get('/v1/audit/verify');
    expect(verified.body).toMatchObject({ valid: true });
  });
});
