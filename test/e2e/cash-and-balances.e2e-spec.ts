// NestJS 12 is ESM-only and cannot load in this process; the ledger's services only need
// its decorators to be inert to run here, on their real transaction helper, against the
// suite's database: holds have no HTTP surface of their own yet.
jest.mock('@nestjs/common', () => ({ Injectable: () => () => undefined, Optional: () => () => undefined }));

import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source';
import { dbRetries, dbStatements } from '../../src/database/db-metrics';
import { Db } from '../../src/database/db.service';
import { AuditRepository } from '../../src/modules/audit/audit.repository';
import { AuditService } from '../../src/modules/audit/audit.service';
import { LedgerAccounts } from '../../src/modules/ledger/ledger-accounts';
import { LedgerRepository } from '../../src/modules/ledger/ledger.repository';
import { LedgerService } from '../../src/modules/ledger/ledger.service';
import { createParticipant, operatorId, Party, seedRegions } from './support/fixtures';
import { withDb } from './support/sql';
import { TRADING_YEAR } from './support/trading';
import { client, startTestApp, TestApp } from './support/test-app';

const ROOT = resolve(__dirname, '../..');

/** `npm run ledger:verify` against the suite's database: exit code and everything it printed. */
function runLedgerVerify(dbUrl: string): Promise<{ code: number; output: string }> {
  return new Promise((ok) => {
    execFile(
      resolve(ROOT, 'node_modules/.bin/ts-node'),
      ['src/scripts/ledger-verify.ts'],
      // Transpile-only: the same program, without type-checking it again on each run (tsc does that).
      { cwd: ROOT, env: { PATH: process.env.PATH ?? '', DATABASE_URL: dbUrl, TS_NODE_TRANSPILE_ONLY: 'true' }, timeout: 30000 },
      (err, stdout, stderr) => ok({ code: err ? Number((err as any).code ?? 1) : 0, output: `${stdout}${stderr}` }),
    );
  });
}

type Settled<T> = { ok: true; value: T } | { ok: false; code: string };
const settle = <T>(p: Promise<T>): Promise<Settled<T>> =>
  p.then((value) => ({ ok: true as const, value }), (err) => ({ ok: false as const, code: String(err?.code ?? err) }));

const tally = (results: { status: number }[]) =>
  results.reduce<Record<number, number>>((acc, r) => ({ ...acc, [r.status]: (acc[r.status] ?? 0) + 1 }), {});

