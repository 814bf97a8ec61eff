import { closingIn, openAuction, bid } from './auctions';
import { createParticipant, Party, seedRegions } from './fixtures';
import { inHours, NEXT_YEAR, registerRight, setCap } from './long-term';
import { client, TestApp } from './test-app';
import { cross, expectStatus } from './trade-scene';
import { fundCash, fundQuota, openMarket, placeOrder, TRADING_YEAR } from './trading';

/**
 * Who calls in the authorization matrix: every participant kind of API.md, regulators
 * inside the objects' jurisdiction (the county of every object, and the city above it) and
 * outside it (包头, beside them), and no key at all. Every object of the scene is in
 * 阿鲁科尔沁旗 (150421); the district owns most of them, the enterprise is the other party.
 */
export const PERSONAS = ['anonymous', 'operator', 'regIn', 'regCity', 'regOut', 'district', 'enterprise', 'company', 'waterUser', 'reserve'] as const;
export type Persona = (typeof PERSONAS)[number];

export const TRADERS: readonly Persona[] = ['district', 'enterprise', 'company', 'waterUser', 'reserve'];
export const REGULATORS: readonly Persona[] = ['regIn', 'regCity', 'regOut'];
export const REGULATORS_IN: readonly Persona[] = ['regIn', 'regCity'];

export interface AuthScene {
  t: TestApp;
  party: Record<Exclude<Persona, 'anonymous'>, Party>;
  market: string;
  /** A market only the halt and resume rows touch. */
  haltMarket: string;
  order: string;
  orderToCancel: string;
  trade: string;
  tradeToReject: string;
  transfer: string;
  transferToDecline: string;
  transferToCancel: string;
  right: string;
  keyToRevoke: string;
  project: string;
  statement: string;
  auction: string;
  auctionToCancel: string;
  bid: string;
  rightTransfer: string;
  rightTransferToDecline: string;
  rightTransferToCancel: string;
  regionalTrade: string;
  regionalTradeToWithdraw: string;
  interest: string;
  webhook: string;
}

/** Builds every object the matrix calls on, through the public API. */
export async function buildAuthScene(t: TestApp): Promise<AuthScene> {
  await seedRegions(t);
  const [regIn, regCity, regOut] = await Promise.all(['150421', '150400', '150200'].map((code) => createParticipant(t, 'REGULATOR', code)));
  const district = await createParticipant(t, 'IRRIGATION_DISTRICT', '150421');
  const enterprise = await createParticipant(t, 'ENTERPRISE', '150421');
  const company = await createParticipant(t, 'SERVICE_COMPANY', '150421');
  const waterUser = await createParticipant(t, 'WATER_USER', '150421');
  const reserve = await createParticipant(t, 'RESERVE', '150421');
  const operator = { id: (await client(t, t.adminKey).get('/v1/participants/me')).body.id, apiKey: t.adminKey, kind: 'OPERATOR', regionCode: '100000' };
  const party = { operator, regIn, regCity, regOut, district, enterprise, company, waterUser, reserve };

  for (const code of ['150421', '150400', '150200']) await setCap(t, code, TRADING_YEAR, '100000000');
  const market = (await openMarket(t, { regionCode: '150421' })).id;
  const haltMarket = (await openMarket(t, { regionCode: '150421', source: 'MINE_WATER' })).id;
  await fundQuota(t, regIn.apiKey, district, '10000');
  for (const p of [enterprise, waterUser, reserve, company]) await fundCash(t, p, '100000.00');
  await fundCash(t, regOut, '100000.00');

  const trade = (await cross(t, market, district, enterprise, '1.00', '10')).id;
  const tradeToReject = (await cross(t, market, district, enterprise, '1.00', '10')).id;
  const order = expectStatus(await placeOrder(t, district, market, { side: 'SELL', price: '5.00', volume: '10' }), 201).body.id;
  const orderToCancel = expectStatus(await placeOrder(t, district, market, { side: 'SELL', price: '5.00', volume: '10' }), 201).body.id;
  const propose = async () => expectStatus(await client(t, district.apiKey).post('/v1/transfers', { marketId: market, buyerId: enterprise.id, volume: '1', price: '1.00' }), 201).body.id;
  const [transfer, transferToDecline, transferToCancel] = [await propose(), await propose(), await propose()];

  const right = (await registerRight(t, regIn, district)).id;
  const keyToRevoke = expectStatus(await client(t, district.apiKey).post(`/v1/participants/${district.id}/api-keys`), 201).body.keyId;

  const project = expectStatus(await client(t, company.apiKey).post('/v1/projects', {
    name: '渠道衬砌', model: 'BENEFIT_SHARING', serviceCompanyId: company.id, waterUserId: district.id, regionCode: '150421', source: 'SURFACE',
    startDate: `${TRADING_YEAR - 1}-01-01`, endDate: `${TRADING_YEAR}-12-31`, waterPrice: '1.00',
    baseline: { method: 'FIXED', volumePerPeriod: '1000' }, terms: { serviceShare: '0.5' },
  }), 201).body.id;
  const statement = expectStatus(await client(t, district.apiKey).post(`/v1/projects/${project}/readings`, {
    periodStart: `${TRADING_YEAR - 1}-01-01`, periodEnd: `${TRADING_YEAR - 1}-01-31`, volume: '900',
  }), 201).body.statementId;

  const auction = (await openAuction(t, district, { marketId: market, side: 'SELL', volume: '10', limitPrice: '1.00', closesAt: inHours(1) })).id;
  const auctionToCancel = (await openAuction(t, district, { marketId: market, side: 'SELL', volume: '10', limitPrice: '1.00', closesAt: closingIn(3_600_000) })).id;
  const bidId = (await bid(t, enterprise, auction, '1.00', '5')).id;

  const proposeRight = async () => expectStatus(await client(t, district.apiKey).post('/v1/right-transfers', {
    rightId: right, buyerId: enterprise.id, volumePerYear: '10', fromYear: NEXT_YEAR, toYear: NEXT_YEAR, price: '1.00',
  }), 201).body.id;
  const [rightTransfer, rightTransferToDecline, rightTransferToCancel] = [await proposeRight(), await proposeRight(), await proposeRight()];

  const announce = async () => expectStatus(await client(t, regIn.apiKey).post('/v1/regional-trades', {
    volumePerYear: '1000', fromYear: TRADING_YEAR, toYear: TRADING_YEAR, askingPrice: '1.00', closesAt: inHours(1),
  }), 201).body.id;
  const [regionalTrade, regionalTradeToWithdraw] = [await announce(), await announce()];
  const interest = expectStatus(await client(t, regOut.apiKey).post(`/v1/regional-trades/${regionalTrade}/interests`, { price: '1.00' }), 201).body.id;
  const webhook = expectStatus(await client(t, district.apiKey).post('/v1/webhooks', { url: 'http://127.0.0.1:9/hook' }), 201).body.id;

  return {
    t, party, market, haltMarket, order, orderToCancel, trade, tradeToReject, transfer, transferToDecline, transferToCancel, right, keyToRevoke,
    project, statement, auction, auctionToCancel, bid: bidId, rightTransfer, rightTransferToDecline, rightTransferToCancel,
    regionalTrade, regionalTradeToWithdraw, interest, webhook,
  };
}
