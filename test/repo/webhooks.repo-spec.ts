import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { GENESIS_HASH, sealEntry } from '../../src/core/audit/hash-chain';
import { Tx } from '../../src/database/sql';
import { AuditRepository } from '../../src/modules/audit/audit.repository';
import { AUDIT_CHANNEL, WEBHOOKS_QUEUED } from '../../src/modules/events/audit-channel';
import { WebhooksRepository } from '../../src/modules/webhooks/webhooks.repository';
import { appendAndMoveHead, lockHead, participant, regionTree } from './support/fixtures';
import { blocksOn, holdOpen, openRepoDatabase, RepoDatabase, sqlState } from './support/repo-database';

const webhooks = new WebhooksRepository();
const audit = new AuditRepository();

describe('webhooks repository (webhooks, webhook_outbox, webhook_deliveries)', () => {
  let db: RepoDatabase;
  let owner: string;

  beforeAll(async () => {
    db = await openRepoDatabase();
    await regionTree(db);
    owner = (await participant(db)).id;
  });
  afterAll(() => db.close());

  const register = (types: string[] | null = null) =>
    db.tx((tx) => webhooks.insert(tx, { id: randomUUID(), owner_id: owner, url: 'http://127.0.0.1:9/hook', types, secret: `whsec_${'A'.repeat(43)}=` }));

  /** What the audit seal does: seal entries after the head, then insert them, move the head and enqueue them for the outbox in one statement. */
  async function flush(tx: Tx, actions: string[]): Promise<number[]> {
    const head = await lockHead(tx, audit);
    let seq = Number(head.seq);
    let prevHash = head.hash ?? GENESIS_HASH;
    const entries = actions.map((action) => {
      const entry = sealEntry({ seq: ++seq, at: new Date().toISOString(), actorId: null, action, entityType: 'market', entityId: 'm', before: null, after: {}, requestId: null, prevHash });
      prevHash = entry.hash;
      return entry;
    });
    await appendAndMoveHead(tx, audit, entries, [webhooks.enqueueStep]);
    return entries.map((e) => e.seq);
  }

  const outbox = async (webhookId: string) =>
    (await db.pool.query('SELECT event_seq FROM webhook_outbox WHERE webhook_id = $1 ORDER BY event_seq', [webhookId])).map((r: { event_seq: string }) => Number(r.event_seq));

  it('enqueues each entry for every ACTIVE webhook whose types take it, in the transaction of the entries', async () => {
    const all = await register();
    const halts = await register(['market.halted']);
    const deleted = await register();
    await db.tx((tx) => webhooks.end(tx, deleted.id, 'DELETED'));
    const seqs = await db.tx((tx) => flush(tx, ['market.opened', 'market.halted']));
    expect(await outbox(all.id)).toEqual(seqs);
    expect(await outbox(halts.id)).toEqual([seqs[1]]);
    expect(await outbox(deleted.id)).toEqual([]);
    // Rolled back with its entries: nothing to deliver.
    await sqlState(db.tx(async (tx) => {
      await flush(tx, ['market.resumed']);
      throw new Error('rollback');
    }));
    expect(await outbox(all.id)).toEqual(seqs);
    await db.tx((tx) => webhooks.end(tx, all.id, 'DELETED'));
    await db.tx((tx) => webhooks.end(tx, halts.id, 'DELETED'));
  });

  it('notifies the dispatchers once at commit when a seal queued deliveries, and not at all when it queued none', async () => {
    const listener = new Client({ connectionString: (db.dataSource.options as { url: string }).url });
    await listener.connect();
    const heard: string[] = [];
    listener.on('notification', (n) => heard.push(n.payload ?? ''));
    await listener.query(`LISTEN ${AUDIT_CHANNEL}`);
    /** What the listener hears of one sealed transaction: waits for the sentinel notified after it. */
    const heardOf = async (work: () => Promise<unknown>): Promise<string[]> => {
      heard.length = 0;
      await work();
      await db.pool.query(`SELECT pg_notify('${AUDIT_CHANNEL}', 'sentinel')`);
      for (let waited = 0; !heard.includes('sentinel') && waited < 3000; waited += 20) await new Promise((ok) => setTimeout(ok, 20));
      return heard.filter((p) => p !== 'sentinel');
    };
    try {
      const halts = await register(['market.halted']);
      expect(await heardOf(() => db.tx((tx) => flush(tx, ['market.opened'])))).toEqual([]);
      expect(await heardOf(() => db.tx((tx) => flush(tx, ['market.halted', 'market.halted', 'market.opened'])))).toEqual([WEBHOOKS_QUEUED]);
      expect(await heardOf(() => sqlState(db.tx(async (tx) => {
        await flush(tx, ['market.halted']);
        throw new Error('rollback');
      })))).toEqual([]);
      await db.tx((tx) => webhooks.end(tx, halts.id, 'DELETED'));
    } finally {
      await listener.end();
    }
  });

  it('reads a queue\'s head oldest first, with the audit entries', async () => {
    const w = await register();
    const seqs = await db.tx((tx) => flush(tx, ['market.opened', 'market.halted', 'market.resumed']));
    expect((await webhooks.head(db.pool, w.id, 2)).map((r) => [Number(r.seq), r.action])).toEqual([[seqs[0], 'market.opened'], [seqs[1], 'market.halted']]);
    await db.tx((tx) => webhooks.end(tx, w.id, 'DELETED'));
  });

  it('leases each due webhook to one claimer: SKIP LOCKED while a claim is open, the lease after it commits', async () => {
    const due = [await register(), await register(), await register()];
    await db.tx((tx) => flush(tx, ['market.opened']));
    const first = holdOpen(db, (tx) => webhooks.claimDue(tx, 'a0000000-0000-4000-8000-000000000001', 60_000, 2));
    const firstBatch = (await first.ready).map((w) => w.id);
    // While the first claim's transaction is open, its rows are skipped, not waited for.
    const secondBatch = (await db.tx((tx) => webhooks.claimDue(tx, 'a0000000-0000-4000-8000-000000000002', 60_000, 10))).map((w) => w.id);
    await first.release();
    expect(firstBatch).toHaveLength(2);
    expect(secondBatch.filter((id) => firstBatch.includes(id))).toEqual([]);
    expect([...firstBatch, ...secondBatch].filter((id) => due.some((w) => w.id === id)).sort()).toEqual(due.map((w) => w.id).sort());
    // Committed leases keep every other claimer away until they run out.
    expect(await db.tx((tx) => webhooks.claimDue(tx, 'a0000000-0000-4000-8000-000000000003', 60_000, 10))).toEqual([]);
    for (const w of due) await db.tx((tx) => webhooks.end(tx, w.id, 'DELETED'));
  });

  it('hands a webhook whose lease ran out to the next claimer, and its old holder can no longer move the queue', async () => {
    const w = await register();
    const [seq] = await db.tx((tx) => flush(tx, ['market.opened']));
    const stale = 'b0000000-0000-4000-8000-000000000001';
    const fresh = 'b0000000-0000-4000-8000-000000000002';
    expect((await db.tx((tx) => webhooks.claimDue(tx, stale, 1, 10))).map((r) => r.id)).toContain(w.id);
    await new Promise((ok) => setTimeout(ok, 20));
    expect((await db.tx((tx) => webhooks.claimDue(tx, fresh, 60_000, 10))).map((r) => r.id)).toContain(w.id);
    expect(await db.tx((tx) => webhooks.dequeue(tx, w.id, stale, [seq]))).toBe(false);
    expect(await outbox(w.id)).toEqual([seq]);
    expect(await db.tx((tx) => webhooks.dequeue(tx, w.id, fresh, [seq]))).toBe(true);
    expect(await outbox(w.id)).toEqual([]);
    await db.tx((tx) => webhooks.end(tx, w.id, 'DELETED'));
  });

  it('holds a failing queue back until its next attempt is due', async () => {
    const w = await register();
    await db.tx((tx) => flush(tx, ['market.opened']));
    const token = 'c0000000-0000-4000-8000-000000000001';
    await db.tx((tx) => webhooks.claimDue(tx, token, 60_000, 10));
    await db.tx((tx) => webhooks.recordFailure(tx, w.id, token, 1, new Date(), new Date(Date.now() + 60_000)));
    const claimed = await db.tx((tx) => webhooks.claimDue(tx, 'c0000000-0000-4000-8000-000000000002', 60_000, 10));
    expect(claimed.map((r) => r.id)).not.toContain(w.id);
    expect(await webhooks.find(db.pool, w.id)).toMatchObject({ attempts: 1, leased_until: null, lease_token: null });
    await db.tx((tx) => webhooks.end(tx, w.id, 'DELETED'));
  });

  it('locks a webhook for deletion without blocking the outbox insert of a concurrent audit flush (NO KEY UPDATE vs KEY SHARE)', async () => {
    const w = await register();
    const deleting = holdOpen(db, (tx) => webhooks.lockForUpdate(tx, w.id));
    await deleting.ready;
    expect(await blocksOn(db, (tx) => flush(tx, ['market.opened']))).toBe(false);
    await deleting.release();
    await db.tx((tx) => webhooks.end(tx, w.id, 'DELETED'));
  });

  it('empties the outbox of a webhook that ends, and logs attempts with a status or an error', async () => {
    const w = await register();
    const [seq] = await db.tx((tx) => flush(tx, ['market.opened']));
    await db.tx((tx) => webhooks.logAttempt(tx, w.id, 1, { eventSeq: seq, status: 503, error: 'HTTP 503' }));
    await db.tx((tx) => webhooks.logAttempt(tx, w.id, 2, { eventSeq: seq, status: 200, error: null }));
    expect(await sqlState(db.tx((tx) => webhooks.logAttempt(tx, w.id, 3, { eventSeq: seq, status: null, error: null })))).toBe('23514');
    expect((await webhooks.deliveries(db.pool, w.id, null, 10)).map((d) => [d.attempt, d.status, d.error])).toEqual([[2, 200, null], [1, 503, 'HTTP 503']]);
    const ended = await db.tx((tx) => webhooks.end(tx, w.id, 'DISABLED'));
    expect(ended).toMatchObject({ status: 'DISABLED', lease_token: null });
    expect(ended.status_at).not.toBeNull();
    expect(await outbox(w.id)).toEqual([]);
  });

  it('purges logged attempts older than the retention, in batches, and keeps the recent ones', async () => {
    const w = await register();
    const [seq] = await db.tx((tx) => flush(tx, ['market.opened']));
    for (let attempt = 1; attempt <= 7; attempt++) await db.tx((tx) => webhooks.logAttempt(tx, w.id, attempt, { eventSeq: seq, status: 503, error: 'HTTP 503' }));
    // Attempts 1–5 are 31 days old, 6 is 29 days old, 7 is from now.
    await db.pool.query(`UPDATE webhook_deliveries SET at = now() - interval '31 days' WHERE webhook_id = $1 AND attempt <= 5`, [w.id]);
    await db.pool.query(`UPDATE webhook_deliveries SET at = now() - interval '29 days' WHERE webhook_id = $1 AND attempt = 6`, [w.id]);
    expect(await webhooks.purgeDeliveries(db.pool, 30, 2)).toBe(5);
    expect((await webhooks.deliveries(db.pool, w.id, null, 10)).map((d) => d.attempt)).toEqual([7, 6]);
    expect(await webhooks.purgeDeliveries(db.pool, 30, 2)).toBe(0);
  });
});