describe('cash and balances', () => {
  let t: TestApp;
  let county: Party; // 150421
  let city: Party; // 150400
  let otherCounty: Party; // 150422
  let baotou: Party; // 150200
  let payer: Party; // an enterprise in 150421
  let other: Party; // another enterprise in 150421
  let opId: string;

  const op = () => client(t, t.adminKey);
  const deposit = (participantId: string, amount: unknown, reference: unknown = `BANK-${randomUUID()}`, headers: Record<string, string> = {}) =>
    op().post(`/v1/participants/${participantId}/deposits`, { amount, reference }, headers);
  const withdraw = (p: Party, amount: unknown, asKey = p.apiKey) => client(t, asKey).post(`/v1/participants/${p.id}/withdrawals`, { amount });
  const cash = async (p: Party) => (await op().get(`/v1/participants/${p.id}/balances`)).body.cash;
  const fresh = () => createParticipant(t, 'ENTERPRISE', '150421');

  const expectLedgerValid = async () => {
    const res = await op().get('/v1/ledger/verify');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ valid: true, accounts: expect.any(Number), postings: expect.any(Number), assets: expect.any(Number), problems: [] });
  };

  beforeAll(async () => {
    t = await startTestApp({ booksLeftInvalid: true });
    await seedRegions(t);
    [county, city, otherCounty, baotou, payer, other] = await Promise.all([
      createParticipant(t, 'REGULATOR', '150421'),
      createParticipant(t, 'REGULATOR', '150400'),
      createParticipant(t, 'REGULATOR', '150422'),
      createParticipant(t, 'REGULATOR', '150200'),
      createParticipant(t, 'ENTERPRISE', '150421'),
      createParticipant(t, 'ENTERPRISE', '150421'),
    ]);
    opId = await operatorId(t);
  });
  afterAll(() => t.close());

  describe('deposits', () => {
    it('lets the operator record a deposit and answers with the ledger entry', async () => {
      const p = await fresh();
      const res = await deposit(p.id, '51000', 'BANK-2026-000123');
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        at: expect.any(String),
        asset: 'CNY',
        account: 'AVAILABLE',
        delta: '51000.00',
        balanceAfter: '51000.00',
        reason: 'DEPOSIT',
        refType: 'deposit',
        refId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      });
      expect(new Date(res.body.at).toISOString()).toBe(res.body.at);
      const second = await deposit(p.id, '0.5');
      expect(second.body).toMatchObject({ delta: '0.50', balanceAfter: '51000.50' });
      expect(await cash(p)).toEqual({ available: '51000.50', locked: '0.00' });
      await expectLedgerValid();
    });

    it('opens the participant\'s locked cash account with its first deposit, empty, so its first order opens none', async () => {
      const p = await fresh();
      const accounts = () => withDb(t, async (db) => (await db.query(`SELECT bucket, balance::text FROM ledger_accounts WHERE owner_id = $1 AND asset = 'CNY' ORDER BY bucket`, [p.id])).rows);
      expect(await accounts()).toEqual([]);
      await deposit(p.id, '12.00');
      expect(await accounts()).toEqual([{ bucket: 'AVAILABLE', balance: '12.000' }, { bucket: 'LOCKED', balance: '0.000' }]);
      await expectLedgerValid();
    });

    it('refuses deposits by anyone but the operator with 403', async () => {
      for (const key of [payer.apiKey, county.apiKey, city.apiKey]) {
        const res = await client(t, key).post(`/v1/participants/${payer.id}/deposits`, { amount: '10', reference: `X-${randomUUID()}` });
        expect(res.status).toBe(403);
        expect(res.body.code).toBe('FORBIDDEN');
      }
      expect((await client(t).post(`/v1/participants/${payer.id}/deposits`, { amount: '10', reference: 'X' })).status).toBe(401);
      expect((await deposit(randomUUID(), '10')).status).toBe(404);
    });

    it('credits a bank reference once per participant: a repeat is 409 DUPLICATE', async () => {
      const [p, q] = await Promise.all([fresh(), fresh()]);
      expect((await deposit(p.id, '100', 'BANK-REF-7')).status).toBe(201);
      const again = await deposit(p.id, '100', 'BANK-REF-7');
      expect(again.status).toBe(409);
      expect(again.body.code).toBe('DUPLICATE');
      // The reference is the bank's statement line for that participant, not global.
      expect((await deposit(q.id, '100', 'BANK-REF-7')).status).toBe(201);
      expect(await cash(p)).toEqual({ available: '100.00', locked: '0.00' });
    });

    it('credits a bank reference once even when the same line is posted twice at once', async () => {
      const p = await fresh();
      const results = await Promise.all(Array.from({ length: 5 }, () => deposit(p.id, '10', 'BANK-RACE-1')));
      expect(tally(results)).toEqual({ 201: 1, 409: 4 });
      for (const r of results.filter((x) => x.status === 409)) expect(r.body.code).toBe('DUPLICATE');
      expect((await cash(p)).available).toBe('10.00');
    });

    it('replays a retried deposit with the same Idempotency-Key and credits once', async () => {
      const p = await fresh();
      const key = `dep-${randomUUID()}`;
      const first = await deposit(p.id, '250.25', 'BANK-IDEM-1', { 'Idempotency-Key': key });
      const retry = await deposit(p.id, '250.25', 'BANK-IDEM-1', { 'Idempotency-Key': key });
      expect(first.status).toBe(201);
      expect(retry.status).toBe(201);
      expect(retry.body).toEqual(first.body);
      expect(retry.headers['idempotent-replayed']).toBe('true');
      expect((await cash(p)).available).toBe('250.25');
      const entries = (await op().get(`/v1/participants/${p.id}/ledger`)).body.items;
      expect(entries).toHaveLength(1);
      // The same key with another body is refused, and credits nothing.
      const reused = await deposit(p.id, '999', 'BANK-IDEM-2', { 'Idempotency-Key': key });
      expect(reused.status).toBe(409);
      expect(reused.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
      expect((await cash(p)).available).toBe('250.25');
    });

    it('replays concurrent retries of one deposit as one credit', async () => {
      const p = await fresh();
      const key = `dep-${randomUUID()}`;
      const results = await Promise.all(Array.from({ length: 4 }, () => deposit(p.id, '40', 'BANK-IDEM-RACE', { 'Idempotency-Key': key })));
      expect(results.map((r) => r.status)).toEqual([201, 201, 201, 201]);
      expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
      expect((await cash(p)).available).toBe('40.00');
    });

    it.each([
      ['amount', '1.005'],
      ['amount', 51000],
      ['amount', '0'],
      ['amount', '0.00'],
      ['amount', '-1'],
      ['amount', '1e3'],
      ['amount', ' 10'],
      ['amount', '1000000000000000'],
      ['amount', null],
    ])('refuses a bad %s (%j) with 400', async (field, amount) => {
      const res = await deposit(payer.id, amount);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.errors.map((e: any) => e.field)).toContain(field);
    });

    it('refuses a missing or empty reference and unknown fields with 400', async () => {
      for (const body of [{ amount: '1' }, { amount: '1', reference: '' }, { amount: '1', reference: 7 }, { amount: '1', reference: 'R', memo: 'x' }]) {
        const res = await op().post(`/v1/participants/${payer.id}/deposits`, body);
        expect(res.status).toBe(400);
      }
    });
  });

  describe('withdrawals', () => {
    it('lets the participant withdraw its available cash', async () => {
      const p = await fresh();
      await deposit(p.id, '1000');
      const res = await withdraw(p, '250.10');
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ asset: 'CNY', account: 'AVAILABLE', delta: '-250.10', balanceAfter: '749.90', reason: 'WITHDRAWAL', refType: 'withdrawal' });
      // Everything that is left may go, to the fen.
      expect((await withdraw(p, '749.90')).body.balanceAfter).toBe('0.00');
      expect(await cash(p)).toEqual({ available: '0.00', locked: '0.00' });
      await expectLedgerValid();
    });

    it('refuses a withdrawal beyond available cash with 409 INSUFFICIENT_FUNDS, changing nothing', async () => {
      const p = await fresh();
      await deposit(p.id, '100');
      const res = await withdraw(p, '100.01');
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('INSUFFICIENT_FUNDS');
      expect((await cash(p)).available).toBe('100.00');
      const never = await fresh();
      expect((await withdraw(never, '0.01')).body.code).toBe('INSUFFICIENT_FUNDS');
    });

    it('lets no one else withdraw, not even the operator', async () => {
      const p = await fresh();
      await deposit(p.id, '100');
      for (const key of [t.adminKey, other.apiKey, county.apiKey]) {
        const res = await withdraw(p, '1', key);
        expect(res.status).toBe(403);
        expect(res.body.code).toBe('FORBIDDEN');
      }
      expect((await cash(p)).available).toBe('100.00');
    });

    it.each([['1.001'], [10], ['0'], ['-5'], ['abc']])('refuses amount %j with 400', async (amount) => {
      const res = await withdraw(payer, amount);
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: any) => e.field)).toEqual(['amount']);
    });

    it('never overdraws under 50 concurrent withdrawals', async () => {
      const p = await fresh();
      await deposit(p.id, '1000.00');
      const results = await Promise.all(Array.from({ length: 50 }, () => withdraw(p, '30.00')));
      // floor(1000 / 30) = 33 fit; 10.00 stays.
      expect(tally(results)).toEqual({ 201: 33, 409: 17 });
      for (const r of results.filter((x) => x.status === 409)) expect(r.body.code).toBe('INSUFFICIENT_FUNDS');
      expect(await cash(p)).toEqual({ available: '10.00', locked: '0.00' });
      // Each success saw a different balance: the chain 970.00, 940.00 … 10.00, with no gaps.
      const after = results.filter((r) => r.status === 201).map((r) => r.body.balanceAfter).sort((a, b) => Number(b) - Number(a));
      expect(after).toEqual(Array.from({ length: 33 }, (_, i) => (970 - 30 * i).toFixed(2)));
      await expectLedgerValid();
    });

    it('keeps the books when deposits and withdrawals of one participant race', async () => {
      const p = await fresh();
      await deposit(p.id, '100.00');
      const results = await Promise.all(
        Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? deposit(p.id, '10.00') : withdraw(p, '25.00'))),
      );
      const deposits = results.filter((_, i) => i % 2 === 0);
      const withdrawals = results.filter((_, i) => i % 2 === 1);
      expect(tally(deposits)).toEqual({ 201: 20 });
      expect(withdrawals.every((r) => r.status === 201 || (r.status === 409 && r.body.code === 'INSUFFICIENT_FUNDS'))).toBe(true);
      const paid = withdrawals.filter((r) => r.status === 201).length;
      expect((await cash(p)).available).toBe((300 - 25 * paid).toFixed(2));
      await expectLedgerValid();
    });
  });

  describe('balances and ledger pages', () => {
    let holder: Party;
    let allocationId: string;

    beforeAll(async () => {
      holder = await fresh();
      const right = await client(t, county.apiKey).post('/v1/rights', {
        holderId: holder.id, regionCode: '150421', source: 'SURFACE', useType: 'INDUSTRY', annualVolume: '100000',
        validFrom: `${TRADING_YEAR}-01-01`, validTo: `${TRADING_YEAR + 4}-12-31`, permitNo: `D-CB-${process.pid}`,
      });
      expect(right.status).toBe(201);
      await deposit(holder.id, '51000', 'BANK-HOLDER-1');
      const alloc = await client(t, county.apiKey).post(`/v1/rights/${right.body.id}/allocations`, { year: TRADING_YEAR, volume: '60000' });
      expect(alloc.status).toBe(201);
      allocationId = alloc.body.id;
      await deposit(holder.id, '0.01', 'BANK-HOLDER-2');
      await withdraw(holder, '1000');
      await client(t, county.apiKey).post(`/v1/rights/${right.body.id}/allocations`, { year: TRADING_YEAR, volume: '0.5' });
    });

    it('shows cash and quota, available and locked', async () => {
      const res = await client(t, holder.apiKey).get(`/v1/participants/${holder.id}/balances`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        cash: { available: '50000.01', locked: '0.00' },
        quota: [{ marketId: `150421-SURFACE-${TRADING_YEAR}`, regionCode: '150421', source: 'SURFACE', year: TRADING_YEAR, available: '60000.5', locked: '0' }],
      });
    });

    it('shows a participant with nothing as zeros', async () => {
      const p = await fresh();
      expect((await client(t, p.apiKey).get(`/v1/participants/${p.id}/balances`)).body).toEqual({ cash: { available: '0.00', locked: '0.00' }, quota: [] });
      expect((await client(t, p.apiKey).get(`/v1/participants/${p.id}/ledger`)).body).toEqual({ items: [], nextCursor: null });
    });

    it('lists entries newest first with exact deltas, balances after, reasons and references', async () => {
      const res = await client(t, holder.apiKey).get(`/v1/participants/${holder.id}/ledger`);
      expect(res.status).toBe(200);
      expect(res.body.nextCursor).toBeNull();
      const rows = res.body.items.map((e: any) => [e.asset, e.account, e.delta, e.balanceAfter, e.reason, e.refType]);
      expect(rows).toEqual([
        [`150421-SURFACE-${TRADING_YEAR}`, 'AVAILABLE', '0.5', '60000.5', 'ALLOCATION', 'allocation'],
        ['CNY', 'AVAILABLE', '-1000.00', '50000.01', 'WITHDRAWAL', 'withdrawal'],
        ['CNY', 'AVAILABLE', '0.01', '51000.01', 'DEPOSIT', 'deposit'],
        [`150421-SURFACE-${TRADING_YEAR}`, 'AVAILABLE', '60000', '60000', 'ALLOCATION', 'allocation'],
        ['CNY', 'AVAILABLE', '51000.00', '51000.00', 'DEPOSIT', 'deposit'],
      ]);
      expect(res.body.items[3].refId).toBe(allocationId);
      const times = res.body.items.map((e: any) => e.at);
      expect([...times].sort().reverse()).toEqual(times);
    });

    it('filters by asset', async () => {
      const cashOnly = (await client(t, holder.apiKey).get(`/v1/participants/${holder.id}/ledger?asset=CNY`)).body.items;
      expect(cashOnly.map((e: any) => e.delta)).toEqual(['-1000.00', '0.01', '51000.00']);
      const quota = (await client(t, holder.apiKey).get(`/v1/participants/${holder.id}/ledger?asset=150421-SURFACE-${TRADING_YEAR}`)).body.items;
      expect(quota.map((e: any) => e.delta)).toEqual(['0.5', '60000']);
      expect((await client(t, holder.apiKey).get(`/v1/participants/${holder.id}/ledger?asset=USD`)).status).toBe(400);
    });

    it('pages with a cursor without skipping or repeating an entry', async () => {
      const all = (await client(t, holder.apiKey).get(`/v1/participants/${holder.id}/ledger`)).body.items.map((e: any) => e.id);
      const first = await client(t, holder.apiKey).get(`/v1/participants/${holder.id}/ledger?limit=2`);
      expect(first.body.items).toHaveLength(2);
      expect(first.body.nextCursor).toEqual(expect.any(String));
      const seen: string[] = [...first.body.items.map((e: any) => e.id)];
      let cursor: string | null = first.body.nextCursor;
      while (cursor) {
        const page: any = await client(t, holder.apiKey).get(`/v1/participants/${holder.id}/ledger?limit=2&cursor=${cursor}`);
        expect(page.status).toBe(200);
        seen.push(...page.body.items.map((e: any) => e.id));
        cursor = page.body.nextCursor;
      }
      expect(seen).toEqual(all);
      // Exactly limit entries left: the last full page says there is no more.
      const exact = await client(t, holder.apiKey).get(`/v1/participants/${holder.id}/ledger?limit=5`);
      expect(exact.body.nextCursor).toBeNull();
    });

    it('refuses bad paging with 400, never 500', async () => {
      const forged = (key: unknown[]) => Buffer.from(JSON.stringify(key)).toString('base64url');
      for (const q of ['limit=0', 'limit=501', 'limit=-1', 'cursor=%%%', 'cursor=bm9wZQ', `cursor=${forged(['abc'])}`, `cursor=${forged([{}])}`, `cursor=${forged(['1', '2'])}`]) {
        const res = await client(t, holder.apiKey).get(`/v1/participants/${holder.id}/ledger?${q}`);
        expect({ q, status: res.status }).toEqual({ q, status: 400 });
      }
    });

    it('is read by the participant, the operator and regulators with jurisdiction', async () => {
      for (const key of [holder.apiKey, t.adminKey, county.apiKey, city.apiKey]) {
        expect((await client(t, key).get(`/v1/participants/${holder.id}/balances`)).status).toBe(200);
        expect((await client(t, key).get(`/v1/participants/${holder.id}/ledger`)).status).toBe(200);
      }
    });

    it('is refused to other participants and regulators elsewhere with 403', async () => {
      for (const key of [other.apiKey, otherCounty.apiKey, baotou.apiKey]) {
        for (const path of ['balances', 'ledger']) {
          const res = await client(t, key).get(`/v1/participants/${holder.id}/${path}`);
          expect(res.status).toBe(403);
          expect(res.body.code).toBe('FORBIDDEN');
        }
      }
      expect((await client(t).get(`/v1/participants/${holder.id}/balances`)).status).toBe(401);
      expect((await op().get(`/v1/participants/${randomUUID()}/balances`)).status).toBe(404);
      expect((await op().get(`/v1/participants/${randomUUID()}/ledger`)).status).toBe(404);
    });

    it('shows the operator its own cash too', async () => {
      expect((await op().get(`/v1/participants/${opId}/balances`)).body.cash).toEqual({ available: '0.00', locked: '0.00' });
    });
  });

  describe('two-phase holds racing on the same funds', () => {
    let dataSource: DataSource;
    let db: Db;
    let ledger: LedgerService;
    beforeAll(async () => {
      dataSource = new DataSource(dataSourceOptions(t.dbUrl, { poolSize: 12 }));
      await dataSource.initialize();
      db = new Db(dataSource);
      const books = new LedgerRepository();
      ledger = new LedgerService(db, new LedgerAccounts(db, books), books, new AuditService(db, new AuditRepository()));
    });
    afterAll(() => dataSource?.destroy());

    const ref = () => ({ refType: 'order' as const, refId: randomUUID(), actorId: null });
    const lockCash = (owner: string, amount: string) => db.rootTransaction((tx) => ledger.lock(tx, owner, 'CNY', amount, ref()));
    const voidHold = (holdId: string) => settle(db.rootTransaction((tx) => ledger.void(tx, holdId, ref())));

    it('voids a hold once when two voids race; the loser is a state conflict', async () => {
      const p = await fresh();
      await deposit(p.id, '100.00');
      const hold = await lockCash(p.id, '60.00');
      expect(await cash(p)).toEqual({ available: '40.00', locked: '60.00' });
      const results = await Promise.all([voidHold(hold.id), voidHold(hold.id), voidHold(hold.id)]);
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect(results.filter((r) => !r.ok).map((r) => (r as any).code)).toEqual(['INVALID_STATE', 'INVALID_STATE']);
      expect(await cash(p)).toEqual({ available: '100.00', locked: '0.00' });
      await expectLedgerValid();
    });

    it('settles or returns a hold, never both, when a post and a void race', async () => {
      const [buyer, seller] = await Promise.all([fresh(), fresh()]);
      await deposit(buyer.id, '100.00');
      const hold = await lockCash(buyer.id, '100.00');
      const post = settle(db.rootTransaction((tx) => ledger.post(tx, hold.id, [
        { to: seller.id, amount: '99.50', reason: 'SETTLEMENT' },
        { to: opId, amount: '0.50', reason: 'FEE' },
      ], ref())));
      const [posted, voided] = await Promise.all([post, voidHold(hold.id)]);
      expect([posted.ok, voided.ok].filter(Boolean)).toHaveLength(1);
      expect((posted.ok ? voided : posted) as any).toMatchObject({ ok: false, code: 'INVALID_STATE' });
      if (posted.ok) {
        expect(await cash(buyer)).toEqual({ available: '0.00', locked: '0.00' });
        expect(await cash(seller)).toEqual({ available: '99.50', locked: '0.00' });
      } else {
        expect(await cash(buyer)).toEqual({ available: '100.00', locked: '0.00' });
        expect(await cash(seller)).toEqual({ available: '0.00', locked: '0.00' });
      }
      await expectLedgerValid();
    });

    it('resolves a lock racing the void that would fund it to one consistent outcome', async () => {
      const p = await fresh();
      await deposit(p.id, '100.00');
      for (let round = 0; round < 5; round++) {
        const hold = await lockCash(p.id, '60.00');
        // 40.00 is available; the new lock of 100.00 fits only if the void lands first.
        const [locked, voided] = await Promise.all([settle(lockCash(p.id, '100.00')), voidHold(hold.id)]);
        expect(voided.ok).toBe(true);
        if (locked.ok) {
          expect(await cash(p)).toEqual({ available: '0.00', locked: '100.00' });
          await db.rootTransaction((tx) => ledger.void(tx, locked.value.id, ref()));
        } else {
          expect(locked.code).toBe('INSUFFICIENT_FUNDS');
        }
        expect(await cash(p)).toEqual({ available: '100.00', locked: '0.00' });
      }
      await expectLedgerValid();
    });

    it('opens an account two transactions want at once without a deadlock: the second runs again once the first has committed, however long it takes', async () => {
      const [a, b, c] = await Promise.all([fresh(), fresh(), fresh()]);
      // C's available account opened alone, as accounts were before each opened with its
      // locked twin: C's LOCKED account is then first opened by a hold, inside a transaction.
      await db.rootTransaction((tx) => new LedgerRepository().openAccount(tx, { owner: c.id, asset: 'CNY', bucket: 'AVAILABLE' }));
      await Promise.all([deposit(a.id, '10.00'), deposit(b.id, '10.00'), deposit(c.id, '100.00')]);
      const retried = async (code: string) => (await dbRetries.get()).values.find((v) => v.labels.code === code)?.value ?? 0;
      const [transientBefore, deadlocksBefore] = [await retried('transient'), await retried('40P01')];
      let letGo!: () => void;
      const gate = new Promise<void>((ok) => (letGo = ok));
      let opened!: () => void;
      const firstOpened = new Promise<void>((ok) => (opened = ok));
      // The first holds A's cash, opens C's LOCKED account with C's first lock, and then takes B's cash.
      const first = db.rootTransaction(async (tx) => {
        await ledger.lockAccountsOf(tx, [a.id], ['CNY']);
        const hold = await ledger.lock(tx, c.id, 'CNY', '30.00', ref());
        opened();
        await gate;
        await ledger.lockAccountsOf(tx, [b.id], ['CNY']);
        return hold;
      });
      await firstOpened;
      // The second holds B's cash and then wants C's LOCKED account too. Waiting on the first's
      // unfinished open, it would close a cycle PostgreSQL breaks only after deadlock_timeout.
      const second = db.rootTransaction(async (tx) => {
        await ledger.lockAccountsOf(tx, [b.id], ['CNY']);
        return ledger.lock(tx, c.id, 'CNY', '20.00', ref());
      });
      for (let i = 0; i < 300 && (await retried('transient')) === transientBefore; i++) await new Promise((ok) => setTimeout(ok, 10));
      // Longer than every backoff of five attempts together: the second waits for the open it met.
      await new Promise((ok) => setTimeout(ok, 600));
      letGo();
      await Promise.all([first, second]);
      expect(await retried('transient')).toBe(transientBefore + 1);
      expect(await retried('40P01')).toBe(deadlocksBefore);
      expect(await cash(c)).toEqual({ available: '50.00', locked: '50.00' });
      await expectLedgerValid();
    });

    it('answers the available cash of accounts the transaction holds from what it locked and moved, and reads it again after a savepoint rolled back', async () => {
      const [p, empty] = await Promise.all([fresh(), fresh()]);
      await deposit(p.id, '100.00');
      const statements = async () => (await dbStatements.get()).values.reduce((sum, v) => sum + v.value, 0);
      const books = new LedgerRepository();
      const seen = await db.rootTransaction(async (tx) => {
        await ledger.lockAccountsOf(tx, [p.id, empty.id], ['CNY']);
        await ledger.lock(tx, p.id, 'CNY', '30.00', ref());
        let before = await statements();
        const held = await ledger.lockAvailable(tx, [p.id, empty.id], 'CNY');
        const heldSent = (await statements()) - before;
        const read = await books.lockAvailable(tx, [p.id], 'CNY');
        await db.savepoint(tx, 'probe', async () => {
          await ledger.lock(tx, p.id, 'CNY', '10.00', ref());
          throw new Error('rolled back on purpose');
        }).catch(() => undefined);
        before = await statements();
        const after = await ledger.lockAvailable(tx, [p.id], 'CNY');
        return { held, heldSent, read, after, afterSent: (await statements()) - before };
      });
      expect([...seen.held].map(([owner, b]) => [owner, b.toFixed(2)])).toEqual([[p.id, '70.00']]);
      expect(seen.heldSent).toBe(0);
      expect(seen.read.map((r) => r.balance)).toEqual(['70.000']);
      expect(seen.after.get(p.id)?.toFixed(2)).toBe('70.00');
      expect(seen.afterSent).toBe(1);
      expect(await cash(p)).toEqual({ available: '70.00', locked: '30.00' });
    });

    it('never locks more than is available under 20 concurrent locks', async () => {
      const p = await fresh();
      await deposit(p.id, '100.00');
      const results = await Promise.all(Array.from({ length: 20 }, () => settle(lockCash(p.id, '30.00'))));
      expect(results.filter((r) => r.ok)).toHaveLength(3);
      expect(new Set(results.filter((r) => !r.ok).map((r) => (r as any).code))).toEqual(new Set(['INSUFFICIENT_FUNDS']));
      expect(await cash(p)).toEqual({ available: '10.00', locked: '90.00' });
      await expectLedgerValid();
    });
  });

  describe('verification', () => {
    it('is for the operator only', async () => {
      for (const key of [payer.apiKey, county.apiKey]) expect((await client(t, key).get('/v1/ledger/verify')).status).toBe(403);
      expect((await client(t).get('/v1/ledger/verify')).status).toBe(401);
      await expectLedgerValid();
    });

    it('refuses to edit or delete postings', async () => {
      await withDb(t, async (db) => {
        await expect(db.query('UPDATE ledger_postings SET delta = delta + 1 WHERE seq = (SELECT min(seq) FROM ledger_postings)')).rejects.toThrow(/immutable/);
        await expect(db.query('DELETE FROM ledger_postings WHERE seq = (SELECT min(seq) FROM ledger_postings)')).rejects.toThrow(/immutable/);
        await expect(db.query(`UPDATE ledger_postings SET reason = 'FEE'`)).rejects.toMatchObject({ code: '42501' });
      });
    });

    it('npm run ledger:verify proves the books, and names an account whose cached balance drifts', async () => {
      const clean = await runLedgerVerify(t.dbUrl);
      expect(clean).toEqual({ code: 0, output: expect.stringMatching(/^ledger OK: \d+ accounts, \d+ postings, \d+ assets, 0 problems$/m) });

      const p = await fresh();
      await deposit(p.id, '75.00');
      const account = `${p.id}/CNY/AVAILABLE`;
      await withDb(t, (db) => db.query(`UPDATE ledger_accounts SET balance = balance + 1 WHERE owner_id = $1 AND asset = 'CNY' AND bucket = 'AVAILABLE'`, [p.id]));
      try {
        const broken = await runLedgerVerify(t.dbUrl);
        expect(broken.code).toBe(1);
        expect(broken.output).toContain(`MISMATCH ACCOUNT_BALANCE ${account}`);
        expect(broken.output).toContain('ledger INVALID');
        expect(broken.output).toMatch(/MISMATCH ASSET_SUM CNY/);

        const api = await op().get('/v1/ledger/verify');
        expect(api.body.valid).toBe(false);
        expect(api.body.problems).toEqual(expect.arrayContaining([expect.objectContaining({ check: 'ACCOUNT_BALANCE', account })]));
      } finally {
        await withDb(t, (db) => db.query(`UPDATE ledger_accounts SET balance = balance - 1 WHERE owner_id = $1 AND asset = 'CNY' AND bucket = 'AVAILABLE'`, [p.id]));
      }
      await expectLedgerValid();
    }, 30000);

    it('names an account whose earlier balanceAfter was rewritten behind the service', async () => {
      const p = await fresh();
      await deposit(p.id, '10.00');
      await deposit(p.id, '5.00');
      const account = `${p.id}/CNY/AVAILABLE`;
      const rewrite = (sql: string) => withDb(t, async (db) => {
        await db.query('ALTER TABLE ledger_postings DISABLE TRIGGER USER');
        try {
          await db.query(sql, [p.id]);
        } finally {
          await db.query('ALTER TABLE ledger_postings ENABLE TRIGGER USER');
        }
      });
      const first = `SELECT min(seq) FROM ledger_postings lp JOIN ledger_accounts a ON a.id = lp.account_id WHERE a.owner_id = $1 AND a.bucket = 'AVAILABLE'`;
      await rewrite(`UPDATE ledger_postings SET balance_after = balance_after + 1 WHERE seq = (${first})`);
      try {
        const res = await op().get('/v1/ledger/verify');
        expect(res.body.valid).toBe(false);
        expect(res.body.problems).toEqual([expect.objectContaining({ check: 'BALANCE_AFTER', account })]);
      } finally {
        await rewrite(`UPDATE ledger_postings SET balance_after = balance_after - 1 WHERE seq = (${first})`);
      }
      await expectLedgerValid();
    });

    it('names an owner whose locked balance is not backed by pending holds', async () => {
      const p = await fresh();
      await deposit(p.id, '5.00');
      // Move cash into LOCKED behind the ledger's back, in balanced rows, with no hold.
      await withDb(t, async (db) => {
        await db.query('BEGIN');
        // The deposit opened the LOCKED account with the AVAILABLE one.
        const { rows } = await db.query(`SELECT id FROM ledger_accounts WHERE owner_id = $1 AND asset = 'CNY' AND bucket = 'LOCKED'`, [p.id]);
        const [{ id: availableId }] = (await db.query(`SELECT id FROM ledger_accounts WHERE owner_id = $1 AND asset = 'CNY' AND bucket = 'AVAILABLE'`, [p.id])).rows;
        const movement = randomUUID();
        const ref = randomUUID();
        await db.query(
          `INSERT INTO ledger_postings (id, movement_id, account_id, asset, delta, balance_after, reason, ref_type, ref_id)
           VALUES ($1, $2, $3, 'CNY', -5, 0, 'LOCK', 'order', $4), ($5, $2, $6, 'CNY', 5, 5, 'LOCK', 'order', $4)`,
          [randomUUID(), movement, availableId, ref, randomUUID(), rows[0].id],
        );
        await db.query('UPDATE ledger_accounts SET balance = balance - 5 WHERE id = $1', [availableId]);
        await db.query('UPDATE ledger_accounts SET balance = balance + 5 WHERE id = $1', [rows[0].id]);
        await db.query('COMMIT');
      });
      const res = await op().get('/v1/ledger/verify');
      expect(res.body.valid).toBe(false);
      expect(res.body.problems).toEqual([expect.objectContaining({ check: 'HOLDS_VS_LOCKED', account: `${p.id}/CNY/LOCKED` })]);
      const cli = await runLedgerVerify(t.dbUrl);
      expect(cli.code).toBe(1);
      expect(cli.output).toContain(`MISMATCH HOLDS_VS_LOCKED ${p.id}/CNY/LOCKED`);
    }, 30000);
  });
});
