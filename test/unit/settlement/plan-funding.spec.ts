import fc from 'fast-check';
import type Decimal from 'decimal.js';
import { Dec } from '../../../src/core/decimal';
import { litresToVolume, OrderBook, ticksToPrice, type Fill, type RestingOrder, type Side, type TimeInForce } from '../../../src/core/matching';
import { applyFundingPlan, planFunding, type FundingPlan } from '../../../src/core/settlement/fill-funding';
import { buyOrderLock, tradeAmounts } from '../../../src/core/settlement/trade-amounts';

/**
 * planFunding decides, before the sweep, which fills the buy side can pay for. These
 * cases run its plan through the engine the way OrdersService does (cancel the makers it
 * names, cap the taker's fills) and then pay each fill: amount + buyerFee from the buy
 * order's lock, any shortfall from the buyer's available cash.
 */

const TAKER = 'taker-order';

interface Setup {
  resting: RestingOrder[];
  holds: Map<string, Decimal>;
  cash: Map<string, Decimal>;
  taker: { ownerId: string; side: Side; price: number; volume: number; timeInForce: TimeInForce };
  feeRate: string;
}

const need = (fill: Fill, feeRate: string) => tradeAmounts(ticksToPrice(fill.price), litresToVolume(fill.volume), feeRate).buyerPays;

function run(s: Setup): { plan: FundingPlan; fills: readonly Fill[]; status: string; cancelReason?: string; cash: Map<string, Decimal> } {
  const book = OrderBook.restore(s.resting);
  const takerSide = s.taker.side;
  const holds = new Map(s.holds);
  if (takerSide === 'BUY') holds.set(TAKER, buyOrderLock(ticksToPrice(s.taker.price), litresToVolume(s.taker.volume), s.feeRate));
  const plan = planFunding({
    taker: s.taker,
    opposite: [...book.restingOrders(takerSide === 'BUY' ? 'SELL' : 'BUY')],
    feeRate: s.feeRate,
    buyHolds: holds,
    buyerCash: s.cash,
    takerOrderId: TAKER,
  });
  const { cancelMakers, options } = applyFundingPlan(plan, s.taker);
  for (const id of cancelMakers) book.cancel(id);
  const seq = Math.max(0, ...s.resting.map((o) => o.seq)) + 1;
  const result = book.place({ id: TAKER, seq, ...s.taker }, options);
  if (!result.ok) throw new Error('taker rejected');
  const cash = new Map(s.cash);
  for (const fill of result.fills) {
    const buyOrder = takerSide === 'BUY' ? TAKER : fill.makerOrderId;
    const buyer = takerSide === 'BUY' ? s.taker.ownerId : fill.makerOwnerId;
    const held = holds.get(buyOrder) ?? new Dec(0);
    const pays = need(fill, s.feeRate);
    if (pays.lte(held)) {
      holds.set(buyOrder, held.minus(pays));
      continue;
    }
    const short = pays.minus(held);
    const available = cash.get(buyer) ?? new Dec(0);
    if (short.gt(available)) throw new Error(`fill ${fill.makerOrderId} of ${fill.volume} l is short ${short.toFixed(2)} with ${available.toFixed(2)} available`);
    cash.set(buyer, available.minus(short));
    holds.set(buyOrder, new Dec(0));
  }
  return { plan, fills: result.fills, status: result.status, cancelReason: result.cancelReason, cash };
}

const resting = (fields: Partial<RestingOrder> & Pick<RestingOrder, 'id' | 'side' | 'price' | 'volume' | 'seq'>): RestingOrder => ({
  ownerId: `owner-${fields.id}`,
  remaining: fields.volume,
  ...fields,
});

