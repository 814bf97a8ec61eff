import { randomUUID } from 'node:crypto';
import { auctionApp, bid, closingIn, openAuction, waitPast } from './support/auctions';
import { createParticipant, seedRegions } from './support/fixtures';
import { sql } from './support/sql';
import { client, startTestApp, TestApp } from './support/test-app';
import { fundCash, fundQuota, openMarket, TRADING_YEAR } from './support/trading';

/**
 * An auction's close decides its trades against the caps above each buyer, where trades
 * settle as they open: a region moving at that instant waits for the close, or the close
 * for it (decision 0004), never both past a cap.
 */
describe('auction closes and region moves (用水总量控制)', () => {
  let t: TestApp;
  const op = () => client(t, t.adminKey);

  beforeAll(async () => {
    t = await startTestApp(auctionApp());
    // 山西省 with 晋城市, capped at 1,000 and half used, and a filing market's county beside it.
    await seedRegions(t, [
      { code: '140000', name: '山西省', parentCode: undefined },
      { code: '140500', name: '晋城市', parentCode: '140000' },
      { code: '140984', name: '竞价县', parentCode: '140000' },
    ]);
    await op().put(`/v1/regions/140500/caps/${TRADING_YEAR}`, { totalCap: '1000' });
    await sql(t, `INSERT INTO quota_issuances (id, region_code, year, volume, origin_type, origin_id) VALUES ($1, '140500', $2, '500', 'allocation', $3)`, [
      randomUUID(), TRADING_YEAR, randomUUID(),
    ]);
  });
  afterAll(() => t.close());

  it('serialises moves with closes whose trades settle at once: never both past the cap', async () => {
    const regulator = await createParticipant(t, 'REGULATOR', '140000');
    const seller = await createParticipant(t, 'ENTERPRISE', '140984');
    const { id: marketId } = await openMarket(t, { regionCode: '140984', approvalMode: 'FILING' });
    const races = 4;
    await fundQuota(t, regulator.apiKey, seller, String(600 * races), { regionCode: '140984' });
    for (let i = 0; i < races; i++) {
      const code = `1405${String(71 + i)}`;
      await seedRegions(t, [{ code, name: `县${i}`, parentCode: '140000' }]);
      const buyer = await createParticipant(t, 'ENTERPRISE', code);
      await fundCash(t, buyer, '1000.00');
      const auction = await openAuction(t, seller, { marketId, side: 'SELL', volume: '600', limitPrice: '1.00', closesAt: closingIn(1500) });
      await bid(t, buyer, auction.id, '1.00', '600');
      await waitPast(auction.closesAt);
      const close = () => client(t, seller.apiKey).post(`/v1/auctions/${auction.id}/close`);
      const moveIn = () => op().put(`/v1/regions/${code}`, { name: `县${i}`, parentCode: '140500' });
      const [closed, move] = i % 2 === 0 ? await Promise.all([close(), moveIn()]) : (await Promise.all([moveIn(), close()])).reverse();
      expect(closed.status).toBe(200);
      const settled = closed.body.allocations.length === 1 && (await client(t, seller.apiKey).get(`/v1/trades/${closed.body.allocations[0].tradeId}`)).body.status === 'SETTLED';
      // Closed first, the move is refused for the cap; moved first, the bid fails BUYER_REGION_CAP and takes nothing settled.
      expect([settled, move.status]).toEqual(settled ? [true, 409] : [false, 200]);
      expect(Number((await op().get(`/v1/regions/140500/caps/${TRADING_YEAR}`)).body.headroom)).toBe(500);
    }
  });
});
