import { Client } from 'pg';
import { ChainVerifier, GENESIS_HASH, sealEntry } from '../../src/core/audit/hash-chain';
import { AuditRepository } from '../../src/modules/audit/audit.repository';
import { auditEntry } from '../../src/modules/audit/audit-views';
import { Tx } from '../../src/database/sql';
import { holdOpen, openRepoDatabase, RepoDatabase, sqlState, untilOneWaits } from './support/repo-database';
import { appendAndMoveHead, lockHead } from './support/fixtures';

const audit = new AuditRepository();

/** What a sealing round does: lock the head, seal the entries after it, insert them, move the head. */
async function append(tx: Tx, actions: string[], requestId: string | null = null): Promise<void> {
  const head = await lockHead(tx, audit);
  let seq = Number(head.seq);
  let prevHash = head.hash;
  const at = new Date().toISOString();
  const entries = actions.map((action) => {
    const entry = sealEntry({ seq: ++seq, at, actorId: null, action, entityType: 'region', entityId: '150421', before: null, after: { action }, requestId, prevHash });
    prevHash = entry.hash;
    return entry;
  });
  await appendAndMoveHead(tx, audit, entries);
}

async function verify(db: RepoDatabase) {
  const verifier = new ChainVerifier();
  for (const row of await audit.after(db.pool, 0, 10_000)) verifier.push(auditEntry(row));
  const head = await audit.head(db.pool);
  return verifier.finish({ seq: Number(head.seq), hash: head.hash });
}