describe('planFunding: rounding shortfalls of buy orders (DOMAIN.md, Money)', () => {
  // BUY 2 @ 0.01: a lock of 0.02; fills of 1.5 and 0.5 need 0.02 + 0.01.
  const twoAsks = [
    resting({ id: 'a1', side: 'SELL', price: 100, volume: 1500, seq: 1, ownerId: 'seller' }),
    resting({ id: 'a2', side: 'SELL', price: 100, volume: 500, seq: 2, ownerId: 'seller' }),
  ];
  const incomingBuy = { ownerId: 'buyer', side: 'BUY' as const, price: 100, volume: 2000, timeInForce: 'GTC' as const };

  it('an incoming buy with no cash left fills 1.5 and cancels the rest', () => {
    const r = run({ resting: twoAsks, holds: new Map(), cash: new Map([['buyer', new Dec(0)]]), taker: incomingBuy, feeRate: '0' });
    expect(r.plan).toEqual({ cancelMakers: [], fillableVolume: 1500, takerFillLimit: 1, topUps: [] });
    expect(r.fills.map((f) => f.volume)).toEqual([1500]);
    expect([r.status, r.cancelReason]).toEqual(['CANCELLED', 'FUNDS']);
  });

  it('an incoming buy with a fen available fills both, the fen topping up the second fill', () => {
    const r = run({ resting: twoAsks, holds: new Map(), cash: new Map([['buyer', new Dec('0.01')]]), taker: incomingBuy, feeRate: '0' });
    expect(r.plan.takerFillLimit).toBeNull();
    expect(r.plan.topUps.map((t) => [t.orderId, t.amount.toFixed(2)])).toEqual([[TAKER, '0.01']]);
    expect(r.fills.map((f) => f.volume)).toEqual([1500, 500]);
    expect(r.cash.get('buyer')!.toFixed(2)).toBe('0.00');
  });

  it('an incoming FOK buy that cannot fund every fill fills nothing', () => {
    const r = run({ resting: twoAsks, holds: new Map(), cash: new Map(), taker: { ...incomingBuy, timeInForce: 'FOK' }, feeRate: '0' });
    expect(r.fills).toEqual([]);
    expect([r.status, r.cancelReason]).toEqual(['CANCELLED', 'FUNDS']);
  });

  it('a resting buy drawn to nothing is cancelled when its owner has no cash, and the sell trades on behind it', () => {
    const bids = [
      resting({ id: 'b1', side: 'BUY', price: 100, volume: 2000, remaining: 500, seq: 1, ownerId: 'broke' }),
      resting({ id: 'b2', side: 'BUY', price: 100, volume: 500, seq: 2, ownerId: 'funded' }),
    ];
    const r = run({
      resting: bids,
      holds: new Map([['b1', new Dec(0)], ['b2', new Dec('0.01')]]),
      cash: new Map([['broke', new Dec(0)], ['funded', new Dec(0)]]),
      taker: { ownerId: 'seller', side: 'SELL', price: 100, volume: 500, timeInForce: 'GTC' },
      feeRate: '0',
    });
    expect(r.plan.cancelMakers).toEqual(['b1']);
    expect(r.fills.map((f) => f.makerOrderId)).toEqual(['b2']);
  });

  it('a FOK sell that cannot fill in full cancels no resting buy, even an unfundable one', () => {
    const bids = [
      resting({ id: 'b1', side: 'BUY', price: 100, volume: 2000, remaining: 500, seq: 1, ownerId: 'broke' }),
      resting({ id: 'b2', side: 'BUY', price: 100, volume: 500, seq: 2, ownerId: 'funded' }),
    ];
    const r = run({
      resting: bids,
      holds: new Map([['b1', new Dec(0)], ['b2', new Dec('0.01')]]),
      cash: new Map([['broke', new Dec(0)], ['funded', new Dec(0)]]),
      taker: { ownerId: 'seller', side: 'SELL', price: 100, volume: 1000, timeInForce: 'FOK' },
      feeRate: '0',
    });
    expect(r.plan.cancelMakers).toEqual(['b1']);
    expect(r.plan.fillableVolume).toBe(500);
    expect(applyFundingPlan(r.plan, { volume: 1000, timeInForce: 'FOK' }).cancelMakers).toEqual([]);
    expect(r.fills).toEqual([]);
    expect(r.status).toBe('CANCELLED');
  });

  it('shares one buyer\'s cash across its resting orders in sweep order', () => {
    const bids = [
      resting({ id: 'b1', side: 'BUY', price: 100, volume: 500, seq: 1, ownerId: 'buyer' }),
      resting({ id: 'b2', side: 'BUY', price: 100, volume: 500, seq: 2, ownerId: 'buyer' }),
    ];
    const r = run({
      resting: bids,
      holds: new Map([['b1', new Dec(0)], ['b2', new Dec(0)]]),
      cash: new Map([['buyer', new Dec('0.01')]]),
      taker: { ownerId: 'seller', side: 'SELL', price: 100, volume: 1000, timeInForce: 'GTC' },
      feeRate: '0',
    });
    expect(r.plan.cancelMakers).toEqual(['b2']);
    expect(r.fills.map((f) => f.makerOrderId)).toEqual(['b1']);
  });

  it('stops where self-trade prevention stops the sweep', () => {
    const asks = [
      resting({ id: 'a1', side: 'SELL', price: 100, volume: 1500, seq: 1, ownerId: 'buyer' }),
      resting({ id: 'a2', side: 'SELL', price: 100, volume: 500, seq: 2, ownerId: 'seller' }),
    ];
    const r = run({ resting: asks, holds: new Map(), cash: new Map(), taker: incomingBuy, feeRate: '0' });
    expect(r.plan).toEqual({ cancelMakers: [], fillableVolume: 0, takerFillLimit: null, topUps: [] });
    expect([r.fills.length, r.cancelReason]).toEqual([0, 'SELF_TRADE']);
  });
});

