import { auctionApp, bid, closingIn, openAuction, waitPast } from './support/auctions';
import { capRace, inTurn } from './support/cap-races';
import { client, startTestApp, TestApp } from './support/test-app';

/**
 * An auction's close decides its trades against the caps above each buyer, where trades
 * settle as they open: a region moving at that instant waits for the close, or the close
 * for it (decision 0004), never both past a cap.
 */
describe('auction closes and region moves (用水总量控制)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp(auctionApp());
  });
  afterAll(() => t.close());

  it('serialises moves with closes whose trades settle at once: never both past the cap', async () => {
    const scene = await capRace(t, { city: '140500', marketCounty: '140984', countyPrefix: '14057', races: 4, approvalMode: 'FILING' });
    for (let i = 0; i < 4; i++) {
      const buyer = await scene.buyer(i);
      const auction = await openAuction(t, scene.seller, { marketId: scene.marketId, side: 'SELL', volume: '600', limitPrice: '1.00', closesAt: closingIn(1500) });
      await bid(t, buyer, auction.id, '1.00', '600');
      await waitPast(auction.closesAt);
      const close = () => client(t, scene.seller.apiKey).post(`/v1/auctions/${auction.id}/close`);
      const [closed, move] = await inTurn(i, close, () => scene.moveIn(i));
      expect(closed.status).toBe(200);
      const settled = closed.body.allocations.length === 1 && (await client(t, scene.seller.apiKey).get(`/v1/trades/${closed.body.allocations[0].tradeId}`)).body.status === 'SETTLED';
      // Closed first, the move is refused for the cap; moved first, the bid fails BUYER_REGION_CAP and takes nothing settled.
      expect([settled, move.status]).toEqual(settled ? [true, 409] : [false, 200]);
      expect(await scene.headroom()).toBe(500);
    }
  });
});
