import { randomUUID } from 'node:crypto';
import { LedgerRepository, MovementPosting } from '../../src/modules/ledger/ledger.repository';
import { Tx } from '../../src/database/sql';
import { participant, regionTree } from './support/fixtures';
import { blocksOn, holdOpen, openRepoDatabase, RepoDatabase, sqlState, untilOneWaits } from './support/repo-database';

const books = new LedgerRepository();

describe('ledger repository (ledger_accounts, ledger_holds, ledger_postings)', () => {
  let db: RepoDatabase;
  let owner: string;

  beforeAll(async () => {
    db = await openRepoDatabase();
    await regionTree(db);
  });
  afterAll(() => db.close());
  beforeEach(async () => {
    owner = (await participant(db)).id;
  });

  /** The id of a newly opened account (an open answered otherwise fails the test). */
  const idOf = (opened: { id: string } | 'exists' | 'busy'): number => {
    if (typeof opened === 'string') throw new Error(`expected an opened account, got ${opened}`);
    return Number(opened.id);
  };
  const openCash = async (who = owner) => db.tx(async (tx) => idOf(await books.openAccount(tx, { owner: who, asset: 'CNY', bucket: 'AVAILABLE' })));
  const balanceOf = async (id: number) => (await db.pool.query('SELECT balance FROM ledger_accounts WHERE id = $1', [id]))[0].balance;
  /** Postings of one movement on one account (a test movement need not balance: the service checks that, not the statement). */
  const postingsOf = (accountId: number, deltas: string[], holdId: string | null = null): MovementPosting[] => {
    const movementId = randomUUID();
    const refId = randomUUID();
    return deltas.map((delta) => ({ id: randomUUID(), movement_id: movementId, account_id: String(accountId), asset: 'CNY', delta, reason: 'DEPOSIT', ref_type: 'deposit', ref_id: refId, hold_id: holdId }));
  };
  const sum = (deltas: string[]) => deltas.reduce((a, d) => a + Number(d), 0).toFixed(3);
  /** One movement of `deltas` on one account: its new balance (a refusal raises WR001). */
  const move = async (tx: Tx, id: number, ...deltas: string[]) => (await books.applyMovement(tx, [{ accountId: id, delta: sum(deltas) }], postingsOf(id, deltas))).balances.get(id) ?? null;
  /** The SQLSTATE and DETAIL a refused statement raised. */
  const refusal = async (work: Promise<unknown>) => work.then(() => 'resolved', (err: { driverError?: { code?: string; detail?: string } }) => [err.driverError?.code, err.driverError?.detail]);

  describe('accounts', () => {
    it('opens an account once: a second open of the same key finds it instead', async () => {
      const id = await openCash();
      expect(await db.tx((tx) => books.openAccount(tx, { owner, asset: 'CNY', bucket: 'AVAILABLE' }))).toBe('exists');
      expect(Number(await db.tx((tx) => books.accountId(tx, { owner, asset: 'CNY', bucket: 'AVAILABLE' })))).toBe(id);
      expect(await db.tx((tx) => books.accountId(tx, { owner, asset: 'CNY', bucket: 'LOCKED' }))).toBeNull();
    });

    it('answers busy at once, without waiting, while another transaction has the same account\'s open under way', async () => {
      const key = { owner, asset: 'CNY', bucket: 'LOCKED' } as const;
      const first = holdOpen(db, (tx) => books.openAccount(tx, key));
      const opened = idOf(await first.ready);
      // A wait here would last until the release below, which only runs once this answered.
      const second = await Promise.race([
        db.tx((tx) => books.openAccount(tx, key)),
        new Promise((ok) => setTimeout(() => ok('waited'), 2000)),
      ]);
      expect(second).toBe('busy');
      // The open of another account is not held up by it.
      expect(await db.tx((tx) => books.openAccount(tx, { owner, asset: 'CNY', bucket: 'AVAILABLE' }))).toEqual({ id: expect.any(String) });
      await first.release();
      expect(await db.tx((tx) => books.openAccount(tx, key))).toBe('exists');
      expect(Number(await db.tx((tx) => books.accountId(tx, key)))).toBe(opened);
    });

    it('frees the open for others when the opening transaction rolls back', async () => {
      const key = { system: 'BANK', asset: `X-${randomUUID()}`, bucket: 'AVAILABLE' } as const;
      const first = holdOpen(db, (tx) => books.openAccount(tx, key));
      idOf(await first.ready);
      expect(await db.tx((tx) => books.openAccount(tx, key))).toBe('busy');
      await first.release(false);
      const reopened = idOf(await db.tx((tx) => books.openAccount(tx, key)));
      expect(Number(await db.tx((tx) => books.accountId(tx, key)))).toBe(reopened);
    });

    it('never takes a participant balance below zero: the update raises WR001 naming the account, and nothing changes', async () => {
      const id = await openCash();
      expect(await db.tx((tx) => move(tx, id, '100.00'))).toBe('100.000');
      expect(await refusal(db.tx((tx) => move(tx, id, '-100.01')))).toEqual(['WR001', String(id)]);
      expect(await balanceOf(id)).toBe('100.000');
      expect(await db.tx((tx) => move(tx, id, '-100.00'))).toBe('0.000');
    });

    it('lets a system book run negative (the bank and issuance are the books\' sources)', async () => {
      const bank = await db.tx(async (tx) => idOf(await books.openAccount(tx, { system: 'BANK', asset: 'CNY', bucket: 'AVAILABLE' })));
      expect(await db.tx((tx) => move(tx, bank, '-500.00'))).toBe('-500.000');
    });

    it('is backed by a CHECK constraint: even a direct update cannot make a participant balance negative', async () => {
      const id = await openCash();
      expect(await sqlState(db.pool.query('UPDATE ledger_accounts SET balance = -1 WHERE id = $1', [id]))).toBe('23514');
    });

    it('re-checks the condition after waiting for a concurrent debit: two debits of 60 from 100 cannot both pass', async () => {
      const id = await openCash();
      await db.tx((tx) => move(tx, id, '100'));
      const first = holdOpen(db, (tx) => move(tx, id, '-60'));
      expect(await first.ready).toBe('40.000');
      const second = db.tx((tx) => move(tx, id, '-60'));
      await untilOneWaits(db);
      await first.release();
      expect(await refusal(second)).toEqual(['WR001', String(id)]);
      expect(await balanceOf(id)).toBe('40.000');
    });

    it('locks the owners\' available accounts of an asset in id order, holding them until commit', async () => {
      const others = [owner, (await participant(db)).id, (await participant(db)).id];
      const ids: number[] = [];
      for (const who of others) ids.push(await openCash(who));
      const held = holdOpen(db, (tx) => books.lockAvailable(tx, [...others].reverse(), 'CNY'));
      const locked = await held.ready;
      expect(locked.map((a) => a.owner_id)).toEqual(others);
      expect(await blocksOn(db, (tx) => move(tx, ids[1], '1'))).toBe(true);
      await held.release();
      expect(await blocksOn(db, (tx) => move(tx, ids[1], '1'))).toBe(false);
    });
  });

  describe('holds', () => {
    const newHold = (amount = '50.00') => ({ id: randomUUID(), owner_id: owner, asset: 'CNY', amount, ref_type: 'order' as const, ref_id: randomUUID(), parent_hold_id: null });

    it('inserts a hold PENDING with all of its amount remaining', async () => {
      const hold = newHold();
      await db.tx((tx) => books.insertHold(tx, hold));
      const row = await db.tx((tx) => books.lockHold(tx, hold.id));
      expect(row).toMatchObject({ id: hold.id, status: 'PENDING', amount: '50.000', remaining: '50.000', ref_type: 'order' });
    });

    it('moves PENDING → POSTED or VOIDED only together with its remaining reaching zero (CHECK constraint)', async () => {
      const hold = newHold();
      await db.tx((tx) => books.insertHold(tx, hold));
      expect(await sqlState(db.tx((tx) => books.saveHold(tx, hold.id, '0', 'PENDING')))).toBe('23514');
      expect(await sqlState(db.tx((tx) => books.saveHold(tx, hold.id, '10', 'POSTED')))).toBe('23514');
      expect(await sqlState(db.tx((tx) => books.saveHold(tx, hold.id, '60', 'PENDING')))).toBe('23514');
      await db.tx((tx) => books.saveHold(tx, hold.id, '20', 'PENDING'));
      await db.tx((tx) => books.saveHold(tx, hold.id, '0', 'VOIDED'));
      expect((await db.tx((tx) => books.lockHold(tx, hold.id)))!.status).toBe('VOIDED');
    });

    it('grows a hold by a top-up, amount and remaining together', async () => {
      const hold = newHold('0.02');
      await db.tx((tx) => books.insertHold(tx, hold));
      await db.tx((tx) => books.growHold(tx, hold.id, '0.03', '0.03'));
      expect(await db.tx((tx) => books.lockHold(tx, hold.id))).toMatchObject({ amount: '0.030', remaining: '0.030' });
    });

    it('locks several holds in id order, and a concurrent lock of one of them waits', async () => {
      const holds = [newHold(), newHold(), newHold()];
      for (const h of holds) await db.tx((tx) => books.insertHold(tx, h));
      const held = holdOpen(db, (tx) => books.lockHolds(tx, holds.map((h) => h.id)));
      expect((await held.ready).map((h) => h.id)).toEqual(holds.map((h) => h.id).sort());
      expect(await blocksOn(db, (tx) => books.lockHold(tx, holds[2].id))).toBe(true);
      await held.release();
      expect(await blocksOn(db, (tx) => books.lockHold(tx, holds[2].id))).toBe(false);
    });

    it('locks holds as the caller knows them: it checks each, and a hold otherwise, or missing, raises WR002 naming it', async () => {
      const [a, b] = [newHold('50.00'), newHold('0.02')];
      for (const h of [a, b]) await db.tx((tx) => books.insertHold(tx, h));
      await db.tx((tx) => books.saveHold(tx, b.id, '0.01', 'PENDING'));
      const asKnown = (overrides: Record<string, Partial<{ amount: string; remaining: string; status: 'PENDING' | 'POSTED' | 'VOIDED' }>> = {}) =>
        [{ id: a.id, amount: '50', remaining: '50.000', status: 'PENDING' as const }, { id: b.id, amount: '0.020', remaining: '0.01', status: 'PENDING' as const }]
          .map((h) => ({ ...h, ...overrides[h.id] }));
      const check = (holds: ReturnType<typeof asKnown>) => db.tx((tx) => books.lockHoldsAsKnownAhead(tx, holds, (err) => err));

      // As written (numerically equal, whatever the scale): locked, and a concurrent lock waits.
      const held = holdOpen(db, (tx) => books.lockHoldsAsKnownAhead(tx, asKnown(), (err) => err));
      await held.ready;
      expect(await blocksOn(db, (tx) => books.lockHold(tx, b.id))).toBe(true);
      await held.release();

      expect(await refusal(check(asKnown({ [b.id]: { remaining: '0.02' } })))).toEqual(['WR002', b.id]);
      expect(await refusal(check(asKnown({ [a.id]: { amount: '49.99' } })))).toEqual(['WR002', a.id]);
      expect(await refusal(check(asKnown({ [a.id]: { status: 'POSTED', remaining: '0' } })))).toEqual(['WR002', a.id]);
      const missing = randomUUID();
      expect(await refusal(check([...asKnown(), { id: missing, amount: '1', remaining: '1', status: 'PENDING' }]))).toEqual(['WR002', missing]);
      // `meaning` names the error the caller gets.
      const meant = await db.tx((tx) => books.lockHoldsAsKnownAhead(tx, asKnown({ [b.id]: { remaining: '0' } }), () => new Error('changed'))).catch((err: Error) => err.message);
      expect(meant).toBe('changed');
      expect(await refusal(check(asKnown()))).toBe('resolved');
    });
  });

  describe('postings', () => {
    it('writes one movement in one statement: its postings share one created_at', async () => {
      const id = await openCash();
      const { at } = await db.tx((tx) => books.applyMovement(tx, [{ accountId: id, delta: '17.500' }], postingsOf(id, ['10', '5', '2.5'])));
      const stamps = await db.pool.query('SELECT DISTINCT created_at FROM ledger_postings WHERE account_id = $1', [id]);
      expect(stamps).toHaveLength(1);
      expect(new Date(stamps[0].created_at).getTime()).toBe(new Date(at!).getTime());
    });

    it('writes each posting with the balance it leaves, in posting order, across the accounts it moves', async () => {
      const a = await openCash();
      const b = await openCash((await participant(db)).id);
      await db.tx((tx) => move(tx, a, '10'));
      const movementId = randomUUID();
      const refId = randomUUID();
      const legs: [number, string][] = [[a, '-5'], [b, '5'], [a, '-2'], [b, '2']];
      const postings = legs.map(([account, delta]) => ({ id: randomUUID(), movement_id: movementId, account_id: String(account), asset: 'CNY', delta, reason: 'SETTLEMENT' as const, ref_type: 'trade' as const, ref_id: refId, hold_id: null }));
      const { balances } = await db.tx((tx) => books.applyMovement(tx, [{ accountId: a, delta: '-7' }, { accountId: b, delta: '7' }], postings));
      expect(balances).toEqual(new Map([[a, '3.000'], [b, '7.000']]));
      const written = await db.pool.query('SELECT account_id, delta, balance_after FROM ledger_postings WHERE movement_id = $1 ORDER BY seq', [movementId]);
      expect(written.map((r: { account_id: string; delta: string; balance_after: string }) => [Number(r.account_id), r.delta, r.balance_after])).toEqual([
        [a, '-5.000', '5.000'], [b, '5.000', '5.000'], [a, '-2.000', '3.000'], [b, '2.000', '7.000'],
      ]);
    });

    it('refuses a movement that would take a participant below zero: it raises WR001 naming the account, and no posting or credit stays', async () => {
      const a = await openCash();
      const b = await openCash((await participant(db)).id);
      await db.tx((tx) => move(tx, a, '4'));
      const postings = [...postingsOf(a, ['-5']), ...postingsOf(b, ['5'])];
      const refused = db.tx((tx) => books.applyMovement(tx, [{ accountId: a, delta: '-5' }, { accountId: b, delta: '5' }], postings));
      expect(await refusal(refused)).toEqual(['WR001', String(a)]);
      expect(await db.pool.query('SELECT count(*)::int AS n FROM ledger_postings WHERE id = ANY($1::uuid[])', [postings.map((p) => p.id)])).toEqual([{ n: 0 }]);
      expect(await balanceOf(a)).toBe('4.000');
      expect(await balanceOf(b)).toBe('0.000');
    });

    it('locks a movement\'s accounts in id order: waiting at the first, it has not yet taken the second', async () => {
      const a = await openCash();
      const b = await openCash((await participant(db)).id);
      const [low, high] = [a, b].sort((x, y) => x - y);
      const held = holdOpen(db, (tx) => move(tx, low, '10'));
      await held.ready;
      const changes = [{ accountId: high, delta: '-1' }, { accountId: low, delta: '1' }];
      const waiting = db.tx((tx) => books.applyMovement(tx, changes, [...postingsOf(high, ['-1']), ...postingsOf(low, ['1'])]));
      await untilOneWaits(db);
      expect(await blocksOn(db, (tx) => move(tx, high, '5'))).toBe(false);
      await held.release();
      expect((await waiting).balances).toEqual(new Map([[low, '11.000'], [high, '4.000']]));
    });

    it('writes the hold a movement opens or draws down in the same statement, or neither', async () => {
      const id = await openCash();
      const hold = { id: randomUUID(), owner_id: owner, asset: 'CNY', amount: '10', ref_type: 'order' as const, ref_id: randomUUID(), parent_hold_id: null };
      await db.tx((tx) => books.applyMovement(tx, [{ accountId: id, delta: '10' }], postingsOf(id, ['10'], hold.id), { insert: hold }));
      expect(await db.tx((tx) => books.lockHold(tx, hold.id))).toMatchObject({ amount: '10.000', remaining: '10.000', status: 'PENDING' });
      expect(await db.pool.query('SELECT count(*)::int AS n FROM ledger_postings WHERE hold_id = $1', [hold.id])).toEqual([{ n: 1 }]);
      // A draw-down the hold's CHECK refuses takes its postings with it.
      const refused = db.tx((tx) => books.applyMovement(tx, [{ accountId: id, delta: '-3' }], postingsOf(id, ['-3'], hold.id), { save: { id: hold.id, remaining: '0', status: 'PENDING' } }));
      expect(await sqlState(refused)).toBe('23514');
      expect(await db.pool.query('SELECT count(*)::int AS n FROM ledger_postings WHERE hold_id = $1', [hold.id])).toEqual([{ n: 1 }]);
      await db.tx((tx) => books.applyMovement(tx, [{ accountId: id, delta: '-3' }], postingsOf(id, ['-3'], hold.id), { save: { id: hold.id, remaining: '7', status: 'PENDING' } }));
      expect(await db.pool.query('SELECT count(*)::int AS n FROM ledger_postings WHERE hold_id = $1', [hold.id])).toEqual([{ n: 2 }]);
      expect((await db.tx((tx) => books.lockHold(tx, hold.id)))!.remaining).toBe('7.000');
    });

    it('splits a hold in one statement: the parent drawn down and the child opened, or neither', async () => {
      const parent = { id: randomUUID(), owner_id: owner, asset: 'CNY', amount: '10', ref_type: 'order' as const, ref_id: randomUUID(), parent_hold_id: null };
      await db.tx((tx) => books.insertHold(tx, parent));
      const child = (amount: string) => ({ id: randomUUID(), owner_id: owner, asset: 'CNY', amount, ref_type: 'trade' as const, ref_id: randomUUID(), parent_hold_id: parent.id });
      const first = child('4');
      await db.tx((tx) => books.splitHold(tx, { id: parent.id, remaining: '6', status: 'PENDING' }, first));
      expect(await db.tx((tx) => books.lockHold(tx, parent.id))).toMatchObject({ remaining: '6.000', status: 'PENDING' });
      expect(await db.tx((tx) => books.lockHold(tx, first.id))).toMatchObject({ amount: '4.000', remaining: '4.000', parent_hold_id: parent.id });
      const refused = child('0');
      expect(await sqlState(db.tx((tx) => books.splitHold(tx, { id: parent.id, remaining: '2', status: 'PENDING' }, refused)))).toBe('23514');
      expect(await db.tx((tx) => books.lockHold(tx, refused.id))).toBeNull();
      expect((await db.tx((tx) => books.lockHold(tx, parent.id)))!.remaining).toBe('6.000');
    });

    it('keeps postings immutable: update and delete are refused by trigger', async () => {
      const id = await openCash();
      await db.tx((tx) => move(tx, id, '10'));
      expect(await sqlState(db.pool.query('UPDATE ledger_postings SET delta = 11 WHERE account_id = $1', [id]))).toBe('42501');
      expect(await sqlState(db.pool.query('DELETE FROM ledger_postings WHERE account_id = $1', [id]))).toBe('42501');
    });

    it('lists a participant\'s entries newest first with their bucket, paging on seq', async () => {
      const id = await openCash();
      await db.tx((tx) => move(tx, id, '1', '2', '3', '4'));
      const page = await books.entries(db.pool, owner, 'CNY', null, 3);
      expect(page.map((e) => [e.delta, e.bucket])).toEqual([['4.000', 'AVAILABLE'], ['3.000', 'AVAILABLE'], ['2.000', 'AVAILABLE']]);
      const rest = await books.entries(db.pool, owner, undefined, page[2].seq, 3);
      expect(rest.map((e) => e.delta)).toEqual(['1.000']);
      expect(await books.entries(db.pool, owner, '150421-SURFACE-2026', null, 3)).toEqual([]);
    });
  });

  describe('deposits', () => {
    it('credits a bank reference once per participant (unique constraint), not once globally', async () => {
      const other = (await participant(db)).id;
      const deposit = (who: string) => ({ id: randomUUID(), participant_id: who, amount: '10.00', reference: 'BANK-1', created_by: who });
      await db.tx((tx) => books.insertDeposit(tx, deposit(owner)));
      expect(await sqlState(db.tx((tx) => books.insertDeposit(tx, deposit(owner))))).toBe('23505');
      await db.tx((tx) => books.insertDeposit(tx, deposit(other)));
      expect(await books.depositByReference(db.pool, owner, 'BANK-1')).toMatchObject({ participant_id: owner, amount: '10.00' });
    });
  });
});
