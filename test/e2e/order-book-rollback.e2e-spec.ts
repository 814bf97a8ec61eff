import { createParticipant, Party } from './support/fixtures';
import { counter } from './support/metrics';
import { client, TestApp } from './support/test-app';
import { startTradeScene } from './support/trade-scene';
import { expectLedgerValid, fundCash, fundQuota, openMarket, placeOrder } from './support/trading';

/**
 * A placement refused after the book took it in memory (its funds' lock is sent ahead and
 * refused only at the commit, decision 0041) takes its changes back from the book: the
 * next placement finds the book as the database has it, without reading it again.
 */
describe('orders: a refused placement leaves the book as it found it', () => {
  let t: TestApp;
  let city: Party;
  let nextCounty = 150460;

  beforeAll(async () => {
    ({ t, regulators: [city] } = await startTradeScene({ regulators: ['150400'] }));
  });
  afterAll(() => t.close());
  afterEach(() => expectLedgerValid(t));

  const bookReads = () => counter(t, 'order_book_reads_total');
  const asks = async (marketId: string) => (await client(t, t.adminKey).get(`/v1/markets/${marketId}/book?depth=10`)).body.asks;

  /** A market in a county of its own, a seller resting `volume` at 0.02, and `buyers` with cash for it and `broke` without. */
  async function scene(volume: string, buyers: number, broke: number) {
    const code = String(nextCounty++);
    expect((await client(t, t.adminKey).put(`/v1/regions/${code}`, { name: `county ${code}`, parentCode: '150400' })).status).toBe(201);
    const { id: marketId } = await openMarket(t, { regionCode: code });
    const [seller, ...rest] = await Promise.all(Array.from({ length: 1 + buyers + broke }, () => createParticipant(t, 'ENTERPRISE', code)));
    await fundQuota(t, city.apiKey, seller, volume, { regionCode: code });
    // Each has a cash account; the broke ones' 0.01 pays for no litre at 0.02 with its fee.
    await Promise.all(rest.map((p, i) => fundCash(t, p, i < buyers ? '10.00' : '0.01')));
    expect((await placeOrder(t, seller, marketId, { side: 'SELL', price: '0.02', volume })).status).toBe(201);
    return { marketId, seller, buyers: rest.slice(0, buyers), broke: rest.slice(buyers) };
  }

  it('one refused alone: its fills are taken back, and the next buyer fills against the same resting order', async () => {
    const { marketId, buyers: [buyer], broke: [poor] } = await scene('2', 1, 1);
    const reads = await bookReads();
    const refused = await placeOrder(t, poor, marketId, { side: 'BUY', price: '0.02', volume: '2' });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('INSUFFICIENT_FUNDS');
    expect(await asks(marketId)).toEqual([{ price: '0.02', volume: '2', orders: 1 }]);
    const filled = await placeOrder(t, buyer, marketId, { side: 'BUY', price: '0.02', volume: '2' });
    expect(filled.body).toMatchObject({ status: 'FILLED', filledVolume: '2' });
    expect(await asks(marketId)).toEqual([]);
    expect(await bookReads()).toBe(reads);
  });

  it('refused among many at once: the book the next placement uses is the one committed', async () => {
    const { marketId, buyers, broke } = await scene('30', 8, 4);
    const reads = await bookReads();
    const all = [...buyers.map((p) => ({ p, ok: true })), ...broke.map((p) => ({ p, ok: false }))].sort(() => Math.random() - 0.5);
    const answers = await Promise.all(all.map(({ p }) => placeOrder(t, p, marketId, { side: 'BUY', price: '0.02', volume: '2' })));
    answers.forEach((a, i) => {
      if (all[i].ok) expect(a.body).toMatchObject({ status: 'FILLED', filledVolume: '2' });
      else expect(a.body).toMatchObject({ code: 'INSUFFICIENT_FUNDS' });
    });
    // 30 − 8 × 2 = 14 litres left; a buyer of 15 takes exactly those and rests the last one.
    expect(await asks(marketId)).toEqual([{ price: '0.02', volume: '14', orders: 1 }]);
    const last = await placeOrder(t, buyers[0], marketId, { side: 'BUY', price: '0.02', volume: '15' });
    expect(last.body).toMatchObject({ status: 'PARTIALLY_FILLED', filledVolume: '14' });
    expect(await asks(marketId)).toEqual([]);
    expect(await bookReads()).toBe(reads);
  });
});
