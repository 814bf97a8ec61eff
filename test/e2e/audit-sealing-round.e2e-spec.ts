// Db and AuditService are used here without Nest, whose ESM build jest cannot load: its decorators, inert, are all they need of it.
jest.mock('@nestjs/common', () => ({ Injectable: () => () => undefined, Optional: () => () => undefined, Logger: class {} }));

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
    // The write's answer waits for its seal (Db.afterCommit), so the round is over when this resolves.
    await db.rootTransaction((tx) => audit.append(tx, null, 'region.probed', 'region', '150421', null, { probe: 1 }));
    expect(sent.slice(sent.findIndex((s) => s.sql === 'WITH head') - 1)).toEqual([
      { sql: 'BEGIN', unanswered: 0 },
      { sql: 'WITH head', unanswered: 1 },
      { sql: 'WITH appended', unanswered: 0 },
      { sql: 'COMMIT', unanswered: 1 },
    ]);
    // The write's BEGIN (its work sends nothing), its staging with its COMMIT, and the round's two.
    expect((await roundTrips()) - before).toBe(4);
    const report = await audit.verify();
    expect(report).toMatchObject({ valid: true, entries: 1 });
    const { items } = await audit.list({ limit: 10, entityType: 'region' } as Parameters<AuditService['list']>[0]);
    expect(items.map((e) => [e.seq, e.action, e.after])).toEqual([[1, 'region.probed', { probe: 1 }]]);
  });
});
