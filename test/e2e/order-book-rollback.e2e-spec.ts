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

  it('random rounds of placements, refused ones among them, leave a book whose every resting order a sweep finds as stored', async () => {
    const code = String(nextCounty++);
    expect((await client(t, t.adminKey).put(`/v1/regions/${code}`, { name: `county ${code}`, parentCode: '150400' })).status).toBe(201);
    const { id: marketId } = await openMarket(t, { regionCode: code });
    const [sweeper, ...others] = await Promise.all(Array.from({ length: 10 }, () => createParticipant(t, 'ENTERPRISE', code)));
    const [sellers, buyers, broke] = [others.slice(0, 3), others.slice(3, 6), others.slice(6)];
    await Promise.all(sellers.map((p) => fundQuota(t, city.apiKey, p, '1000', { regionCode: code })));
    await Promise.all([sweeper, ...buyers, ...broke].map((p, i) => fundCash(t, p, i < 1 + buyers.length ? '1000.00' : '0.01')));
    let seed = 20261205;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed % n);
    const price = () => `0.0${2 + rand(4)}`;
    // The market's first placement reads its (empty) book; counted from the next.
    expect((await placeOrder(t, sellers[0], marketId, { side: 'SELL', price: '0.05', volume: '1' })).status).toBe(201);
    const reads = await bookReads();
    for (let round = 0; round < 3; round++) {
      for (const p of sellers) expect((await placeOrder(t, p, marketId, { side: 'SELL', price: price(), volume: String(1 + rand(5)) })).status).toBe(201);
      const placements = Array.from({ length: 14 }, () => {
        const p = rand(2) === 0 ? broke[rand(broke.length)] : [...buyers, ...sellers][rand(6)];
        const side = sellers.includes(p) ? 'SELL' : 'BUY';
        return placeOrder(t, p, marketId, { side, price: price(), volume: String(1 + rand(6)), timeInForce: rand(3) === 0 ? 'IOC' : 'GTC' });
      });
      for (const a of await Promise.all(placements)) expect([201, 409]).toContain(a.status);
      // What PostgreSQL holds of the asks; a sweep through all of them must find exactly that in the instance's book.
      const stored = (await asks(marketId)).reduce((sum: number, level: { volume: string }) => sum + Number(level.volume), 0);
      const swept = await placeOrder(t, sweeper, marketId, { side: 'BUY', price: '0.05', volume: String(stored + 1), timeInForce: 'IOC' });
      expect(swept.status).toBe(201);
      expect(swept.body.filledVolume).toBe(String(stored));
      expect(await asks(marketId)).toEqual([]);
    }
    expect(await bookReads()).toBe(reads);
  });
});