describe('planFunding against the engine (property)', () => {
  const OWNERS = ['p1', 'p2', 'p3', 'p4'];
  // Tiny prices and odd volumes make nearly every fill round.
  const priceArb = fc.integer({ min: 99, max: 101 });
  const volumeArb = fc.oneof(fc.integer({ min: 1, max: 3000 }), fc.constantFrom(500, 1500, 2000));
  const restingArb = fc.record({
    ownerId: fc.constantFrom(...OWNERS),
    price: priceArb,
    volume: volumeArb,
    filled: fc.nat({ max: 100 }),
    drawn: fc.nat({ max: 5 }),
  });
  const setupArb = fc.record({
    side: fc.constantFrom<Side>('BUY', 'SELL'),
    orders: fc.array(restingArb, { maxLength: 12 }),
    taker: fc.record({ ownerId: fc.constantFrom(...OWNERS), price: priceArb, volume: fc.integer({ min: 1, max: 8000 }), timeInForce: fc.constantFrom<TimeInForce>('GTC', 'IOC', 'FOK') }),
    cash: fc.array(fc.oneof({ weight: 2, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.nat({ max: 4 }) }), { minLength: OWNERS.length, maxLength: OWNERS.length }),
    feeRate: fc.constantFrom('0', '0.005', '0.0025', '0.3'),
  });

  it('never plans a fill the buyer cannot pay, whatever the book, locks and cash', () => {
    fc.assert(
      fc.property(setupArb, (g) => {
        // Resting orders only on the side opposite the taker, so the snapshot never crosses.
        const makerSide: Side = g.side === 'BUY' ? 'SELL' : 'BUY';
        const orders: RestingOrder[] = g.orders.map((o, i) => {
          const remaining = Math.max(1, o.volume - Math.floor((o.volume * o.filled) / 100));
          return { id: `m${i}`, ownerId: o.ownerId, side: makerSide, price: o.price, volume: o.volume, remaining, seq: i + 1 };
        });
        const holds = new Map<string, Decimal>();
        for (const [i, o] of orders.entries()) {
          if (makerSide !== 'BUY') continue;
          // What the remainder needs at the limit, less a few fen an earlier fill's rounding took.
          const lock = buyOrderLock(ticksToPrice(o.price), litresToVolume(o.remaining), g.feeRate);
          const left = Dec.max(0, lock.minus(new Dec(g.orders[i].drawn).div(100)));
          holds.set(o.id, left);
        }
        const cash = new Map(OWNERS.map((p, i) => [p, new Dec(g.cash[i]).div(100)]));
        const r = run({ resting: orders, holds, cash, taker: { ...g.taker, side: g.side }, feeRate: g.feeRate });
        for (const [, left] of r.cash) expect(left.isNegative()).toBe(false);
        for (const id of r.plan.cancelMakers) expect(r.fills.some((f) => f.makerOrderId === id)).toBe(false);
        const filled = r.fills.reduce((s, f) => s + f.volume, 0);
        expect(filled).toBeLessThanOrEqual(g.taker.volume);
        if (g.taker.timeInForce === 'FOK') expect(filled === 0 || filled === g.taker.volume).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
  it('lets an incoming buy at the asks\' price take fills only while lock and cash cover their rounding', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 150 }),
        fc.array(fc.integer({ min: 1, max: 999 }), { minLength: 1, maxLength: 10 }),
        fc.nat({ max: 3 }),
        fc.constantFrom('0', '0.005'),
        fc.constantFrom<TimeInForce>('GTC', 'IOC', 'FOK'),
        (price, volumes, fen, feeRate, timeInForce) => {
          const asks = volumes.map((volume, i) => resting({ id: `a${i}`, side: 'SELL', price, volume, seq: i + 1, ownerId: 'seller' }));
          const total = volumes.reduce((x, y) => x + y, 0);
          const r = run({
            resting: asks,
            holds: new Map(),
            cash: new Map([['buyer', new Dec(fen).div(100)]]),
            taker: { ownerId: 'buyer', side: 'BUY', price, volume: total, timeInForce },
            feeRate,
          });
          expect(r.cash.get('buyer')!.isNegative()).toBe(false);
          const filled = r.fills.reduce((x, f) => x + f.volume, 0);
          // Whatever stopped short was the money, and it stopped at a whole maker order.
          if (filled < total) expect([r.status, r.cancelReason]).toEqual(['CANCELLED', 'FUNDS']);
          if (timeInForce !== 'FOK') expect(r.fills.length).toBe(r.plan.takerFillLimit ?? volumes.length);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
