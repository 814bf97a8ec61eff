import fc from 'fast-check';
import type Decimal from 'decimal.js';
import { Dec, ZERO } from '../../../src/core/decimal';
import { assetScale } from '../../../src/core/ledger/assets';
import { LedgerModel } from '../../../src/core/ledger/ledger-model';
import { accountLabel, Asset, CASH, Hold, Movement, Result } from '../../../src/core/ledger/ledger.types';
import * as mv from '../../../src/core/ledger/movements';

/**
 * Random journals of every ledger operation over a few owners and two assets, applied the
 * way LedgerService applies them: the pure builder first, then the books, then the hold.
 */

const OWNERS = ['seller', 'buyer', 'reserve', 'operator'] as const;
const MARKET = '150421-SURFACE-2026';
const ASSETS: Asset[] = [CASH, MARKET];
const RUNS = { numRuns: 500 };

type Owner = (typeof OWNERS)[number];

/** Amounts in minor units (fen, litres), sometimes zero, negative or one digit too fine. */
const amountArb = fc.record({
  units: fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 1, max: 3000 }) }, { weight: 1, arbitrary: fc.integer({ min: -3, max: 0 }) }),
  tooFine: fc.oneof({ weight: 12, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
});
type AmountSpec = { units: number; tooFine: boolean };

const toAmount = (asset: Asset, a: AmountSpec): string => {
  const d = new Dec(a.units).div(new Dec(10).pow(assetScale(asset)));
  return a.tooFine ? d.plus(new Dec(10).pow(-(assetScale(asset) + 1)).mul(7)).toFixed() : d.toFixed();
};

/** A share of what a hold has left (so posts and voids mostly fit), or any amount at all. */
const partArb = fc.oneof(
  { weight: 4, arbitrary: fc.record({ percent: fc.integer({ min: 1, max: 70 }) }) },
  { weight: 1, arbitrary: fc.record({ amount: amountArb }) },
);
type PartSpec = { percent: number } | { amount: AmountSpec };

const partOf = (hold: Hold, p: PartSpec): string =>
  'percent' in p ? hold.remaining.mul(p.percent).div(100).toDecimalPlaces(assetScale(hold.asset), Dec.ROUND_DOWN).toFixed() : toAmount(hold.asset, p.amount);

const owner = fc.constantFrom(...OWNERS);
const asset = fc.constantFrom(...ASSETS);
/** Mostly the newest holds, which are the ones likely still pending. */
const holdRef = fc.nat({ max: 12 });

type Step =
  | { kind: 'issue'; owner: Owner; asset: Asset; amount: AmountSpec; scale: number }
  | { kind: 'withdraw'; owner: Owner; amount: AmountSpec }
  | { kind: 'lock'; owner: Owner; asset: Asset; amount: AmountSpec }
  | { kind: 'post'; hold: number; legs: { to: Owner; part: PartSpec; reason: 'SETTLEMENT' | 'FEE' }[] }
  | { kind: 'void'; hold: number; part: PartSpec | null }
  | { kind: 'split'; hold: number; part: PartSpec }
  | { kind: 'transfer'; from: Owner; to: Owner; asset: Asset; amount: AmountSpec };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  // Issuance is scaled up so locks and transfers mostly have something to work with.
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('issue' as const), owner, asset, amount: amountArb, scale: fc.constantFrom(10, 100) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('withdraw' as const), owner, amount: amountArb }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('lock' as const), owner, asset, amount: amountArb }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('post' as const),
      hold: holdRef,
      legs: fc.array(fc.record({ to: owner, part: partArb, reason: fc.constantFrom('SETTLEMENT' as const, 'FEE' as const) }), { minLength: 0, maxLength: 3 }),
    }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('void' as const), hold: holdRef, part: fc.option(partArb, { nil: null, freq: 2 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('split' as const), hold: holdRef, part: partArb }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('transfer' as const), from: owner, to: owner, asset, amount: amountArb }).filter((s) => s.from !== s.to) },
);

