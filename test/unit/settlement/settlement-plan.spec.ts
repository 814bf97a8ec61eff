import fc from 'fast-check';
import { buyOrderLock, tradeAmounts } from '../../../src/core/settlement/trade-amounts';

/**
 * The oracle works in integer base units with BigInt, apart from decimal.js: price ticks of
 * 0.0001 CNY, litres, fen, and fee rates in millionths (API.md allows 6 decimals).
 */
const roundHalfUpDiv = (n: bigint, d: bigint): bigint => (2n * n + d) / (2n * d);
const RATE_UNITS = 1_000_000n;

const price = (ticks: bigint) => fixed(ticks, 4);
const volume = (litres: bigint) => fixed(litres, 3);
const rate = (millionths: bigint) => fixed(millionths, 6);
const fen = (value: { toFixed: (dp: number) => string }) => BigInt(value.toFixed(2).replace('.', ''));

function fixed(units: bigint, scale: number): string {
  const s = units.toString().padStart(scale + 1, '0');
  return `${s.slice(0, -scale)}.${s.slice(-scale)}`;
}

/** amount = round_half_up(price × volume, 2); fee = round_half_up(amount × feeRate, 2) (DOMAIN.md, Money). */
function oracle(ticks: bigint, litres: bigint, millionths: bigint) {
  const amount = roundHalfUpDiv(ticks * litres, 100_000n); // ticks × litres is in 1e-7 CNY
  const fee = roundHalfUpDiv(amount * millionths, RATE_UNITS);
  return { amount, fee };
}

// Up to the order limits the service accepts: 10^8 CNY/m³ and 10^12 m³.
const ticksArb = fc.oneof(fc.bigInt({ min: 1n, max: 100_000n }), fc.bigInt({ min: 1n, max: 1_000_000_000_000n }));
const litresArb = fc.oneof(fc.bigInt({ min: 1n, max: 10_000_000n }), fc.bigInt({ min: 1n, max: 1_000_000_000_000_000n }));
const rateArb = fc.oneof(
  fc.constantFrom(0n, 5_000n, 3_000n, 2_500n, 1n, 999_999n),
  fc.bigInt({ min: 0n, max: RATE_UNITS - 1n }),
);

describe('trade amounts (settlement plan)', () => {
  it('settles the contract example: 60000 m³ at 0.85 with a 0.5 % fee', () => {
    const m = tradeAmounts('0.85', '60000', '0.005');
    expect([m.amount, m.buyerFee, m.sellerFee, m.buyerPays, m.sellerGets, m.feeIncome].map((d) => d.toFixed(2)))
      .toEqual(['51000.00', '255.00', '255.00', '51255.00', '50745.00', '510.00']);
  });

  it('rounds half up, for the amount and for each fee', () => {
    const m = tradeAmounts('0.01', '0.5', '0.005'); // 0.005 → 0.01; fee 0.00005 → 0.00
    expect([m.amount.toFixed(2), m.buyerFee.toFixed(2), m.buyerPays.toFixed(2), m.sellerGets.toFixed(2)]).toEqual(['0.01', '0.00', '0.01', '0.01']);
    const f = tradeAmounts('1', '1', '0.005'); // fee exactly half a fen: 0.005 → 0.01
    expect([f.buyerFee.toFixed(2), f.sellerGets.toFixed(2), f.buyerPays.toFixed(2), f.feeIncome.toFixed(2)]).toEqual(['0.01', '0.99', '1.01', '0.02']);
    const tiny = tradeAmounts('0.0001', '0.001', '0.5'); // 1e-7 CNY rounds to nothing
    expect([tiny.amount, tiny.buyerPays, tiny.sellerGets, tiny.feeIncome].map((d) => d.toFixed(2))).toEqual(['0.00', '0.00', '0.00', '0.00']);
  });

  it('conserves cash to the fen: buyerPays = sellerGets + feeIncome, for any price, volume and fee rate', () => {
    fc.assert(
      fc.property(ticksArb, litresArb, rateArb, (ticks, litres, millionths) => {
        const m = tradeAmounts(price(ticks), volume(litres), rate(millionths));
        const figures = [m.amount, m.buyerFee, m.sellerFee, m.buyerPays, m.sellerGets, m.feeIncome];
        return (
          figures.every((d) => d.decimalPlaces() <= 2 && !d.isNegative()) &&
          m.buyerPays.eq(m.sellerGets.plus(m.feeIncome)) &&
          m.buyerPays.minus(m.buyerFee).eq(m.amount) &&
          m.sellerGets.plus(m.sellerFee).eq(m.amount) &&
          m.feeIncome.eq(m.buyerFee.plus(m.sellerFee)) &&
          m.sellerFee.lte(m.amount)
        );
      }),
      { numRuns: 1000 },
    );
  });

  it('matches integer arithmetic in fen exactly', () => {
    fc.assert(
      fc.property(ticksArb, litresArb, rateArb, (ticks, litres, millionths) => {
        const m = tradeAmounts(price(ticks), volume(litres), rate(millionths));
        const o = oracle(ticks, litres, millionths);
        expect([m.amount, m.buyerFee, m.sellerFee, m.buyerPays, m.sellerGets, m.feeIncome].map(fen))
          .toEqual([o.amount, o.fee, o.fee, o.amount + o.fee, o.amount - o.fee, 2n * o.fee]);
      }),
      { numRuns: 1000 },
    );
  });

  it('conserves cash across any split of one trade into fills: each fill balances on its own', () => {
    fc.assert(
      fc.property(ticksArb, fc.array(fc.bigInt({ min: 1n, max: 10_000_000n }), { minLength: 1, maxLength: 8 }), rateArb, (ticks, fills, millionths) => {
        let paid = 0n;
        let received = 0n;
        for (const litres of fills) {
          const m = tradeAmounts(price(ticks), volume(litres), rate(millionths));
          paid += fen(m.buyerPays);
          received += fen(m.sellerGets) + fen(m.feeIncome);
        }
        expect(received).toBe(paid);
      }),
    );
  });

  it('keeps a buy order\'s lock within a fen of what a single full fill takes from it', () => {
    fc.assert(
      fc.property(ticksArb, litresArb, rateArb, (ticks, litres, millionths) => {
        const lock = fen(buyOrderLock(price(ticks), volume(litres), rate(millionths)));
        const pays = fen(tradeAmounts(price(ticks), volume(litres), rate(millionths)).buyerPays);
        expect(lock - pays <= 1n && pays - lock <= 1n).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('shows why fills may need more than the lock: BUY 2 @ 0.01 filled 1.5 + 0.5 (DOMAIN.md)', () => {
    expect(buyOrderLock('0.01', '2', '0').toFixed(2)).toBe('0.02');
    const first = tradeAmounts('0.01', '1.5', '0').buyerPays;
    const second = tradeAmounts('0.01', '0.5', '0').buyerPays;
    expect([first.toFixed(2), second.toFixed(2), first.plus(second).toFixed(2)]).toEqual(['0.02', '0.01', '0.03']);
  });
});
