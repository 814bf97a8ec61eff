// Db is used here without Nest, whose ESM build jest cannot load: its decorators, inert, are all it needs of it.
jest.mock('@nestjs/common', () => ({ Injectable: () => () => undefined, Optional: () => () => undefined }));

import { register } from 'prom-client';
import { DataSource } from 'typeorm';
import { currentRequestId, requestContext } from '../../src/common/context/request-context';
import { dataSourceOptions } from '../../src/database/data-source';
import { Db, Tx } from '../../src/database/db.service';
import { pgErrorCode } from '../../src/database/pg-error';
import { sendAhead } from '../../src/database/pipeline';
import { GroupRef, MAX_RUNNING, MIN_BATCH } from '../../src/database/transaction-groups';
import { holdOpen, RepoDatabase } from '../repo/support/repo-database';
import { later } from '../support/later';
import { roundTrips } from './support/recording-db';
import { createTestDatabase } from './support/test-database';


const txid = async (tx: Tx): Promise<string> => (await tx.query('SELECT txid_current()::text AS id'))[0].id;

async function statementCount(): Promise<number> {
  const metric = await register.getSingleMetric('db_statements_total')!.get();
  return metric.values.reduce((sum, v) => sum + v.value, 0);
}

async function groupedCount(how: string): Promise<number> {
  const metric = await register.getSingleMetric('db_grouped_transactions_total')!.get();
  return metric.values.find((v) => v.labels.how === how)?.value ?? 0;
}

