import { createParticipant, operatorId, Party, seedRegions } from '../fixtures';
import { cross, expectStatus } from '../trade-scene';
import { client, TestApp } from '../test-app';
import { fundCash, fundQuota, openMarket, placeOrder, TRADING_YEAR } from '../trading';
import { Pools } from './arbitraries';
import { Actor } from './walker';

export interface ConformanceScene {
  actors: Actor[];
  pathPools: (path: string, param: string) => readonly string[];
  bodyPools: Pools;
  fixedPools: Pools;
  /** A project whose totals are losses, and a key of one of its parties. */
  loss: { projectId: string; apiKey: string };
}

/**
 * Objects of every kind, so generated requests reach real ones: a market with a resting
 * order and a pending trade, a proposed transfer, an open auction with a bid, a project
 * with a statement, spare keys.
 */
export async function buildScene(t: TestApp): Promise<ConformanceScene> {
  await seedRegions(t);
  const [city, county, district, enterprise, company, user, reserve] = await Promise.all([
    createParticipant(t, 'REGULATOR', '150400'),
    createParticipant(t, 'REGULATOR', '150421'),
    createParticipant(t, 'IRRIGATION_DISTRICT', '150421'),
    createParticipant(t, 'ENTERPRISE', '150422'),
    createParticipant(t, 'SERVICE_COMPANY', '150421'),
    createParticipant(t, 'WATER_USER', '150421'),
    createParticipant(t, 'RESERVE', '150400'),
  ]);
  const operator: Party = { id: await operatorId(t), apiKey: t.adminKey, kind: 'OPERATOR', regionCode: '100000' };
  const market = await openMarket(t, { regionCode: '150421' });
  const { rightId } = await fundQuota(t, city.apiKey, district, '100000', { regionCode: '150421' });
  await fundCash(t, enterprise, '100000.00');
  const trade = await cross(t, market.id, district, enterprise, '1', '100');
  const resting = expectStatus(await placeOrder(t, district, market.id, { side: 'SELL', price: '2', volume: '100' }), 201).body;
  const transfer = expectStatus(await client(t, district.apiKey).post('/v1/transfers', { marketId: market.id, buyerId: enterprise.id, volume: '10', price: '1' }), 201).body;
  /** A project of the company in county 150421 from last December, with one reading of that month. */
  const projectWithReading = async (waterUser: Party, fields: Record<string, unknown>, volume: string) => {
    const created = expectStatus(
      await client(t, company.apiKey).post('/v1/projects', {
        serviceCompanyId: company.id,
        waterUserId: waterUser.id,
        regionCode: '150421',
        source: 'SURFACE',
        startDate: `${TRADING_YEAR - 1}-12-01`,
        endDate: `${TRADING_YEAR}-12-31`,
        ...fields,
      }),
      201,
    ).body;
    const period = { periodStart: `${TRADING_YEAR - 1}-12-01`, periodEnd: `${TRADING_YEAR - 1}-12-31`, volume };
    return { project: created, reading: expectStatus(await client(t, waterUser.apiKey).post(`/v1/projects/${created.id}/readings`, period), 201).body };
  };
  const { project, reading } = await projectWithReading(
    district,
    { name: '渠道衬砌', model: 'BENEFIT_SHARING', waterPrice: '1.20', baseline: { method: 'FIXED', volumePerPeriod: '500000' }, terms: { serviceShare: '0.8' } },
    '400000',
  );
  // COST_HOSTING at a loss to both sides: its statement's and its totals' amounts are negative.
  const { project: hosting } = await projectWithReading(
    user,
    { name: '用水费用托管', model: 'COST_HOSTING', waterPrice: '1.00', baseline: { method: 'FIXED', volumePerPeriod: '1000' }, terms: { hostingFeePerPeriod: '5000.00' } },
    '6000',
  );
  // A listing in next year's market (the default notice of five days always fits in its year), with a bid on it.
  const nextYear = await openMarket(t, { regionCode: '150421', year: TRADING_YEAR + 1 });
  await fundQuota(t, city.apiKey, district, '1000', { regionCode: '150421', year: TRADING_YEAR + 1 });
  const auction = expectStatus(
    await client(t, district.apiKey).post('/v1/auctions', {
      marketId: nextYear.id, side: 'SELL', volume: '100', limitPrice: '1', closesAt: new Date(Date.now() + 6 * 24 * 3600 * 1000).toISOString(),
    }),
    201,
  ).body;
  const auctionBid = expectStatus(await client(t, enterprise.apiKey).post(`/v1/auctions/${auction.id}/bids`, { price: '1', volume: '10' }), 201).body;
  // Keys the walk may revoke; the actors' own keys are never in the pool.
  const webhook = expectStatus(await client(t, enterprise.apiKey).post('/v1/webhooks', { url: 'http://127.0.0.1:9/hook', types: ['trade.settled'] }), 201).body;
  const spareKeys = await Promise.all([district, enterprise].map(async (p) => expectStatus(await client(t, p.apiKey).post(`/v1/participants/${p.id}/api-keys`), 201).body.keyId));

  const parties = [operator, city, county, district, enterprise, company, user, reserve];
  const actors: Actor[] = [...parties.map((p) => ({ name: p.kind === 'REGULATOR' ? `REGULATOR ${p.regionCode}` : p.kind, apiKey: p.apiKey })), { name: 'nobody', apiKey: null }];
  const ids = parties.map((p) => p.id);
  const regions = ['100000', '150000', '150400', '150421', '150422', '150200'];
  const byResource: Record<string, readonly string[]> = {
    participants: ids,
    markets: [market.id],
    orders: [resting.id],
    trades: [trade.id],
    rights: [rightId],
    transfers: [transfer.id],
    auctions: [auction.id],
    bidId: [auctionBid.id],
    projects: [project.id, hosting.id],
    webhooks: [webhook.id],
    statementId: [reading.statementId],
    keyId: spareKeys,
    code: regions,
    year: [String(TRADING_YEAR), String(TRADING_YEAR + 1)],
  };
  const pathPools = (path: string, param: string) => {
    if (byResource[param]) return byResource[param];
    const resource = /\/v1\/([\w-]+)\/\{/.exec(path)?.[1] ?? '';
    return byResource[resource] ?? [];
  };
  const bodyPools: Pools = {
    holderId: ids,
    buyerId: ids,
    serviceCompanyId: ids,
    waterUserId: ids,
    actorId: ids,
    regionCode: regions,
    parentCode: regions,
    marketId: [market.id, nextYear.id],
    supersedes: [reading.id],
    year: [TRADING_YEAR, TRADING_YEAR + 1],
    entityId: [market.id, trade.id, ...ids],
    url: ['http://127.0.0.1:9/hook', 'https://hooks.example.org/water', 'ftp://127.0.0.1/'],
    after: [0, 1, 10],
  };
  // A long poll with nothing new would hold the walk for up to 30 s a request.
  const fixedPools: Pools = { wait: [0, 1] };
  return { actors, pathPools, bodyPools, fixedPools, loss: { projectId: hosting.id, apiKey: company.apiKey } };
}
