import { auctionApp, closingIn, openAuction } from './support/auctions';
import { createParticipant, Party, seedRegions } from './support/fixtures';
import { inHours, setCap, wholeAuditLog } from './support/long-term';
import { client, startTestApp, TestApp } from './support/test-app';
import { expectStatus } from './support/trade-scene';
import { fundCash, fundQuota, openMarket, placeOrder, TRADING_YEAR } from './support/trading';

/**
 * API.md, Audit log: the operator reads every entry; a regulator reads only the entries about
 * objects that belong to a region in its jurisdiction, and never what the entity's GET
 * withholds from it (a BUY tender's limit price and the creator's lock that would betray it).
 */
describe('audit log scoped to jurisdiction', () => {
  let t: TestApp;
  let county421: Party; // 阿鲁科尔沁旗
  let county422: Party; // 巴林左旗
  let city: Party; // 赤峰市, above both
  let baotou: Party; // 包头市, beside them
  let district: Party;
  let reserve: Party;
  let factory: Party;
  const ids421 = new Set<string>();
  const ids422 = new Set<string>();
  let tenderId: string;
  let regionalTradeId: string;
  let offerId: string;
  let rightTransferId: string;
  let webhookId: string;

  /** Every entry `reader` sees, following cursors `limit` at a time. */
  const logAs = async (reader: Party, limit = 500, query = ''): Promise<any[]> => {
    const entries: any[] = [];
    let cursor: string | null = null;
    do {
      const page: any = expectStatus(await client(t, reader.apiKey).get(`/v1/audit?limit=${limit}${query}${cursor ? `&cursor=${cursor}` : ''}`), 200).body;
      expect(page.items.length).toBeLessThanOrEqual(limit);
      entries.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return entries;
  };
  const entityIds = (entries: any[]) => new Set(entries.map((e) => e.entityId));

  beforeAll(async () => {
    t = await startTestApp(auctionApp({ env: { WEBHOOK_ALLOW_PRIVATE: 'true' } }));
    await seedRegions(t);
    [county421, county422, city, baotou] = await Promise.all(['150421', '150422', '150400', '150200'].map((code) => createParticipant(t, 'REGULATOR', code)));
    district = await createParticipant(t, 'IRRIGATION_DISTRICT', '150421');
    reserve = await createParticipant(t, 'RESERVE', '150421');
    factory = await createParticipant(t, 'ENTERPRISE', '150422');
    await setCap(t, '150421', TRADING_YEAR, '1000000');
    await setCap(t, '150422', TRADING_YEAR, '1000000');
    const market421 = (await openMarket(t, { regionCode: '150421' })).id;
    const market422 = (await openMarket(t, { regionCode: '150422' })).id;
    const right421 = (await fundQuota(t, county421.apiKey, district, '500')).rightId;
    const right422 = (await fundQuota(t, county422.apiKey, factory, '500')).rightId;
    await fundCash(t, reserve, '10000.00');
    await fundCash(t, factory, '10000.00');
    const order421 = expectStatus(await placeOrder(t, district, market421, { side: 'SELL', price: '2.00', volume: '100', clientOrderId: 'district-421' }), 201).body.id;
    const order422 = expectStatus(await placeOrder(t, factory, market422, { side: 'SELL', price: '2.00', volume: '100', clientOrderId: 'factory-422' }), 201).body.id;
    tenderId = (await openAuction(t, reserve, { marketId: market421, side: 'BUY', volume: '50', limitPrice: '3.00', closesAt: closingIn(60_000) })).id;
    regionalTradeId = expectStatus(await client(t, county422.apiKey).post('/v1/regional-trades', {
      volumePerYear: '1000', fromYear: TRADING_YEAR, toYear: TRADING_YEAR, askingPrice: '1.00', closesAt: inHours(1),
    }), 201).body.id;
    offerId = expectStatus(await client(t, district.apiKey).post(`/v1/auctions/${tenderId}/bids`, { price: '2.00', volume: '10' }), 201).body.id;
    rightTransferId = expectStatus(await client(t, district.apiKey).post('/v1/right-transfers', {
      rightId: right421, buyerId: reserve.id, volumePerYear: '10', fromYear: TRADING_YEAR + 1, toYear: TRADING_YEAR + 1, price: '1.00',
    }), 201).body.id;
    webhookId = expectStatus(await client(t, factory.apiKey).post('/v1/webhooks', { url: 'http://127.0.0.1:9/private-hook' }), 201).body.id;
    for (const id of [district.id, reserve.id, county421.id, '150421', `150421-${TRADING_YEAR}`, market421, right421, order421, tenderId, offerId, rightTransferId]) ids421.add(id);
    for (const id of [factory.id, county422.id, '150422', `150422-${TRADING_YEAR}`, market422, right422, order422, regionalTradeId]) ids422.add(id);
  });
  afterAll(() => t.close());

  it('the operator reads every entry, and the chain verifies', async () => {
    const all = await wholeAuditLog(t);
    const verify = expectStatus(await client(t, t.adminKey).get('/v1/audit/verify'), 200).body;
    expect(verify).toMatchObject({ valid: true, entries: all.length, firstInvalidSeq: null });
    expect(all.map((e) => e.seq)).toEqual(all.map((_, i) => i + 1));
    for (const id of [...ids421, ...ids422]) expect([id, entityIds(all).has(id)]).toEqual([id, true]);
  });

  it('a county regulator does not see another county\'s entries', async () => {
    const seen421 = entityIds(await logAs(county421));
    for (const id of ids421) expect([id, seen421.has(id)]).toEqual([id, true]);
    for (const id of ids422) expect([id, seen421.has(id)]).toEqual([id, false]);
    const seen422 = entityIds(await logAs(county422));
    for (const id of ids422) expect([id, seen422.has(id)]).toEqual([id, true]);
    for (const id of ids421) expect([id, seen422.has(id)]).toEqual([id, false]);
  });

  it('nor does it learn another county\'s credit codes, client order ids or deposits', async () => {
    const text = JSON.stringify(await logAs(county421));
    expect(text).not.toContain('factory-422');
    expect(text).toContain('district-421');
    const deposits = await logAs(county421, 500, '&entityType=deposit');
    expect(deposits.length).toBeGreaterThan(0);
    expect(deposits.every((e) => e.after.participantId === undefined || e.after.participantId === reserve.id)).toBe(true);
    const all = (await wholeAuditLog(t)).filter((e) => e.entityType === 'deposit');
    expect(entityIds(deposits).size).toBe(entityIds(all).size - 1);
  });

  it('a city regulator sees both of its counties; a regulator beside them sees neither', async () => {
    const seenCity = entityIds(await logAs(city));
    for (const id of [...ids421, ...ids422]) expect([id, seenCity.has(id)]).toEqual([id, true]);
    const seenBaotou = await logAs(baotou);
    // Only its own region, itself and its key.
    expect(seenBaotou.filter((e) => e.entityId !== '150200' && e.entityId !== baotou.id).map((e) => e.action)).toEqual(['apiKey.created']);
  });

  it('a regulator pages its own view without gaps or repeats, whatever the page size', async () => {
    const whole = (await logAs(county421)).map((e) => e.seq);
    expect((await logAs(county421, 3)).map((e) => e.seq)).toEqual(whole);
    expect((await logAs(county421, 1, '&entityType=participant')).map((e) => e.entityId).sort()).toEqual([county421.id, district.id, reserve.id].sort());
  });

  it('a BUY tender\'s limit price and the lock that betrays it are withheld from regulators, shown to the operator', async () => {
    const asCounty = (await logAs(county421, 500, `&entityType=auction&entityId=${tenderId}`));
    expect(asCounty.map((e) => e.action)).toEqual(['auction.locked', 'auction.created']);
    expect(asCounty.find((e) => e.action === 'auction.created').after.limitPrice).toBeNull();
    expect(asCounty.find((e) => e.action === 'auction.locked').after).not.toHaveProperty('amount');
    const asOperator = (await wholeAuditLog(t)).filter((e) => e.entityId === tenderId);
    expect(asOperator.find((e) => e.action === 'auction.created').after.limitPrice).toBe('3');
    expect(asOperator.find((e) => e.action === 'auction.locked').after.amount).toBe('150.00');
    expect(JSON.stringify(asCounty)).not.toMatch(/"3"|"150(\.00)?"/);
  });

  it('a sealed offer on a tender is seen by the market\'s regulators as its commitment only, and by no one else', async () => {
    const asCounty = await logAs(county421, 500, `&entityType=bid&entityId=${offerId}`);
    expect(asCounty.map((e) => e.action)).toEqual(['bid.placed']);
    expect(asCounty[0]).toMatchObject({ actorId: null, before: null });
    expect(Object.keys(asCounty[0].after).sort()).toEqual(['auctionId', 'commitment', 'id']);
    expect(await logAs(county422, 500, `&entityType=bid&entityId=${offerId}`)).toEqual([]);
  });

  it('a transfer of rights is seen by the regulators of the right\'s region', async () => {
    for (const [reader, sees] of [[county421, true], [city, true], [county422, false], [baotou, false]] as const) {
      const entries = await logAs(reader, 500, `&entityType=rightTransfer&entityId=${rightTransferId}`);
      expect([reader.regionCode, entries.map((e) => e.action)]).toEqual([reader.regionCode, sees ? ['rightTransfer.proposed'] : []]);
    }
  });

  it('a regional trade is seen by the regulators of its region and above', async () => {
    for (const [reader, sees] of [[county422, true], [city, true], [county421, false], [baotou, false]] as const) {
      const entries = await logAs(reader, 500, `&entityType=regionalTrade&entityId=${regionalTradeId}`);
      expect([reader.regionCode, entries.length > 0]).toEqual([reader.regionCode, sees]);
    }
  });

  it('a regulator\'s deposits and withdrawals are the operator\'s alone to read in the log, as its books are its own and the operator\'s', async () => {
    await fundCash(t, county421, '777.00');
    const withdrawal = expectStatus(await client(t, county421.apiKey).post(`/v1/participants/${county421.id}/withdrawals`, { amount: '7.00' }), 201).body;
    const asOperator = (await wholeAuditLog(t)).filter((e) => ['deposit', 'withdrawal'].includes(e.entityType) && (e.after?.participantId === county421.id || e.after?.owner === county421.id));
    const ids = entityIds(asOperator);
    expect(ids.size).toBe(2);
    expect(ids.has(withdrawal.refId)).toBe(true);
    for (const reader of [city, county421, county422]) {
      const seen = await logAs(reader, 500, '&entityType=deposit');
      const taken = await logAs(reader, 500, '&entityType=withdrawal');
      expect([reader.regionCode, [...seen, ...taken].filter((e) => ids.has(e.entityId))]).toEqual([reader.regionCode, []]);
    }
    // A trader's deposit stays in its region's log.
    expect((await logAs(city, 500, '&entityType=deposit')).length).toBeGreaterThan(0);
  });

  it('a participant\'s webhook, its private URL, is the operator\'s alone to read in the log', async () => {
    const asOperator = (await wholeAuditLog(t)).filter((e) => e.entityId === webhookId);
    expect(asOperator.map((e) => e.action)).toEqual(['webhook.created']);
    expect(asOperator[0].after.url).toBe('http://127.0.0.1:9/private-hook');
    for (const reader of [county422, city, county421, baotou]) {
      const entries = await logAs(reader);
      expect([reader.regionCode, entries.filter((e) => e.entityType === 'webhook')]).toEqual([reader.regionCode, []]);
      expect(JSON.stringify(entries)).not.toContain('private-hook');
    }
  });
});
