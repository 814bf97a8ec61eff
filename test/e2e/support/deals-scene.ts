import { bid, closingIn, openAuction, sleep, waitForStatus, waitPast } from './auctions';
import { createParticipant, Party } from './fixtures';
import { InformationScene } from './information-scene';
import { endNotice, inHours, NEXT_YEAR, registerRight, setCap } from './long-term';
import { client, TestApp } from './test-app';
import { expectStatus } from './trade-scene';
import { fundCash, fundQuota } from './trading';

/**
 * The v1.1 deals on top of the information scene (support/information-scene.ts), so the
 * event feed, webhooks, public pages and reports have every kind of them, each with readers
 * inside and outside its read rule. The service must run with MIN_NOTICE_SECONDS=1
 * (`DEALS_ENV`).
 *
 * Auctions:
 * - `listing`: the district's SELL listing of 1 000 m³ of 150421 surface water, reserve 1.50,
 *   UNIFORM; sealed bids of the factory (1.80 × 600), the reserve (1.70 × 600) and the
 *   bystander (1.55 × 300). Closed: 600 to the factory and 400 to the reserve at 1.70; both
 *   trades approved by the city.
 * - `tender`: the reserve's BUY tender of 1 000 m³ of 150421 surface water, hidden limit
 *   1.37, PAY_AS_BID; the district offers 600 at 1.20 and 500 at 1.45 (above the limit).
 *   Closed: 600 at 1.20, the rest of the reserve's lock released; the trade approved.
 * - `roundingTender`: the reserve's BUY tender of 3 m³ of 150422 groundwater (fee 1 %),
 *   hidden limit 1.0051; the factory offers three single m³ at 1.0051. Each trade needs
 *   1.01 + 0.01 = 1.02, the lock holds round(1.0051 × 3 × 1.01) = 3.05: the close tops the
 *   reserve's lock up by 0.01 and releases nothing.
 * - `openListing` (the district's, with the factory's sealed bid) and `openTender` (the
 *   reserve's, hidden limit 2.22, with the district's offer) stay OPEN.
 *
 * Transfers of rights (the right's region, the buyer's region; settled this year):
 * - `rightTransfers[0]`: the district's right in 150421 to the factory (150422), 30 000 m³/yr
 *   for three years at 0.80: 72 000.00, approved by the city;
 * - `rightTransfers[1]`: the factory's right in 150422 to the bystander (150200), 10 000 m³/yr
 *   for five years at 1.10: 55 000.00, approved by the province;
 * - `proposedRightTransfer`: the district's to the reserve, only proposed.
 *
 * Regional trades (settled this year, approved by the province, their common upper level):
 * - `regionalTrades[0]`: 150421 (the county) offers 100 000 m³/yr for two years, asking 0.50;
 *   Baotou bids 0.62 and wins (124 000.00), 150422 (`otherCounty`) bids 0.55 and loses;
 * - `regionalTrades[1]`: 150422 offers 50 000 m³/yr for one year, asking 0.40; Baotou wins at
 *   0.45 (22 500.00);
 * - `openRegionalTrade`: 150421 offers 20 000 m³/yr, still ANNOUNCED, with Baotou's interest.
 *
 * And the scene's proposed negotiated transfer (the district's 100 m³ at 1.20 to the
 * factory) is accepted and approved: a transferred trade.
 */
export interface DealsScene {
  otherCounty: Party;
  listing: any;
  listingBids: { factory: any; reserve: any; bystander: any };
  tender: any;
  tenderOffers: { won: any; aboveLimit: any };
  roundingTender: any;
  roundingOffers: any[];
  openListing: any;
  openListingBid: any;
  openTender: any;
  openTenderOffer: any;
  /** The settled trades the closed auctions opened, listing's first. */
  auctionTradeIds: string[];
  transferTradeId: string;
  rightTransfers: any[];
  proposedRightTransfer: any;
  regionalTrades: any[];
  regionalInterests: { won: any; lost: any; second: any };
  openRegionalTrade: any;
  openInterest: any;
}

