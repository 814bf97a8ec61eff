import { verifyCommitments } from '../../src/core/sealed-bids';
import { createParticipant, Party } from './support/fixtures';
import { auctionApp, bid, bidsAs, closeAuction, closingIn, openAuction } from './support/auctions';
import { sql } from './support/sql';
import { client, TestApp } from './support/test-app';
import { AGRI, expectStatus, startTradeScene } from './support/trade-scene';
import { fundCash, fundQuota, openMarket } from './support/trading';

jest.setTimeout(60_000);

/** Every string leaf of a JSON value. */
function leaves(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) value.forEach((v) => leaves(v, out));
  else if (value !== null && typeof value === 'object') Object.values(value).forEach((v) => leaves(v, out));
  return out;
}

interface Secret {
  bidder: Party;
  /** The bidder's id and the bid's figures as strings, exactly as a response or entry would carry them. */
  values: string[];
}

/**
 * Sealed, and provably so (API.md, Sealed bids). Before the close, nothing any endpoint
 * answers names a bid's bidder, price, volume or lock to anyone but the bidder and the
 * operator, regulators supervising a bidder seeing only its locks in its balances and
 * ledger. After the close, anyone reading the audit log can check every bid against the
 * commitment recorded when it was placed.
 */
describe('sealed bids', () => {
  let t: TestApp;
  let operator: Party;
  let county: Party; // 150421: supervises the district and B
  let otherCounty: Party; // 150422: supervises A
  let city: Party; // 150400: supervises everyone here
  let baotou: Party; // 150200: supervises no one here
  let market: string;
  let district: Party;
  let reserve: Party;
  let a: Party; // 150422
  let b: Party; // 150421
  let s: Party; // 150421, sells to the tender
  let stranger: Party;
  let listing: any;
  let tender: any;
  let withdrawn: any;
  let secrets: Secret[];
  let auditFrom: number;

  beforeAll(async () => {
    ({ t, operator, regulators: [county, otherCounty, city, baotou] } = await startTradeScene({
      regulators: ['150421', '150422', '150400', '150200'],
      app: auctionApp(),
    }));
    market = (await openMarket(t, { regionCode: '150421' })).id;
    [district, reserve, a, b, s, stranger] = await Promise.all([
      createParticipant(t, 'IRRIGATION_DISTRICT', '150421'),
      createParticipant(t, 'RESERVE', '150400'),
      createParticipant(t, 'ENTERPRISE', '150422'),
      createParticipant(t, 'WATER_USER', '150421'),
      createParticipant(t, 'ENTERPRISE', '150421'),
      createParticipant(t, 'ENTERPRISE', '150421'),
    ]);
    await fundQuota(t, county.apiKey, district, '5000', AGRI);
    await fundQuota(t, county.apiKey, s, '5000');
    await Promise.all([a, b, reserve].map((p) => fundCash(t, p, '10000.00')));
    auditFrom = expectStatus(await client(t, t.adminKey).get('/v1/audit/verify'), 200).body.entries;

    const closesAt = closingIn(4000);
    listing = await openAuction(t, district, { marketId: market, side: 'SELL', volume: '1000', limitPrice: '2.00', closesAt });
    tender = await openAuction(t, reserve, { marketId: market, side: 'BUY', volume: '800', limitPrice: '1.50', closesAt });
    await bid(t, a, listing.id, '2.37', '613'); // locks 1452.81
    await bid(t, b, listing.id, '2.29', '487'); // locks 1115.23
    withdrawn = await bid(t, b, listing.id, '2.53', '331'); // locks 837.43, then withdrawn
    expectStatus(await client(t, b.apiKey).delete(`/v1/auctions/${listing.id}/bids/${withdrawn.id}`), 200);
    await bid(t, s, tender.id, '1.37', '211'); // locks 211 m³
    secrets = [
      { bidder: a, values: [a.id, '2.37', '613', '1452.81'] },
      { bidder: b, values: [b.id, '2.29', '487', '1115.23', '2.53', '331', '837.43'] },
      { bidder: s, values: [s.id, '1.37', '211'] },
    ];
  });
  afterAll(() => t.close());

  /** The regions above each bidder's: whose regulators supervise it. */
  const CHAINS: Record<string, string[]> = { '150421': ['150421', '150400', '150000'], '150422': ['150422', '150400', '150000'] };
  const supervises = (reader: Party, bidder: Party) => reader.kind === 'REGULATOR' && CHAINS[bidder.regionCode].includes(reader.regionCode);

  it('before the close, nothing any other caller reads names a bidder, a price, a volume or a lock', async () => {
    const readers = [district, reserve, stranger, county, otherCounty, city, baotou, a, b, s, operator];
    const paths = (reader: Party) => [
      '/v1/auctions?limit=500',
      `/v1/auctions/${listing.id}`,
      `/v1/auctions/${tender.id}`,
      `/v1/auctions/${listing.id}/bids?limit=500`,
      `/v1/auctions/${tender.id}/bids?limit=500`,
      `/v1/markets/${market}`,
      `/v1/markets/${market}/book`,
      `/v1/markets/${market}/trades`,
      '/v1/trades?limit=500',
      '/v1/transfers?limit=500',
      '/v1/orders?limit=500',
      '/v1/right-transfers?limit=500',
      '/v1/regional-trades?limit=500',
      `/v1/regions/150421/caps/${new Date().getUTCFullYear()}`,
      ...(reader.kind === 'REGULATOR' ? ['/v1/approvals?limit=500', '/v1/approvals?type=REGIONAL_TRADE&limit=500'] : []),
      ...[a, b, s].flatMap((p) => [`/v1/participants/${p.id}/balances`, `/v1/participants/${p.id}/ledger?limit=500`]),
    ];
    const found: string[] = [];
    let seenByBidders = 0;
    for (const reader of readers) {
      for (const path of paths(reader)) {
        const res = await client(t, reader.apiKey).get(path);
        if (res.status >= 500) throw new Error(`${path}: ${res.status}`);
        const values = new Set(leaves(res.body));
        for (const secret of secrets) {
          // The scan must be able to see a secret where one is shown: the bidder's own reads show its figures.
          if (reader === secret.bidder) seenByBidders += secret.values.filter((v) => values.has(v)).length;
          if (reader === secret.bidder || reader === operator) continue;
          // The one exception: a regulator supervising a bidder sees its locks in its balances and ledger.
          if (path.startsWith(`/v1/participants/${secret.bidder.id}/`) && supervises(reader, secret.bidder)) continue;
          for (const v of secret.values) if (values.has(v)) found.push(`${reader.kind} ${reader.regionCode} GET ${path} shows ${v}`);
        }
      }
    }
    expect(found).toEqual([]);
    expect(seenByBidders).toBeGreaterThanOrEqual(10);
  });

  it('the exception: regulators supervising a bidder see its locks; others are refused its balances', async () => {
    expect(expectStatus(await client(t, otherCounty.apiKey).get(`/v1/participants/${a.id}/balances`), 200).body.cash).toEqual({ available: '8547.19', locked: '1452.81' });
    expect(expectStatus(await client(t, county.apiKey).get(`/v1/participants/${s.id}/balances`), 200).body.quota[0]).toMatchObject({ locked: '211' });
    for (const reader of [county, baotou, district, reserve, stranger]) {
      expect((await client(t, reader.apiKey).get(`/v1/participants/${a.id}/balances`)).status).toBe(403);
    }
    // The bidder's ledger names the bid as its reference, to those who may read it.
    const ledger = expectStatus(await client(t, a.apiKey).get(`/v1/participants/${a.id}/ledger`), 200).body.items;
    expect(ledger[0]).toMatchObject({ reason: 'LOCK', refType: 'bid', delta: '1452.81', account: 'LOCKED' });
  });

  it('a bidder sees its own bids with their salts; the creator and the operator see none before the close', async () => {
    const mine = await bidsAs(t, b, listing.id);
    expect(mine.map((x) => [x.price, x.volume, x.status])).toEqual([['2.53', '331', 'WITHDRAWN'], ['2.29', '487', 'ACTIVE']]);
    expect(mine.every((x) => /^[0-9a-f]{32}$/.test(x.salt))).toBe(true);
    expect(await bidsAs(t, district, listing.id)).toEqual([]);
    expect(await bidsAs(t, operator, listing.id)).toEqual([]);
    expect(await bidsAs(t, city, listing.id)).toEqual([]);
  });

  it('the audit log holds one commitment per bid and its withdrawal, with no actor, and nothing else about bids', async () => {
    const entries = expectStatus(await client(t, city.apiKey).get('/v1/audit?limit=500'), 200).body.items.filter((e: any) => e.seq > auditFrom);
    const bidEntries = entries.filter((e: any) => e.entityType === 'bid');
    expect(bidEntries.map((e: any) => e.action)).toEqual(['bid.placed', 'bid.placed', 'bid.placed', 'bid.withdrawn', 'bid.placed']);
    for (const e of bidEntries) {
      expect(e).toMatchObject({ actorId: null, before: null });
      expect(Object.keys(e.after).sort()).toEqual(['auctionId', 'commitment', 'id']);
      expect(e.after.commitment).toMatch(/^[0-9a-f]{64}$/);
    }
    const placedW = bidEntries.filter((e: any) => e.entityId === withdrawn.id);
    expect(placedW.map((e: any) => e.after.commitment)).toEqual([placedW[0].after.commitment, placedW[0].after.commitment]);
    // Every other entry since the auctions opened is about the auctions themselves.
    expect(new Set(entries.filter((e: any) => e.entityType !== 'bid').map((e: any) => e.action))).toEqual(new Set(['auction.locked', 'auction.created']));
    const values = new Set(leaves(entries));
    for (const secret of secrets) for (const v of secret.values) expect([v, values.has(v)]).toEqual([v, false]);
  });

  it('after the close, every bid is published with its salt and every commitment checks out', async () => {
    await closeAuction(t, district, listing);
    await closeAuction(t, reserve, tender);
    const entries = expectStatus(await client(t, county.apiKey).get('/v1/audit?limit=500'), 200).body.items;
    for (const auction of [listing, tender]) {
      const [closed] = entries.filter((e: any) => e.action === 'auction.closed' && e.entityId === auction.id);
      const published = closed.after.bids;
      const commitments = entries
        .filter((e: any) => e.entityType === 'bid' && e.after.auctionId === auction.id)
        .map((e: any) => ({ id: e.after.id, commitment: e.after.commitment }));
      const report = verifyCommitments(published, commitments);
      expect(report).toMatchObject({ valid: true });
      expect(report.bids.every((x) => x.verdict === 'MATCHES')).toBe(true);
      expect(published.length).toBe(auction === listing ? 3 : 1);
    }
    const [closedListing] = entries.filter((e: any) => e.action === 'auction.closed' && e.entityId === listing.id);
    expect(closedListing.actorId).toBe(district.id);
    expect(closedListing.after.bids.find((x: any) => x.id === withdrawn.id)).toEqual({
      id: withdrawn.id, bidderId: b.id, price: '2.53', volume: '331', salt: withdrawn.salt, status: 'WITHDRAWN',
    });
    // A changed figure no longer matches its commitment.
    const tampered = closedListing.after.bids.map((x: any) => (x.bidderId === a.id ? { ...x, price: '2.38' } : x));
    const commitments = entries.filter((e: any) => e.entityType === 'bid' && e.after.auctionId === listing.id).map((e: any) => e.after);
    expect(verifyCommitments(tampered, commitments).valid).toBe(false);
    // Now the creator, the operator and the market's supervisors see every bid; others still only their own.
    for (const reader of [district, operator, county, city]) expect((await bidsAs(t, reader, listing.id)).length).toBe(3);
    for (const reader of [otherCounty, baotou, stranger]) expect(await bidsAs(t, reader, listing.id)).toEqual([]);
    expect(expectStatus(await client(t, t.adminKey).get('/v1/audit/verify'), 200).body.valid).toBe(true);
    const announced = await sql(t, `SELECT data FROM announcements WHERE data->>'auctionId' = ANY($1)`, [[listing.id, tender.id]]);
    for (const secret of secrets) for (const row of announced) expect(leaves(row.data)).not.toContain(secret.bidder.id);
  });
});