class World {
  readonly books = new LedgerModel();
  /** Every hold ever opened, finished ones included, so steps also hit posted and voided holds. */
  readonly holds: Hold[] = [];
  private nextId = 1;

  snapshot(): string {
    const balances = [...this.books.balances.entries()].map(([label, { balance }]) => `${label}=${balance.toFixed()}`).sort();
    const holds = this.holds.map((h) => `${h.id}:${h.owner}:${h.asset}:${h.amount.toFixed()}:${h.remaining.toFixed()}:${h.status}`);
    return JSON.stringify({ balances, holds });
  }

  private open(owner: string, asset: Asset, amount: Decimal): void {
    this.holds.push({ id: `h${this.nextId++}`, owner, asset, amount, remaining: amount, status: 'PENDING' });
  }

  pick(ref: number): Hold | undefined {
    return this.holds.length === 0 ? undefined : this.holds[this.holds.length - 1 - (ref % this.holds.length)];
  }

  private replace(hold: Hold, next: Hold): void {
    this.holds[this.holds.indexOf(hold)] = next;
  }

  private applyMovement(built: Result<Movement>): Result<void> {
    return built.ok ? this.books.apply(built.value) : built;
  }

  /** Returns whether the step was accepted; a refused step must leave everything as it was. */
  run(step: Step): { ok: boolean; code?: string } {
    switch (step.kind) {
      case 'issue': {
        const amount = new Dec(toAmount(step.asset, step.amount)).mul(step.scale).toFixed();
        return this.applyMovement(mv.issue(step.owner, step.asset, amount, step.asset === CASH ? 'DEPOSIT' : 'ALLOCATION'));
      }
      case 'withdraw':
        return this.applyMovement(mv.withdraw(step.owner, CASH, toAmount(CASH, step.amount)));
      case 'transfer':
        return this.applyMovement(mv.transfer(step.from, step.to, step.asset, toAmount(step.asset, step.amount), 'SETTLEMENT'));
      case 'lock': {
        const amount = toAmount(step.asset, step.amount);
        const r = this.applyMovement(mv.lock(step.owner, step.asset, amount));
        if (r.ok) this.open(step.owner, step.asset, new Dec(amount));
        return r;
      }
      case 'post': {
        const hold = this.pick(step.hold);
        if (!hold) return { ok: false, code: 'NO_HOLD' };
        const legs = step.legs.map((l) => ({ to: l.to, amount: partOf(hold, l.part), reason: l.reason }));
        const built = mv.postHold(hold, legs);
        const r = this.applyMovement(built);
        // Locked always covers the hold, so the books never refuse what the builder accepted.
        if (built.ok && !r.ok) throw new Error(`the books refused what the builder accepted: ${r.detail}`);
        if (r.ok) this.replace(hold, mv.drawDown(hold, legs.reduce((s, l) => s.plus(l.amount), ZERO), 'POSTED'));
        return r;
      }
      case 'void': {
        const hold = this.pick(step.hold);
        if (!hold) return { ok: false, code: 'NO_HOLD' };
        const amount = step.part === null ? hold.remaining : new Dec(partOf(hold, step.part));
        const built = step.part === null ? mv.voidHold(hold) : mv.voidHold(hold, amount);
        const r = this.applyMovement(built);
        if (built.ok && !r.ok) throw new Error(`the books refused what the builder accepted: ${r.detail}`);
        if (r.ok) this.replace(hold, mv.drawDown(hold, amount, 'VOIDED'));
        return r;
      }
      case 'split': {
        const hold = this.pick(step.hold);
        if (!hold) return { ok: false, code: 'NO_HOLD' };
        const r = mv.splitHold(hold, partOf(hold, step.part));
        if (!r.ok) return r;
        this.replace(hold, mv.drawDown(hold, r.value, 'POSTED'));
        this.open(hold.owner, hold.asset, r.value);
        return { ok: true };
      }
    }
  }

