import { randomUUID } from 'node:crypto';
import { LedgerRepository, NewPosting } from '../../src/modules/ledger/ledger.repository';
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

  const openCash = async (who = owner) => db.tx(async (tx) => Number(await books.openAccount(tx, { owner: who, asset: 'CNY', bucket: 'AVAILABLE' })));
  const balanceOf = async (id: number) => (await db.pool.query('SELECT balance FROM ledger_accounts WHERE id = $1', [id]))[0].balance;

  describe('accounts', () => {
    it('opens an account once: a second open of the same key finds it instead', async () => {
      const id = await openCash();
      expect(await db.tx((tx) => books.openAccount(tx, { owner, asset: 'CNY', bucket: 'AVAILABLE' }))).toBeNull();
      expect(Number(await db.tx((tx) => books.accountId(tx, { owner, asset: 'CNY', bucket: 'AVAILABLE' })))).toBe(id);
      expect(await db.tx((tx) => books.accountId(tx, { owner, asset: 'CNY', bucket: 'LOCKED' }))).toBeNull();
    });

    it('never takes a participant balance below zero: the conditional update refuses and changes nothing', async () => {
      const id = await openCash();
      expect(await db.tx((tx) => books.addToBalance(tx, id, '100.00'))).toBe('100.000');
      expect(await db.tx((tx) => books.addToBalance(tx, id, '-100.01'))).toBeNull();
      expect(await balanceOf(id)).toBe('100.000');
      expect(await db.tx((tx) => books.addToBalance(tx, id, '-100.00'))).toBe('0.000');
    });

    it('lets a system book run negative (the bank and issuance are the books\' sources)', async () => {
      const bank = await db.tx(async (tx) => Number(await books.openAccount(tx, { system: 'BANK', asset: 'CNY', bucket: 'AVAILABLE' })));
      expect(await db.tx((tx) => books.addToBalance(tx, bank, '-500.00'))).toBe('-500.000');
    });

    it('is backed by a CHECK constraint: even a direct update cannot make a participant balance negative', async () => {
      const id = await openCash();
      expect(await sqlState(db.pool.query('UPDATE ledger_accounts SET balance = -1 WHERE id = $1', [id]))).toBe('23514');
    });

    it('re-checks the condition after waiting for a concurrent debit: two debits of 60 from 100 cannot both pass', async () => {
      const id = await openCash();
      await db.tx((tx) => books.addToBalance(tx, id, '100'));
      const first = holdOpen(db, (tx) => books.addToBalance(tx, id, '-60'));
      expect(await first.ready).toBe('40.000');
      const second = db.tx((tx) => books.addToBalance(tx, id, '-60'));
      await untilOneWaits(db);
      await first.release();
      expect(await second).toBeNull();
      expect(await balanceOf(id)).toBe('40.000');
    });

    it('locks the owners\' available accounts of an asset in id order, holding them until commit', async () => {
      const others = [owner, (await participant(db)).id, (await participant(db)).id];
      const ids: number[] = [];
      for (const who of others) ids.push(await openCash(who));
      const held = holdOpen(db, (tx) => books.lockAvailable(tx, [...others].reverse(), 'CNY'));
      const locked = await held.ready;
      expect(locked.map((a) => a.owner_id)).toEqual(others);
      expect(await blocksOn(db, (tx) => books.addToBalance(tx, ids[1], '1'))).toBe(true);
      await held.release();
      expect(await blocksOn(db, (tx) => books.addToBalance(tx, ids[1], '1'))).toBe(false);
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
  });

  describe('postings', () => {
    const movement = (accountId: number, deltas: string[]): NewPosting[] => {
      const movementId = randomUUID();
      let balance = 0;
      return deltas.map((delta) => ({
        id: randomUUID(), movement_id: movementId, account_id: String(accountId), asset: 'CNY', delta, balance_after: String((balance += Number(delta))),
        reason: 'DEPOSIT', ref_type: 'deposit', ref_id: randomUUID(), hold_id: null,
      }));
    };

    it('writes one movement in one statement: its postings share one created_at', async () => {
      const id = await openCash();
      const at = await db.tx((tx) => books.insertPostings(tx, movement(id, ['10', '5', '2.5'])));
      const stamps = await db.pool.query('SELECT DISTINCT created_at FROM ledger_postings WHERE account_id = $1', [id]);
      expect(stamps).toHaveLength(1);
      expect(new Date(stamps[0].created_at).getTime()).toBe(new Date(at).getTime());
    });

    it('writes the hold a movement opens or draws down in the same statement, or neither', async () => {
      const id = await openCash();
      const hold = { id: randomUUID(), owner_id: owner, asset: 'CNY', amount: '10', ref_type: 'order' as const, ref_id: randomUUID(), parent_hold_id: null };
      await db.tx((tx) => books.insertPostings(tx, movement(id, ['10']).map((p) => ({ ...p, hold_id: hold.id })), { insert: hold }));
      expect(await db.tx((tx) => books.lockHold(tx, hold.id))).toMatchObject({ amount: '10.000', remaining: '10.000', status: 'PENDING' });
      expect(await db.pool.query('SELECT count(*)::int AS n FROM ledger_postings WHERE hold_id = $1', [hold.id])).toEqual([{ n: 1 }]);
      // A draw-down the hold's CHECK refuses takes its postings with it.
      const refused = db.tx((tx) => books.insertPostings(tx, movement(id, ['-3']).map((p) => ({ ...p, hold_id: hold.id })), { save: { id: hold.id, remaining: '0', status: 'PENDING' } }));
      expect(await sqlState(refused)).toBe('23514');
      expect(await db.pool.query('SELECT count(*)::int AS n FROM ledger_postings WHERE hold_id = $1', [hold.id])).toEqual([{ n: 1 }]);
      await db.tx((tx) => books.insertPostings(tx, movement(id, ['-3']).map((p) => ({ ...p, hold_id: hold.id })), { save: { id: hold.id, remaining: '7', status: 'PENDING' } }));
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
      await db.tx((tx) => books.insertPostings(tx, movement(id, ['10'])));
      expect(await sqlState(db.pool.query('UPDATE ledger_postings SET delta = 11 WHERE account_id = $1', [id]))).toBe('42501');
      expect(await sqlState(db.pool.query('DELETE FROM ledger_postings WHERE account_id = $1', [id]))).toBe('42501');
    });

    it('lists a participant\'s entries newest first with their bucket, paging on seq', async () => {
      const id = await openCash();
      await db.tx((tx) => books.insertPostings(tx, movement(id, ['1', '2', '3', '4'])));
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
