import { allocated, bid, buyBackTender, close } from './support/auctions';

const district = (id: string, price: string, volume: string, minute = 0) => bid(id, price, volume, { bidderKind: 'IRRIGATION_DISTRICT', minute });
const waterUser = (id: string, price: string, volume: string, minute = 0) => bid(id, price, volume, { bidderKind: 'WATER_USER', minute });
const enterprise = (id: string, price: string, volume: string, minute = 0) => bid(id, price, volume, { bidderKind: 'ENTERPRISE', minute });

describe("a reserve's buy-back tender with a priority list (收储)", () => {
  const tender = buyBackTender({ volume: '1000', priorityKinds: ['IRRIGATION_DISTRICT', 'WATER_USER'] });

  it("takes the districts' saved water first, even when it is dearer", () => {
    const outcome = close(tender, [enterprise('E', '1.20', '800'), district('D', '2.80', '600')]);
    expect(allocated(outcome)).toEqual([
      ['D', '600', '2.8', '1680.00'],
      ['E', '400', '1.2', '480.00'],
    ]);
  });

  it('ranks the listed kinds in the order listed, then every unlisted kind', () => {
    const outcome = close(buyBackTender({ volume: '3000', priorityKinds: tender.priorityKinds }), [
      enterprise('E', '1.00', '500'),
      waterUser('W', '1.50', '500'),
      district('D', '2.50', '500'),
      bid('S', '0.90', '500', { bidderKind: 'SERVICE_COMPANY' }),
    ]);
    expect(outcome.bids.map((b) => b.bidId)).toEqual(['D', 'W', 'S', 'E']);
  });

  it('within a tier buys the cheapest offer first, then the earliest', () => {
    const outcome = close(tender, [district('D1', '2.00', '500', 5), district('D2', '1.80', '500', 9), district('D3', '2.00', '500', 1)]);
    expect(allocated(outcome).map(([id, volume]) => [id, volume])).toEqual([
      ['D2', '500'],
      ['D3', '500'],
    ]);
  });

  it('buys from each seller at its own offer by default (PAY_AS_BID)', () => {
    const outcome = close(tender, [district('D', '2.00', '500'), enterprise('E', '1.00', '500')]);
    expect(outcome.clearingPrice).toBeNull();
    expect(outcome.allocations.map((a) => [a.sellerId, a.buyerId, a.price])).toEqual([
      ['bidder-D', 'reserve', '2'],
      ['bidder-E', 'reserve', '1'],
    ]);
  });

  it('under UNIFORM pricing pays every seller the highest winning offer, whatever its tier', () => {
    const outcome = close({ ...tender, pricing: 'UNIFORM' }, [district('D', '2.00', '500'), enterprise('E', '1.00', '500')]);
    expect(allocated(outcome)).toEqual([
      ['D', '500', '2', '1000.00'],
      ['E', '500', '2', '1000.00'],
    ]);
    expect(outcome.clearingPrice).toBe('2');
  });

  it('without a priority list ranks on price alone', () => {
    const outcome = close(buyBackTender({ volume: '500' }), [district('D', '2.00', '500'), enterprise('E', '1.00', '500')]);
    expect(allocated(outcome).map(([id]) => id)).toEqual(['E']);
  });
});