export const DEALS_ENV = { MIN_NOTICE_SECONDS: '1' };

const created = async (t: TestApp, p: Party, path: string, body?: unknown) => expectStatus(await client(t, p.apiKey).post(path, body), 201).body;
const done = async (t: TestApp, p: Party, path: string, body?: unknown) => expectStatus(await client(t, p.apiKey).post(path, body), 200).body;

/** Closes an auction as `by` once closesAt has passed; the close job may have got there first. */
async function closed(t: TestApp, by: Party, auction: { id: string; closesAt: string }): Promise<any> {
  await waitPast(auction.closesAt);
  const res = await client(t, by.apiKey).post(`/v1/auctions/${auction.id}/close`);
  return res.status === 200 ? res.body : waitForStatus(t, by, auction.id, 'CLOSED');
}

/** Ends a regional trade's notice and closes it as its seller; the close job may have got there first. */
async function closedRegionalTrade(t: TestApp, seller: Party, id: string): Promise<void> {
  await endNotice(t, id);
  const res = await client(t, seller.apiKey).post(`/v1/regional-trades/${id}/close`);
  if (res.status === 200) return;
  for (const until = Date.now() + 15_000; Date.now() < until; await sleep(100)) {
    if ((await client(t, seller.apiKey).get(`/v1/regional-trades/${id}`)).body.status !== 'ANNOUNCED') return;
  }
  throw new Error(`regional trade ${id} did not close: ${res.status} ${JSON.stringify(res.body)}`);
}