  /** Throws with the broken invariant; plain checks because this runs after every step. */
  checkInvariants(): void {
    const fail = (what: string) => {
      throw new Error(`${what}\n${this.snapshot()}`);
    };
    for (const a of ASSETS) if (!this.books.assetTotal(a).isZero()) fail(`${a} sums to ${this.books.assetTotal(a).toFixed()}`);
    for (const { key, balance } of this.books.balances.values()) {
      if (key.owner !== undefined && balance.isNegative()) fail(`${accountLabel(key)} is ${balance.toFixed()}`);
      // Nothing finer than a fen or a litre ever gets in.
      if (balance.decimalPlaces() > assetScale(key.asset)) fail(`${accountLabel(key)} is off the grid: ${balance.toFixed()}`);
    }
    const held = new Map<string, Decimal>();
    for (const h of this.holds) {
      if (h.remaining.isNegative() || h.remaining.gt(h.amount)) fail(`hold ${h.id} has ${h.remaining.toFixed()} of ${h.amount.toFixed()} left`);
      if ((h.status === 'PENDING') !== h.remaining.gt(0)) fail(`hold ${h.id} is ${h.status} with ${h.remaining.toFixed()} left`);
      if (h.status === 'PENDING') held.set(`${h.owner}/${h.asset}`, (held.get(`${h.owner}/${h.asset}`) ?? ZERO).plus(h.remaining));
    }
    for (const o of OWNERS) {
      for (const a of ASSETS) {
        const locked = this.books.balance({ owner: o, asset: a, bucket: 'LOCKED' });
        const pending = held.get(`${o}/${a}`) ?? ZERO;
        if (!locked.eq(pending)) fail(`${o}/${a}: LOCKED ${locked.toFixed()} but pending holds ${pending.toFixed()}`);
      }
    }
  }
}

describe('ledger invariants under random journals', () => {
  const accepted = new Map<string, number>();
  const refusedCodes = new Set<string>();

  it('keeps every asset at zero, no participant negative, locked = pending holds, refusals inert', () => {
    fc.assert(
      fc.property(fc.array(stepArb, { minLength: 20, maxLength: 80 }), (steps) => {
        const world = new World();
        for (const step of steps) {
          const before = world.snapshot();
          const r = world.run(step);
          if (r.ok) accepted.set(step.kind, (accepted.get(step.kind) ?? 0) + 1);
          else {
            refusedCodes.add(r.code!);
            const after = world.snapshot();
            if (after !== before) throw new Error(`refused ${JSON.stringify(step)} (${r.code}) changed the books:\n${before}\n${after}`);
          }
          world.checkInvariants();
        }
      }),
      RUNS,
    );
    // The journals must actually exercise each operation, not just refuse them.
    for (const kind of ['issue', 'withdraw', 'lock', 'post', 'void', 'split', 'transfer']) expect(accepted.get(kind) ?? 0).toBeGreaterThan(20);
    expect([...refusedCodes].sort()).toEqual(expect.arrayContaining(['INSUFFICIENT_FUNDS', 'INSUFFICIENT_QUOTA', 'INVALID_AMOUNT', 'INVALID_STATE']));
  });

  it('moves value only between accounts: what owners and system books hold sums to what was issued', () => {
    fc.assert(
      fc.property(fc.array(stepArb, { minLength: 1, maxLength: 60 }), (steps) => {
        const world = new World();
        const issued = new Map<Asset, Decimal>(ASSETS.map((a) => [a, ZERO]));
        for (const step of steps) {
          const r = world.run(step);
          if (r.ok && step.kind === 'issue') {
            issued.set(step.asset, issued.get(step.asset)!.plus(new Dec(toAmount(step.asset, step.amount)).mul(step.scale)));
          }
          if (r.ok && step.kind === 'withdraw') issued.set(CASH, issued.get(CASH)!.minus(toAmount(CASH, step.amount)));
        }
        for (const a of ASSETS) {
          let held = ZERO;
          for (const { key, balance } of world.books.balances.values()) if (key.owner !== undefined && key.asset === a) held = held.plus(balance);
          expect(held.toFixed()).toBe(issued.get(a)!.toFixed());
        }
      }),
      { numRuns: 200 },
    );
  });
});
