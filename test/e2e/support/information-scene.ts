import { createParticipant, operatorId, Party, seedRegions } from './fixtures';
import { client, TestApp } from './test-app';
import { expectStatus } from './trade-scene';
import { fundCash, fundQuota, openMarket, placeOrder, TRADING_YEAR } from './trading';

/**
 * One of everything the information pages, reports and events read, with parties spread
 * over the region tree so every read rule has someone inside and someone outside it:
 *
 * - regulators of 内蒙古 (150000), 赤峰市 (150400), 阿鲁科尔沁旗 (150421) and 包头市 (150200);
 * - in 150421 an irrigation district (AGRICULTURE) and a service company; in 150422 a
 *   factory (INDUSTRY); in 150200 a bystander enterprise; a reserve in 150400;
 * - a SURFACE market in 150421 and a GROUNDWATER market in 150422;
 * - settled trades (district → factory, approved by the city; district → reserve, approved
 *   by the city), a pending one, a resting order, a proposed transfer;
 * - a project of the company and the district with a certified statement.
 */
export interface InformationScene {
  operator: Party;
  province: Party;
  city: Party;
  county: Party;
  baotou: Party;
  district: Party;
  company: Party;
  factory: Party;
  bystander: Party;
  reserve: Party;
  surface: string;
  groundwater: string;
  settledTradeIds: string[];
  pendingTradeId: string;
  restingOrderId: string;
  transferId: string;
  projectId: string;
  statementId: string;
}

export const parties = (s: InformationScene): Party[] => [s.operator, s.province, s.city, s.county, s.baotou, s.district, s.company, s.factory, s.bystander, s.reserve];

async function trade(t: TestApp, marketId: string, seller: Party, buyer: Party, price: string, volume: string): Promise<string> {
  expectStatus(await placeOrder(t, seller, marketId, { side: 'SELL', price, volume }), 201);
  const buy = expectStatus(await placeOrder(t, buyer, marketId, { side: 'BUY', price, volume }), 201);
  return buy.body.trades[0].id;
}

export async function buildInformationScene(t: TestApp): Promise<InformationScene> {
  await seedRegions(t);
  const [province, city, county, baotou, district, company, factory, bystander, reserve] = await Promise.all([
    createParticipant(t, 'REGULATOR', '150000'),
    createParticipant(t, 'REGULATOR', '150400'),
    createParticipant(t, 'REGULATOR', '150421'),
    createParticipant(t, 'REGULATOR', '150200'),
    createParticipant(t, 'IRRIGATION_DISTRICT', '150421'),
    createParticipant(t, 'SERVICE_COMPANY', '150421'),
    createParticipant(t, 'ENTERPRISE', '150422'),
    createParticipant(t, 'ENTERPRISE', '150200'),
    createParticipant(t, 'RESERVE', '150400'),
  ]);
  const operator: Party = { id: await operatorId(t), apiKey: t.adminKey, kind: 'OPERATOR', regionCode: '100000' };
  const surface = (await openMarket(t, { regionCode: '150421' })).id;
  const groundwater = (await openMarket(t, { regionCode: '150422', source: 'GROUNDWATER', feeRate: '0.01', priceTick: '0.0001' })).id;
  await fundQuota(t, city.apiKey, district, '50000', { regionCode: '150421', useType: 'AGRICULTURE' });
  await fundQuota(t, city.apiKey, factory, '20000', { regionCode: '150422', source: 'GROUNDWATER' });
  await fundCash(t, factory, '500000.00');
  await fundCash(t, reserve, '500000.00');
  await fundCash(t, bystander, '500000.00');

  const settledTradeIds = [
    await trade(t, surface, district, factory, '1.25', '1000'),
    await trade(t, surface, district, reserve, '1.10', '2000'),
    await trade(t, groundwater, factory, bystander, '3.3333', '300'),
  ];
  for (const id of settledTradeIds) {
    const approver = id === settledTradeIds[2] ? province : city;
    expectStatus(await client(t, approver.apiKey).post(`/v1/trades/${id}/approve`, {}), 200);
  }
  const pendingTradeId = await trade(t, surface, district, factory, '1.30', '500');
  const restingOrderId = expectStatus(await placeOrder(t, district, surface, { side: 'SELL', price: '1.60', volume: '800' }), 201).body.id;
  const transferId = expectStatus(await client(t, district.apiKey).post('/v1/transfers', { marketId: surface, buyerId: factory.id, volume: '100', price: '1.20' }), 201).body.id;

  const projectId = expectStatus(
    await client(t, company.apiKey).post('/v1/projects', {
      name: '渠道衬砌节水改造', model: 'BENEFIT_SHARING', serviceCompanyId: company.id, waterUserId: district.id, regionCode: '150421', source: 'SURFACE',
      startDate: `${TRADING_YEAR - 1}-12-01`, endDate: `${TRADING_YEAR}-12-31`, waterPrice: '4.00',
      baseline: { method: 'FIXED', volumePerPeriod: '100000' }, terms: { serviceShare: '0.70' },
    }),
    201,
  ).body.id;
  const reading = expectStatus(
    await client(t, district.apiKey).post(`/v1/projects/${projectId}/readings`, { periodStart: `${TRADING_YEAR - 1}-12-01`, periodEnd: `${TRADING_YEAR - 1}-12-31`, volume: '80000' }),
    201,
  ).body;
  for (const party of [company, district]) expectStatus(await client(t, party.apiKey).post(`/v1/projects/${projectId}/statements/${reading.statementId}/confirm`), 200);
  expectStatus(await client(t, county.apiKey).post(`/v1/projects/${projectId}/statements/${reading.statementId}/certify`, { year: TRADING_YEAR }), 200);

  return {
    operator, province, city, county, baotou, district, company, factory, bystander, reserve, surface, groundwater,
    settledTradeIds, pendingTradeId, restingOrderId, transferId, projectId, statementId: reading.statementId,
  };
}