export async function buildDealsScene(t: TestApp, s: InformationScene): Promise<DealsScene> {
  const otherCounty = await createParticipant(t, 'REGULATOR', '150422');
  await fundQuota(t, s.city.apiKey, s.factory, '100', { regionCode: '150422', source: 'GROUNDWATER' });
  await Promise.all([fundCash(t, s.baotou, '300000.00'), fundCash(t, otherCounty, '200000.00'), fundCash(t, s.reserve, '10000.00')]);

  // Auctions that close in a few seconds: opened and bid on first, closed after the long-term deals.
  const listing = await openAuction(t, s.district, { marketId: s.surface, side: 'SELL', volume: '1000', limitPrice: '1.50', closesAt: closingIn(4000) });
  const tender = await openAuction(t, s.reserve, { marketId: s.surface, side: 'BUY', volume: '1000', limitPrice: '1.37', closesAt: closingIn(4000) });
  const roundingTender = await openAuction(t, s.reserve, { marketId: s.groundwater, side: 'BUY', volume: '3', limitPrice: '1.0051', closesAt: closingIn(4000) });
  const listingBids = {
    factory: await bid(t, s.factory, listing.id, '1.80', '600'),
    reserve: await bid(t, s.reserve, listing.id, '1.70', '600'),
    bystander: await bid(t, s.bystander, listing.id, '1.55', '300'),
  };
  const tenderOffers = { won: await bid(t, s.district, tender.id, '1.20', '600'), aboveLimit: await bid(t, s.district, tender.id, '1.45', '500') };
  const roundingOffers = [];
  for (let i = 0; i < 3; i++) roundingOffers.push(await bid(t, s.factory, roundingTender.id, '1.0051', '1'));
  const openListing = await openAuction(t, s.district, { marketId: s.surface, side: 'SELL', volume: '500', limitPrice: '1.60', closesAt: inHours(2) });
  const openListingBid = await bid(t, s.factory, openListing.id, '1.65', '200');
  const openTender = await openAuction(t, s.reserve, { marketId: s.surface, side: 'BUY', volume: '700', limitPrice: '2.22', closesAt: inHours(2), priorityKinds: ['IRRIGATION_DISTRICT'] });
  const openTenderOffer = await bid(t, s.district, openTender.id, '1.10', '300');

  // Transfers of rights.
  const districtRight = await registerRight(t, s.county, s.district, { annualVolume: '300000' });
  const factoryRight = await registerRight(t, s.city, s.factory, { annualVolume: '100000', useType: 'INDUSTRY' });
  const proposeRight = (seller: Party, body: Record<string, unknown>) => created(t, seller, '/v1/right-transfers', body);
  const rt1 = await proposeRight(s.district, { rightId: districtRight.id, buyerId: s.factory.id, volumePerYear: '30000', fromYear: NEXT_YEAR, toYear: NEXT_YEAR + 2, price: '0.80' });
  const rt2 = await proposeRight(s.factory, { rightId: factoryRight.id, buyerId: s.bystander.id, volumePerYear: '10000', fromYear: NEXT_YEAR, toYear: NEXT_YEAR + 4, price: '1.10' });
  const proposedRightTransfer = await proposeRight(s.district, { rightId: districtRight.id, buyerId: s.reserve.id, volumePerYear: '5000', fromYear: NEXT_YEAR, toYear: NEXT_YEAR, price: '0.50' });
  await done(t, s.factory, `/v1/right-transfers/${rt1.id}/accept`);
  await done(t, s.bystander, `/v1/right-transfers/${rt2.id}/accept`);
  const rightTransfers = [
    await done(t, s.city, `/v1/right-transfers/${rt1.id}/approve`, { comment: '水权转换 reviewed' }),
    await done(t, s.province, `/v1/right-transfers/${rt2.id}/approve`, {}),
  ];

  // Regional trades.
  for (const year of [NEXT_YEAR, NEXT_YEAR + 1]) for (const code of ['150421', '150422']) await setCap(t, code, year, '1000000');
  const announce = (seller: Party, body: Record<string, unknown>) => created(t, seller, '/v1/regional-trades', { closesAt: inHours(1), ...body });
  const interest = (p: Party, id: string, price: string) => created(t, p, `/v1/regional-trades/${id}/interests`, { price });
  const rg1 = await announce(s.county, { volumePerYear: '100000', fromYear: NEXT_YEAR, toYear: NEXT_YEAR + 1, askingPrice: '0.50' });
  const rg2 = await announce(otherCounty, { volumePerYear: '50000', fromYear: NEXT_YEAR, toYear: NEXT_YEAR, askingPrice: '0.40' });
  const openRegionalTrade = await announce(s.county, { volumePerYear: '20000', fromYear: NEXT_YEAR, toYear: NEXT_YEAR, askingPrice: '0.30' });
  const regionalInterests = { won: await interest(s.baotou, rg1.id, '0.62'), lost: await interest(otherCounty, rg1.id, '0.55'), second: await interest(s.baotou, rg2.id, '0.45') };
  const openInterest = await interest(s.baotou, openRegionalTrade.id, '0.35');
  const regionalTrades = [];
  for (const [trade, seller] of [[rg1, s.county], [rg2, otherCounty]] as const) {
    await closedRegionalTrade(t, seller, trade.id);
    regionalTrades.push(await done(t, s.province, `/v1/regional-trades/${trade.id}/approve`, {}));
  }

  // The auctions close, and the trades they opened are approved.
  const ended = [await closed(t, s.district, listing), await closed(t, s.reserve, tender), await closed(t, s.reserve, roundingTender)];
  const auctionTradeIds = ended.flatMap((a) => a.allocations.map((x: any) => x.tradeId));
  for (const id of auctionTradeIds) await done(t, s.city, `/v1/trades/${id}/approve`, {});

  // The scene's negotiated transfer goes through.
  const accepted = await done(t, s.factory, `/v1/transfers/${s.transferId}/accept`);
  await done(t, s.city, `/v1/trades/${accepted.tradeId}/approve`, {});

  return {
    otherCounty, listing: ended[0], listingBids, tender: ended[1], tenderOffers, roundingTender: ended[2], roundingOffers,
    openListing, openListingBid, openTender, openTenderOffer, auctionTradeIds, transferTradeId: accepted.tradeId,
    rightTransfers, proposedRightTransfer, regionalTrades, regionalInterests, openRegionalTrade, openInterest,
  };
}
