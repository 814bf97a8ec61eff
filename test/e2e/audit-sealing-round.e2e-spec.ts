// Db and AuditService are used here without Nest, whose ESM build jest cannot load: its decorators, inert, are all they need of it.
jest.mock('@nestjs/common', () => ({ Injectable: () => () => undefined, Optional: () => () => undefined, Logger: class { error(): void {} } }));

import { register } from 'prom-client';
import type { AppConfig } from '../../src/config/app-config';
import { Db, Tx } from '../../src/database/db.service';
import { AuditRepository } from '../../src/modules/audit/audit.repository';
import { AuditService } from '../../src/modules/audit/audit.service';
import { recordingDb, roundTrips } from './support/recording-db';
import { createTestDatabase } from './support/test-database';

type TestDatabase = Awaited<ReturnType<typeof createTestDatabase>>;

/** The sealing round that chains what a write staged (decision 0022), in pipeline mode (decision 0031). */
describe('the audit sealing round', () => {
  let database: TestDatabase;
  let recording: Awaited<ReturnType<typeof recordingDb>>;
  let audit: AuditService;

  beforeAll(async () => {
    database = await createTestDatabase();
    recording = await recordingDb(database.url, true);
    audit = new AuditService(recording.db, new AuditRepository());
  });
  afterAll(async () => {
    await recording.dataSource.destroy();
    await database.drop();
  });

  it('costs two round trips: the head taken with BEGIN, then the entries appended with COMMIT', async () => {
    const { db, sent } = recording;
    sent.length = 0;
    const before = await roundTrips();
    // The write starts its round after its commit (Db.afterCommit), and is answered without waiting for it (decision 0043).
    await db.rootTransaction((tx) => audit.append(tx, null, 'region.probed', 'region', '150421', null, { probe: 1 }));
    await audit.settled();
    expect(sent.slice(sent.findIndex((s) => s.sql === 'WITH head') - 1)).toEqual([
      { sql: 'BEGIN', unanswered: 0 },
      { sql: 'WITH head', unanswered: 1 },
      { sql: 'WITH appended', unanswered: 0 },
      { sql: 'COMMIT', unanswered: 1 },
    ]);
    // The write's BEGIN, staging and COMMIT in one (its work waits for nothing, decision 0046), and the round's two.
    expect((await roundTrips()) - before).toBe(3);
    const report = await audit.verify();
    expect(report).toMatchObject({ valid: true, entries: 1 });
    const { items } = await audit.list({ limit: 10, entityType: 'region' } as Parameters<AuditService['list']>[0]);
    expect(items.map((e) => [e.seq, e.action, e.after])).toEqual([[1, 'region.probed', { probe: 1 }]]);
  });

  const sealingRounds = async () =>
    (await register.getSingleMetric('shared_runs_started_total')!.get()).values.find((v) => v.labels.check === 'audit_seal')?.value ?? 0;

  /**
   * A write that holds the one write turn of its Db (so a round asked for meanwhile queues
   * behind it) until `commit` is called; `done` is its answer, at its commit.
   */
  async function writeHoldingTheTurn(repo: AuditRepository, entityId: string) {
    const db = new Db(recording.dataSource, { dbWriteConcurrency: 1 } as AppConfig);
    const sealer = new AuditService(db, repo);
    let commit!: () => void;
    let running!: () => void;
    const started = new Promise<void>((ok) => (running = ok));
    const done = db.rootTransaction(async (tx: Tx) => {
      await sealer.append(tx, null, 'region.renamed', 'region', entityId, null, { name: entityId });
      running();
      await new Promise<void>((ok) => (commit = ok));
    });
    await started;
    return { sealer, commit, done };
  }

  it('a write that commits while a round waits for its turn shares that round, which takes its entries', async () => {
    const { sealer, commit, done } = await writeHoldingTheTurn(new AuditRepository(), '150422');
    const before = await sealingRounds();
    // A round asked for now waits for the write's turn to end, and takes its rows after the commit.
    const round = sealer.seal();
    commit();
    await done;
    await round;
    expect((await sealingRounds()) - before).toBe(1);
    const { items } = await sealer.list({ limit: 10, entityType: 'region', entityId: '150422' } as Parameters<AuditService['list']>[0]);
    expect(items.map((e) => e.after)).toEqual([{ name: '150422' }]);
    expect(await sealer.verify()).toMatchObject({ valid: true });
  });

  it('a write whose shared round fails asks for the next one, which chains its entries', async () => {
    class FailingOnce extends AuditRepository {
      failed = false;
      override async lockHeadAndTake(tx: Tx, limit: number) {
        if (!this.failed) {
          this.failed = true;
          throw new Error('the head could not be taken');
        }
        return super.lockHeadAndTake(tx, limit);
      }
    }
    const repo = new FailingOnce();
    const { sealer, commit, done } = await writeHoldingTheTurn(repo, '150423');
    const before = await sealingRounds();
    const round = sealer.seal();
    commit();
    await done;
    await round;
    await sealer.settled();
    expect(repo.failed).toBe(true);
    // Read before anything else seals: the second round, which the write asked for, chained them.
    expect((await recording.dataSource.query('SELECT count(*)::int AS n FROM audit_pending'))[0].n).toBe(0);
    expect((await sealingRounds()) - before).toBe(2);
    const { items } = await sealer.list({ limit: 10, entityType: 'region', entityId: '150423' } as Parameters<AuditService['list']>[0]);
    expect(items.map((e) => e.after)).toEqual([{ name: '150423' }]);
  });
});
