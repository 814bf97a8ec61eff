import { randomUUID } from 'node:crypto';
import { createParticipant, Party, seedRegions } from './fixtures';
import { sql } from './sql';
import { client, TestApp } from './test-app';
import { fundCash, fundQuota, openMarket, TRADING_YEAR } from './trading';

/** `a` and `b` at once, `a` sent first when `i` is even and `b` otherwise, answered as [a, b]: both orders get their chance. */
export async function inTurn<A, B>(i: number, a: () => Promise<A>, b: () => Promise<B>): Promise<[A, B]> {
  if (i % 2 === 0) return Promise.all([a(), b()]);
  const [second, first] = await Promise.all([b(), a()]);
  return [first, second];
}

export interface CapRace {
  regulator: Party;
  seller: Party;
  marketId: string;
  /** Race `i`'s buyer, with cash for 600 m³, in a county of its own under the province. */
  buyer(i: number): Promise<Party>;
  /** Moves race `i`'s county under the city. */
  moveIn(i: number): Promise<{ status: number; body: any }>;
  /** The city's headroom this year. */
  headroom(): Promise<number>;
}

/**
 * The scene of a race between a decision on a trade and a region move (decision 0004), in
 * 山西省 (140000): `city`, capped at 1,000 m³ this year with 500 issued, and the county
 * `marketCounty` beside it, whose market (`approvalMode`) a seller supplies with 600 m³ for
 * each of `races` buyers. Race `i`'s buyer sits in county `${countyPrefix}${i}` until the move.
 */
export async function capRace(
  t: TestApp,
  o: { city: string; marketCounty: string; countyPrefix: string; races: number; approvalMode?: 'APPROVAL' | 'FILING' },
): Promise<CapRace> {
  const op = client(t, t.adminKey);
  await seedRegions(t, [
    { code: '140000', name: '山西省', parentCode: undefined },
    { code: o.city, name: `市${o.city}`, parentCode: '140000' },
    { code: o.marketCounty, name: `县${o.marketCounty}`, parentCode: '140000' },
  ]);
  await op.put(`/v1/regions/${o.city}/caps/${TRADING_YEAR}`, { totalCap: '1000' });
  await sql(t, `INSERT INTO quota_issuances (id, region_code, year, volume, origin_type, origin_id) VALUES ($1, $2, $3, '500', 'allocation', $4)`, [
    randomUUID(), o.city, TRADING_YEAR, randomUUID(),
  ]);
  const regulator = await createParticipant(t, 'REGULATOR', '140000');
  const seller = await createParticipant(t, 'ENTERPRISE', o.marketCounty);
  const { id: marketId } = await openMarket(t, { regionCode: o.marketCounty, ...(o.approvalMode ? { approvalMode: o.approvalMode } : {}) });
  await fundQuota(t, regulator.apiKey, seller, String(600 * o.races), { regionCode: o.marketCounty });
  const county = (i: number) => `${o.countyPrefix}${i}`;
  return {
    regulator,
    seller,
    marketId,
    buyer: async (i) => {
      await seedRegions(t, [{ code: county(i), name: `县${county(i)}`, parentCode: '140000' }]);
      const buyer = await createParticipant(t, 'ENTERPRISE', county(i));
      await fundCash(t, buyer, '1000.00');
      return buyer;
    },
    moveIn: (i) => op.put(`/v1/regions/${county(i)}`, { name: `县${county(i)}`, parentCode: o.city }),
    headroom: async () => Number((await op.get(`/v1/regions/${o.city}/caps/${TRADING_YEAR}`)).body.headroom),
  };
}