describe('grouped transactions (Db.rootTransaction with a group; decision 0026)', () => {
  let db: RepoDatabase;
  let grouped: Db;

  beforeAll(async () => {
    const database = await createTestDatabase();
    const dataSource = new DataSource(dataSourceOptions(database.url, { poolSize: 12 }));
    await dataSource.initialize();
    db = {
      dataSource,
      tx: (work) => dataSource.transaction('READ COMMITTED', work),
      pool: dataSource.manager,
      close: async () => {
        await dataSource.destroy();
        await database.drop();
      },
    };
    grouped = new Db(dataSource);
    await db.pool.query('CREATE TABLE probe (id text PRIMARY KEY, n int NOT NULL DEFAULT 0)');
    await db.pool.query(`INSERT INTO probe (id) VALUES ('shared')`);
  });
  afterAll(() => db.close());

  const insert = (id: string) => (tx: Tx) => tx.query('INSERT INTO probe (id) VALUES ($1)', [id]).then(() => txid(tx));
  const present = async (ids: string[]) =>
    (await db.pool.query('SELECT id FROM probe WHERE id = ANY($1) ORDER BY id', [ids])).map((r: { id: string }) => r.id);

  /**
   * Starts as many transactions of `group` as may run at once, each staying open until the
   * returned `open` is called, so the next ones queue behind them.
   */
  async function busy(group: GroupRef): Promise<{ done: Promise<string[]>; open: () => void }> {
    const g = later();
    const started: Promise<void>[] = [];
    const done = Array.from({ length: MAX_RUNNING }, () => {
      let start!: () => void;
      started.push(new Promise<void>((ok) => (start = ok)));
      return grouped.rootTransaction(async (tx) => {
        start();
        await g.promise;
        return txid(tx);
      }, group);
    });
    await Promise.all(started);
    return { done: Promise.all(done), open: g.settle };
  }

  it('runs the transactions that queued behind a running one as one transaction, each answered with its own result', async () => {
    const first = await busy('g1');
    const ids = Array.from({ length: MIN_BATCH + 1 }, (_, i) => `g1-${i}`);
    const queued = ids.map((id) => grouped.rootTransaction(insert(id), 'g1'));
    first.open();
    const txids = await Promise.all(queued);
    expect(new Set(txids).size).toBe(1);
    expect(await first.done).not.toContain(txids[0]);
    expect(await present(ids)).toEqual(ids);
  });

  it('rolls back only the member that failed: it gets its own error, the others commit', async () => {
    const first = await busy('g2');
    const refusal = new Error('refused on purpose');
    const queued = Array.from({ length: MIN_BATCH + 1 }, (_, i) =>
      grouped.rootTransaction(async (tx) => {
        await insert(`g2-${i}`)(tx);
        if (i === 2) throw refusal;
        return i;
      }, 'g2'),
    );
    first.open();
    const settled = await Promise.allSettled(queued);
    expect(settled.map((s) => s.status)).toEqual(queued.map((_, i) => (i === 2 ? 'rejected' : 'fulfilled')));
    expect((settled[2] as PromiseRejectedResult).reason).toBe(refusal);
    expect(await present(queued.map((_, i) => `g2-${i}`))).toEqual(queued.map((_, i) => `g2-${i}`).filter((id) => id !== 'g2-2'));
  });

  it('tells a work whether it shares its transaction: a batch member does, a transaction alone does not', async () => {
    expect(await grouped.rootTransaction(async (tx) => grouped.shared(tx))).toBe(false);
    expect(await grouped.rootTransaction(async (tx) => grouped.shared(tx), 'g-shared-alone')).toBe(false);
    const first = await busy('g-shared');
    const queued = Array.from({ length: MIN_BATCH }, () => grouped.rootTransaction(async (tx) => [grouped.shared(tx), await txid(tx)] as const, 'g-shared'));
    first.open();
    await first.done;
    const answers = await Promise.all(queued);
    expect(answers.map(([shared]) => shared)).toEqual(queued.map(() => true));
    expect(new Set(answers.map(([, id]) => id)).size).toBe(1);
  });

  it('takes no savepoint of its own for a guarded member, whose own savepoint rolls it back alone (decision 0027)', async () => {
    const refusal = new Error('refused on purpose');
    /** A batch of members that each open their own savepoint first; the second fails. Its statements, counted. */
    const batchOf = async (group: string, guarded: boolean) => {
      const first = await busy(group);
      const queued = Array.from({ length: MIN_BATCH + 1 }, (_, i) =>
        grouped.rootTransaction(
          (tx) =>
            grouped.savepoint(tx, 'own', async () => {
              await insert(`${group}-${i}`)(tx);
              if (i === 1) throw refusal;
              return i;
            }),
          group,
          { guarded },
        ),
      );
      const before = await statementCount();
      first.open();
      await first.done;
      const settled = await Promise.allSettled(queued);
      expect(settled.map((s) => s.status)).toEqual(queued.map((_, i) => (i === 1 ? 'rejected' : 'fulfilled')));
      expect((settled[1] as PromiseRejectedResult).reason).toBe(refusal);
      const ids = queued.map((_, i) => `${group}-${i}`);
      expect(await present(ids)).toEqual(ids.filter((id) => id !== `${group}-1`));
      return { statements: (await statementCount()) - before, members: queued.length };
    };
    const plain = await batchOf('g-plain', false);
    const guarded = await batchOf('g-guarded', true);
    // Without the flag, the batch adds a SAVEPOINT per member and a second ROLLBACK TO for the one that failed.
    expect(plain.statements - guarded.statements).toBe(guarded.members + 1);
  });

  it('runs a member that meets a lock held elsewhere again, alone, after the batch commits', async () => {
    const holder = holdOpen(db, (tx) => tx.query(`UPDATE probe SET n = n + 1 WHERE id = 'shared'`));
    await holder.ready;
    const againBefore = await groupedCount('again');
    const first = await busy('g3');
    const queued = Array.from({ length: MIN_BATCH + 1 }, (_, i) =>
      grouped.rootTransaction(async (tx) => {
        await insert(`g3-${i}`)(tx);
        // The second member waits for the holder's lock: in the batch, only briefly.
        if (i === 1) await tx.query(`UPDATE probe SET n = n + 10 WHERE id = 'shared'`);
        return txid(tx);
      }, 'g3'),
    );
    first.open();
    const others = await Promise.all(queued.filter((_, i) => i !== 1));
    expect(new Set(others).size).toBe(1);
    expect(await groupedCount('again')).toBe(againBefore + 1);
    await holder.release(true);
    expect(await queued[1]).not.toBe(others[0]);
    expect((await db.pool.query(`SELECT n FROM probe WHERE id = 'shared'`))[0].n).toBe(11);
    expect(await present(queued.map((_, i) => `g3-${i}`))).toHaveLength(queued.length);
  });

  it('runs each member in the async context of the caller that queued it', async () => {
    const first = await busy('g4');
    const queued = Array.from({ length: MIN_BATCH }, (_, i) =>
      requestContext.run({ requestId: `request-${i}` }, () => grouped.rootTransaction(async () => currentRequestId(), 'g4')),
    );
    first.open();
    expect(await Promise.all(queued)).toEqual(queued.map((_, i) => `request-${i}`));
  });

  it('runs MAX_RUNNING transactions of a group side by side, each alone, while no more wait', async () => {
    // busy() returns only once all of them have started, none having finished.
    const first = await busy('g8');
    first.open();
    expect(new Set(await first.done).size).toBe(MAX_RUNNING);
  });

  it('runs fewer than MIN_BATCH queued transactions each alone', async () => {
    const first = await busy('g5');
    const queued = Array.from({ length: MIN_BATCH - 1 }, (_, i) => grouped.rootTransaction(insert(`g5-${i}`), 'g5'));
    first.open();
    const txids = await Promise.all(queued);
    expect(new Set(txids).size).toBe(queued.length);
  });

  it('batches a group with a minimum of its own only once that many wait (a filing market\'s placements)', async () => {
    const deep = { name: 'g10', minBatch: MIN_BATCH + 2 };
    const first = await busy(deep);
    const short = Array.from({ length: deep.minBatch - 1 }, (_, i) => grouped.rootTransaction(insert(`g10-a${i}`), deep));
    first.open();
    expect(new Set(await Promise.all(short)).size).toBe(short.length);
    await first.done;

    const again = await busy(deep);
    const full = Array.from({ length: deep.minBatch }, (_, i) => grouped.rootTransaction(insert(`g10-b${i}`), deep));
    again.open();
    expect(new Set(await Promise.all(full)).size).toBe(1);
  });

  it('starts nothing of the group beside a running batch; what arrives meanwhile runs after it', async () => {
    const first = await busy('g9');
    const inBatch = later();
    let batchRunning!: () => void;
    const batchStarted = new Promise<void>((ok) => (batchRunning = ok));
    const queued = Array.from({ length: MIN_BATCH }, (_, i) =>
      grouped.rootTransaction(async (tx) => {
        if (i === 0) {
          batchRunning();
          await inBatch.promise;
        }
        return txid(tx);
      }, 'g9'),
    );
    first.open();
    await batchStarted;
    let lateStarted = false;
    const late = grouped.rootTransaction(async (tx) => {
      lateStarted = true;
      return txid(tx);
    }, 'g9');
    await new Promise((ok) => setTimeout(ok, 100));
    expect(lateStarted).toBe(false);
    inBatch.settle();
    const batchTxids = await Promise.all(queued);
    expect(new Set(batchTxids).size).toBe(1);
    expect(await late).not.toBe(batchTxids[0]);
  });

  describe('a member that does not wait for what it sent ahead (decision 0041)', () => {
    /** A member that sends its insert ahead, stamped with its transaction, and waits for nothing. */
    const sendsAhead = (id: string) => async (tx: Tx) => {
      await sendAhead(tx, 'INSERT INTO probe (id, n) VALUES ($1, txid_current()::int)', [id]);
      return id;
    };
    /** The transaction each of `ids` was written in, or null where it is absent. */
    const stamps = async (ids: string[]) => {
      const found = new Map<string, number>((await db.pool.query('SELECT id, n FROM probe WHERE id = ANY($1)', [ids])).map((r: { id: string; n: number }) => [r.id, r.n]));
      return ids.map((id) => found.get(id) ?? null);
    };
    /** Queues `works` behind a busy group and answers how they settled. */
    const batchOf = async (group: string, works: ((tx: Tx) => Promise<unknown>)[]) => {
      const first = await busy(group);
      const queued = works.map((work) => grouped.rootTransaction(work, group));
      first.open();
      await first.done;
      return Promise.allSettled(queued);
    };

    it('lets the next member run on at once: a batch costs the same round trips whatever its size', async () => {
      const tripsOf = async (group: string, size: number) => {
        const before = await roundTrips();
        const settled = await batchOf(group, Array.from({ length: size }, (_, i) => sendsAhead(`${group}-${i}`)));
        expect(settled.map((r) => r.status)).toEqual(settled.map(() => 'fulfilled'));
        const ids = settled.map((_, i) => `${group}-${i}`);
        expect(new Set(await stamps(ids)).size).toBe(1);
        return (await roundTrips()) - before;
      };
      // Waiting at each member's savepoint, each member added one.
      expect((await tripsOf('g11', MIN_BATCH + 5)) - (await tripsOf('g12', MIN_BATCH))).toBe(0);
    });

    it('sends the COMMIT behind what the members sent ahead, without waiting for their answers (decision 0046)', async () => {
      const carefulBefore = await groupedCount('careful');
      const tripsOf = async (group: string, lastWaits: boolean) => {
        const before = await roundTrips();
        const ids = Array.from({ length: MIN_BATCH + 1 }, (_, i) => `${group}-${i}`);
        const settled = await batchOf(group, ids.map((id, i) => async (tx: Tx) => {
          await sendsAhead(id)(tx);
          // Waiting here takes every answer the batch has had so far, as a batch that waits before its commit would.
          if (lastWaits && i === ids.length - 1) await tx.query('SELECT 1');
          return id;
        }));
        expect(settled.map((r) => r.status)).toEqual(ids.map(() => 'fulfilled'));
        expect(new Set(await stamps(ids)).size).toBe(1);
        return (await roundTrips()) - before;
      };
      // With nothing answered when the COMMIT is written, it adds no round trip; after a wait it does.
      expect((await tripsOf('g15', true)) - (await tripsOf('g16', false))).toBe(1);
      expect(await groupedCount('careful')).toBe(carefulBefore);
    });

    it('unwinds to the member whose statement failed: it runs again alone with its own error, those behind it again in the batch', async () => {
      const againBefore = await groupedCount('again');
      const carefulBefore = await groupedCount('careful');
      const ids = Array.from({ length: MIN_BATCH + 2 }, (_, i) => `g13-${i}`);
      const settled = await batchOf('g13', ids.map((id, i) => async (tx: Tx) => {
        await sendsAhead(id)(tx);
        // 'shared' is there already: the unique index refuses it, and nothing waited for the answer.
        if (i === 2) await sendAhead(tx, 'INSERT INTO probe (id) VALUES ($1)', ['shared']);
        return id;
      }));
      expect(settled.map((r) => r.status)).toEqual(ids.map((_, i) => (i === 2 ? 'rejected' : 'fulfilled')));
      expect(pgErrorCode((settled[2] as PromiseRejectedResult).reason)).toBe('23505');
      const [a, b, refused, c, d] = await stamps(ids);
      expect(refused).toBeNull();
      expect(new Set([a, b, c, d]).size).toBe(1);
      expect(await groupedCount('again')).toBe(againBefore + 1);
      // The COMMIT, sent behind the failure, was answered ROLLBACK; the batch ran again taking its answers first.
      expect(await groupedCount('careful')).toBe(carefulBefore + ids.length);
    });

    it('keeps a group careful for a while after a failure: its next batch takes the answers before its commit', async () => {
      const ids = (group: string) => Array.from({ length: MIN_BATCH + 1 }, (_, i) => `${group}-${i}`);
      const tripsOf = async (group: string, suffix: string) => {
        const before = await roundTrips();
        const settled = await batchOf(group, ids(group + suffix).map(sendsAhead));
        expect(settled.map((r) => r.status)).toEqual(settled.map(() => 'fulfilled'));
        return (await roundTrips()) - before;
      };
      const failed = await batchOf('g17', ids('g17-x').map((id, i) => async (tx: Tx) => {
        await sendsAhead(id)(tx);
        if (i === 0) await sendAhead(tx, 'INSERT INTO probe (id) VALUES ($1)', ['shared']);
        return id;
      }));
      expect(failed.map((r) => r.status)).toEqual(ids('g17-x').map((_, i) => (i === 0 ? 'rejected' : 'fulfilled')));
      // Well within CAREFUL_AFTER_FAILURE_MS: g17 waits for its answers, a group that saw no failure does not.
      expect((await tripsOf('g17', '-y')) - (await tripsOf('g18', '-y'))).toBe(1);
    });

    it('runs a member that waited behind a failed statement of an earlier one again in the batch, not alone', async () => {
      const againBefore = await groupedCount('again');
      const ids = Array.from({ length: MIN_BATCH + 1 }, (_, i) => `g14-${i}`);
      const settled = await batchOf('g14', ids.map((id, i) => async (tx: Tx) => {
        if (i === 1) await sendAhead(tx, 'INSERT INTO probe (id) VALUES ($1)', ['shared']);
        // The third waits for an answer: behind the second's failure, "current transaction is aborted".
        if (i === 2) await tx.query('SELECT 1');
        return sendsAhead(id)(tx);
      }));
      expect(settled.map((r) => r.status)).toEqual(ids.map((_, i) => (i === 1 ? 'rejected' : 'fulfilled')));
      expect(pgErrorCode((settled[1] as PromiseRejectedResult).reason)).toBe('23505');
      const [a, b, c, d] = await stamps(ids);
      expect(b).toBeNull();
      expect(new Set([a, c, d]).size).toBe(1);
      expect(await groupedCount('again')).toBe(againBefore + 1);
    });
    describe('what memory a rolled-back work changed is put back (Db.onRollback)', () => {
      /** Per id: +1 each time its work runs, −1 each time its undo does; and the undos in the order they ran. */
      const ledgerOf = () => {
        const net = new Map<string, number>();
        const undone: string[] = [];
        const change = (tx: Tx, id: string) => {
          net.set(id, (net.get(id) ?? 0) + 1);
          grouped.onRollback(tx, () => {
            net.set(id, net.get(id)! - 1);
            undone.push(id);
          });
        };
        return { net, undone, change };
      };

      it('runs no undo for work that commits, and every undo of work that fails, newest first', async () => {
        const { net, undone, change } = ledgerOf();
        await grouped.rootTransaction(async (tx) => change(tx, 'kept'));
        const refusal = new Error('refused on purpose');
        await expect(grouped.rootTransaction(async (tx) => {
          change(tx, 'a');
          change(tx, 'b');
          throw refusal;
        })).rejects.toBe(refusal);
        expect(Object.fromEntries(net)).toEqual({ kept: 1, a: 0, b: 0 });
        expect(undone).toEqual(['b', 'a']);
      });

      it("undoes a rolled-back savepoint's share only, and the rest when the transaction's COMMIT is answered ROLLBACK", async () => {
        const { net, undone, change } = ledgerOf();
        await expect(grouped.rootTransaction(async (tx) => {
          change(tx, 'outer');
          await grouped.savepoint(tx, 'nested', async () => {
            change(tx, 'inner');
            throw new Error('inner refused');
          }).catch(() => undefined);
          expect(undone).toEqual(['inner']);
          // Sent ahead, refused by the unique index; nothing waits for it, so the COMMIT is what answers it.
          await sendAhead(tx, 'INSERT INTO probe (id) VALUES ($1)', ['shared']);
        })).rejects.toMatchObject({ code: '23505' });
        expect(Object.fromEntries(net)).toEqual({ outer: 0, inner: 0 });
        expect(undone).toEqual(['inner', 'outer']);
      });

      it("in a batch unwound to a member's statement: the members that commit keep their changes, the refused one's are undone", async () => {
        const { net, change } = ledgerOf();
        const ids = Array.from({ length: MIN_BATCH + 2 }, (_, i) => `g19-${i}`);
        const settled = await batchOf('g19', ids.map((id, i) => async (tx: Tx) => {
          change(tx, id);
          await sendsAhead(id)(tx);
          if (i === 2) await sendAhead(tx, 'INSERT INTO probe (id) VALUES ($1)', ['shared']);
          return id;
        }));
        expect(settled.map((r) => r.status)).toEqual(ids.map((_, i) => (i === 2 ? 'rejected' : 'fulfilled')));
        // However often each ran (a hopeful batch, a careful one, alone), one change stands per member that committed.
        expect(ids.map((id) => net.get(id))).toEqual(ids.map((_, i) => (i === 2 ? 0 : 1)));
        expect((await stamps(ids)).map((n) => n !== null)).toEqual(ids.map((_, i) => i !== 2));
      });
    });
  });

  describe("a batch's prelude (decision 0050)", () => {
    /** The group `name` with key `key` and a prelude that records its keys and writes a row per key in the batch's transaction. */
    const calls: { keys: string[]; txid: string }[] = [];
    const keyed = (name: string, key: string): GroupRef => ({
      name,
      key,
      prelude: async (tx, keys) => {
        calls.push({ keys: [...keys].sort(), txid: await txid(tx) });
        for (const k of keys) await tx.query('INSERT INTO probe (id) VALUES ($1)', [`${name}-ahead-${k}`]);
      },
    });

    it('runs once before the members, in their transaction, with their distinct keys; a member that fails does not undo it', async () => {
      calls.length = 0;
      const first = await busy(keyed('g20', 'a'));
      const refusal = new Error('refused on purpose');
      const keys = ['a', 'b', 'a', 'c'];
      const queued = keys.map((key, i) => grouped.rootTransaction(async (tx) => {
        // The prelude's row is there before any member runs.
        const ahead = await tx.query('SELECT 1 FROM probe WHERE id = $1', [`g20-ahead-${key}`]);
        await insert(`g20-${i}`)(tx);
        if (i === 1) throw refusal;
        return [ahead.length, await txid(tx)] as const;
      }, keyed('g20', key)));
      first.open();
      await first.done;
      const settled = await Promise.allSettled(queued);
      expect(settled.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
      const answers = settled.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
      expect(answers.map(([seen]) => seen)).toEqual([1, 1, 1]);
      expect(calls).toEqual([{ keys: ['a', 'b', 'c'], txid: answers[0][1] }]);
      expect(await present(['g20-ahead-a', 'g20-ahead-b', 'g20-ahead-c', 'g20-0', 'g20-1', 'g20-2', 'g20-3'])).toEqual(['g20-0', 'g20-2', 'g20-3', 'g20-ahead-a', 'g20-ahead-b', 'g20-ahead-c']);
    });

    it('does not run for a batch of one key, nor for a member alone', async () => {
      calls.length = 0;
      expect(await grouped.rootTransaction(insert('g21-alone'), keyed('g21', 'a'))).toMatch(/^\d+$/);
      const first = await busy(keyed('g21', 'a'));
      const queued = Array.from({ length: MIN_BATCH + 1 }, (_, i) => grouped.rootTransaction(insert(`g21-${i}`), keyed('g21', 'a')));
      first.open();
      await first.done;
      expect(new Set(await Promise.all(queued)).size).toBe(1);
      expect(calls).toEqual([]);
    });
  });

  it('keeps groups apart: a busy group does not hold up another', async () => {
    const first = await busy('g6');
    expect(await grouped.rootTransaction(insert('g7-0'), 'g7')).toMatch(/^\d+$/);
    first.open();
    await first.done;
  });
});
