import { createParticipant, operatorId, Party, seedRegions } from './fixtures';
import { client, startTestApp, TestApp, TestAppOptions } from './test-app';
import { balancesOf, placeOrder } from './trading';

type Res = { status: number; body: any };

/** Fails with the body in the message: a bare status mismatch says nothing about why the service refused. */
export function expectStatus<T extends Res>(res: T, status: number): T {
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${JSON.stringify(res.body)}`);
  return res;
}

/** The right behind an irrigation user's quota; the trade checks read the participants' use, not this. */
export const AGRI = { useType: 'AGRICULTURE' };

/** A resting SELL met by a crossing BUY: one PENDING_APPROVAL (or at once settled) trade. */
export async function cross(t: TestApp, marketId: string, seller: Party, buyer: Party, price: string, volume: string) {
  expectStatus(await placeOrder(t, seller, marketId, { side: 'SELL', price, volume }), 201);
  const buy = expectStatus(await placeOrder(t, buyer, marketId, { side: 'BUY', price, volume }), 201);
  expect(buy.body.trades).toHaveLength(1);
  return buy.body.trades[0];
}

/** One read of a party's balances: cash, and the quota of any instrument (zeros when it holds none). */
export async function balances(t: TestApp, p: Party) {
  const b = await balancesOf(t, p);
  return {
    cash: b.cash,
    quota: (marketId: string) => {
      const q = b.quota.find((x) => x.marketId === marketId);
      return { available: q?.available ?? '0', locked: q?.locked ?? '0' };
    },
  };
}

export async function auditOf(t: TestApp, entityType: string, entityId: string) {
  return expectStatus(await client(t, t.adminKey).get(`/v1/audit?entityType=${entityType}&entityId=${entityId}&limit=500`), 200).body.items as any[];
}

/**
 * Counties of 赤峰市 beyond the fixture tree. Trades into them are what the cap and overdraft
 * checks judge, so a suite adds only the ones its cases need, leaving the rest unconstrained.
 */
const MORE_COUNTIES = {
  '150423': { name: '巴林右旗' },
  '150424': { name: '林西县', groundwaterOverdraft: true },
  '150425': { name: '克什克腾旗' },
  '150426': { name: '翁牛特旗' },
} as const;

export type County = keyof typeof MORE_COUNTIES;

export interface TradeSceneOptions {
  /** Regions given a regulator each; the regulators come back in this order. */
  regulators: readonly string[];
  counties?: readonly County[];
  app?: TestAppOptions;
}

export interface TradeScene<R extends readonly string[]> {
  t: TestApp;
  /** The operator as a party, to read the fees it collects. */
  operator: Party;
  regulators: { [K in keyof R]: Party };
}

/** A running service with the region tree, the extra `counties` and one regulator in each of `regulators`. */
export async function startTradeScene<const R extends readonly string[]>(
  options: TradeSceneOptions & { regulators: R },
): Promise<TradeScene<R>> {
  const t = await startTestApp(options.app);
  try {
    await seedRegions(t);
    const op = client(t, t.adminKey);
    for (const code of options.counties ?? []) {
      expectStatus(await op.put(`/v1/regions/${code}`, { ...MORE_COUNTIES[code], parentCode: '150400' }), 201);
    }
    const regulators = await Promise.all(options.regulators.map((code) => createParticipant(t, 'REGULATOR', code)));
    const operator: Party = { id: await operatorId(t), apiKey: t.adminKey, kind: 'OPERATOR', regionCode: '' };
    return { t, operator, regulators: regulators as { [K in keyof R]: Party } };
  } catch (e) {
    // The caller never gets `t` to close; a live service would keep jest from exiting and its database would stay.
    await t.close().catch(() => undefined);
    throw e;
  }
}