describe('audit repository (audit_log, audit_head)', () => {
  let db: RepoDatabase;

  beforeAll(async () => {
    db = await openRepoDatabase();
  });
  afterAll(() => db.close());

  it('starts from the genesis head', async () => {
    expect(await audit.head(db.pool)).toEqual({ seq: '0', hash: GENESIS_HASH });
  });

  it('appends a chain that verifies, and moves the head to its newest entry', async () => {
    await db.tx((tx) => append(tx, ['region.created', 'region.updated']));
    await db.tx((tx) => append(tx, ['cap.set'], 'req-1'));
    expect(await verify(db)).toMatchObject({ valid: true, entries: 3, firstInvalidSeq: null });
    const head = await audit.head(db.pool);
    const [newest] = (await audit.after(db.pool, 2, 10)).map(auditEntry);
    expect(head).toEqual({ seq: '3', hash: newest.hash });
    expect(await audit.countByRequest(db.pool, 'req-1')).toBe(1);
  });

  it('reads back exactly what it sealed: an entry re-read hashes the same', async () => {
    const rows = await audit.after(db.pool, 0, 10);
    for (const row of rows) expect(sealEntry({ ...auditEntry(row) }).hash).toBe(row.hash);
  });

  it('stores every value as sealed, whatever its characters: a JSON null, quotes, backslashes, braces and Chinese text', async () => {
    const awkward: { before: unknown; after: unknown; actorId: string | null; requestId: string | null }[] = [
      { before: null, after: { note: 'he said "NULL", then {a,b}\\n' }, actorId: null, requestId: null },
      { before: null, after: ['NULL', null, '', ' ', '\\', '"', '{}', 'a,b'], actorId: '00000000-0000-4000-8000-000000000001', requestId: 'req "x"' },
      { before: { 名称: '河套灌区', volume: '12.345' }, after: { lines: 'one\ntwo\tthree', nested: { deep: [1, '2', { three: true }] } }, actorId: null, requestId: 'NULL' },
    ];
    const sealed = await db.tx(async (tx) => {
      const head = await lockHead(tx, audit);
      let seq = Number(head.seq);
      let prevHash = head.hash;
      const at = new Date().toISOString();
      const entries = awkward.map((a) => {
        const entry = sealEntry({ seq: ++seq, at, action: 'region.updated', entityType: 'region', entityId: '150421', ...a, prevHash });
        prevHash = entry.hash;
        return entry;
      });
      await appendAndMoveHead(tx, audit, entries);
      return entries;
    });
    const stored = (await audit.after(db.pool, sealed[0].seq - 1, 10)).map(auditEntry);
    expect(stored.map((e) => [e.before, e.after, e.actorId, e.requestId])).toEqual(sealed.map((e) => [e.before, e.after, e.actorId, e.requestId]));
    expect(stored.map((e) => sealEntry(e).hash)).toEqual(sealed.map((e) => e.hash));
    // A JSON null is stored as JSON, not as SQL NULL.
    const kinds: { kind: string }[] = await db.pool.query(`SELECT jsonb_typeof(before) AS kind FROM audit_log WHERE seq >= $1 ORDER BY seq`, [sealed[0].seq]);
    expect(kinds.map((r) => r.kind)).toEqual(['null', 'null', 'object']);
    expect(await verify(db)).toMatchObject({ valid: true, firstInvalidSeq: null });
  });

  it('seals rounds of any length with one prepared statement per connection', async () => {
    const runner = db.dataSource.createQueryRunner();
    await runner.connect();
    try {
      for (const length of [1, 2, 5]) {
        await runner.startTransaction();
        await append(runner.manager, Array.from({ length }, (_, i) => `region.updated.${i}`));
        await runner.commitTransaction();
      }
      const prepared: { n: number }[] = await runner.query(`SELECT count(*)::int AS n FROM pg_prepared_statements WHERE statement LIKE '%INSERT INTO audit_log%'`);
      expect(prepared[0].n).toBe(1);
    } finally {
      await runner.release();
    }
    expect(await verify(db)).toMatchObject({ valid: true, firstInvalidSeq: null });
  });

  it('is append-only: the trigger refuses update, delete and truncate', async () => {
    expect(await sqlState(db.pool.query(`UPDATE audit_log SET action = 'x' WHERE seq = 1`))).toBe('42501');
    expect(await sqlState(db.pool.query('DELETE FROM audit_log WHERE seq = 1'))).toBe('42501');
    expect(await sqlState(db.pool.query('TRUNCATE audit_log'))).toBe('42501');
  });

  it('serialises appenders on the head row: the second waits and chains after the first, no fork', async () => {
    const first = holdOpen(db, (tx) => append(tx, ['first']));
    await first.ready;
    const second = db.tx((tx) => append(tx, ['second']));
    await untilOneWaits(db);
    await first.release();
    await second;
    const entries = (await audit.after(db.pool, 0, 100)).map(auditEntry);
    expect(entries.slice(-2).map((e) => e.action)).toEqual(['first', 'second']);
    expect(await verify(db)).toMatchObject({ valid: true });
  });

  it('drops the entries of a transaction that rolls back, head included', async () => {
    const before = await audit.head(db.pool);
    const run = holdOpen(db, (tx) => append(tx, ['never']));
    await run.ready;
    await run.release(false);
    expect(await audit.head(db.pool)).toEqual(before);
    expect(await verify(db)).toMatchObject({ valid: true });
  });

  it('filters the log by entity, actor and time, oldest first', async () => {
    const all = await audit.list(db.pool, { limit: 100 });
    expect(all.map((r) => Number(r.seq))).toEqual([...all.map((r) => Number(r.seq))].sort((a, b) => a - b));
    expect(await audit.list(db.pool, { entityType: 'cap', limit: 100 })).toEqual([]);
    expect((await audit.list(db.pool, { entityType: 'region', entityId: '150421', afterSeq: 3, limit: 100 })).every((r) => Number(r.seq) > 3)).toBe(true);
    expect(await audit.list(db.pool, { from: new Date(Date.now() + 60_000), limit: 100 })).toEqual([]);
  });

  it('stages transactions unchained, hands them to the sealer once in staging order, and seals more than one insert at a time with the head', async () => {
    await db.tx((tx) => audit.stage(tx, '2026-01-01T00:00:00.000Z', [{ action: 'first' }]));
    await db.tx((tx) => audit.stage(tx, '2026-01-01T00:00:01.000Z', [{ action: 'second' }, { action: 'third' }]));
    expect(await audit.hasPending(db.pool)).toBe(true);
    const before = await audit.head(db.pool);
    const { head: locked, staged } = await db.tx((tx) => audit.lockHeadAndTake(tx, 10));
    expect(locked).toEqual(before);
    expect(staged.map((r) => [r.at, r.entries])).toEqual([
      ['2026-01-01T00:00:00.000Z', [{ action: 'first' }]],
      ['2026-01-01T00:00:01.000Z', [{ action: 'second' }, { action: 'third' }]],
    ]);
    expect(await audit.hasPending(db.pool)).toBe(false);
    expect(await db.tx((tx) => audit.lockHeadAndTake(tx, 10))).toEqual({ head: before, staged: [] });

    // 1,201 entries: two full inserts of 500, then the last 201 with the head in one statement.
    await db.tx(async (tx) => {
      const head = await lockHead(tx, audit);
      let seq = Number(head.seq);
      let prevHash = head.hash;
      const at = new Date().toISOString();
      const entries = Array.from({ length: 1201 }, (_, i) => {
        const entry = sealEntry({ seq: ++seq, at, actorId: null, action: `bulk.${i}`, entityType: 'region', entityId: '150421', before: null, after: null, requestId: null, prevHash });
        prevHash = entry.hash;
        return entry;
      });
      await appendAndMoveHead(tx, audit, entries);
    });
    const report = await verify(db);
    expect(report).toMatchObject({ valid: true, firstInvalidSeq: null });
    const head = await audit.head(db.pool);
    expect(Number(head.seq)).toBe(report.entries);
    const [newest] = (await audit.after(db.pool, Number(head.seq) - 1, 1)).map(auditEntry);
    expect(newest).toMatchObject({ action: 'bulk.1200', hash: head.hash });
  });

  it('takes staged rows only under the head: a sealer that waited for it skips what the holder took and takes the rest once', async () => {
    const stage = (action: string) => db.tx((tx) => audit.stage(tx, new Date().toISOString(), [{ action }]));
    await stage('taken.first');
    await stage('taken.second');
    const holder = holdOpen(db, (tx) => audit.lockHeadAndTake(tx, 10));
    expect((await holder.ready).staged.map((r) => r.entries)).toEqual([[{ action: 'taken.first' }], [{ action: 'taken.second' }]]);
    await stage('taken.third');
    const waiter = db.tx((tx) => audit.lockHeadAndTake(tx, 10));
    await untilOneWaits(db);
    await holder.release();
    expect((await waiter).staged.map((r) => r.entries)).toEqual([[{ action: 'taken.third' }]]);
    expect(await audit.hasPending(db.pool)).toBe(false);
  });

  it('runs each seal step inside the statement that moves the head, a read-only one (a notification) too, delivered at commit', async () => {
    const listener = new Client({ connectionString: (db.dataSource.options as { url: string }).url });
    await listener.connect();
    const heard: string[] = [];
    listener.on('notification', (n) => heard.push(n.payload ?? ''));
    await listener.query('LISTEN wrx_test_sealed');
    try {
      const seq = await db.tx(async (tx) => {
        const head = await lockHead(tx, audit);
        const entry = sealEntry({ seq: Number(head.seq) + 1, at: new Date().toISOString(), actorId: null, action: 'step.probe', entityType: 'region', entityId: '150421', before: null, after: null, requestId: null, prevHash: head.hash });
        await appendAndMoveHead(tx, audit, [entry], [
          (entries, param) => `SELECT pg_notify('wrx_test_sealed', ${param(String(entries[entries.length - 1].seq))})`,
          (entries, param) => `SELECT set_config('wrx.sealed_entries', ${param(String(entries.length))}, true)`,
        ]);
        expect((await tx.query(`SELECT current_setting('wrx.sealed_entries', true) AS v`))[0].v).toBe('1');
        expect(Number((await audit.head(tx)).seq)).toBe(entry.seq);
        return entry.seq;
      });
      for (let waited = 0; heard.length === 0 && waited < 3000; waited += 20) await new Promise((ok) => setTimeout(ok, 20));
      expect(heard).toEqual([String(seq)]);
    } finally {
      await listener.end();
    }
  });
});
