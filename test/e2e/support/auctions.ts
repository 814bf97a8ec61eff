import { sleep } from '../../support/load/units';
import { Party } from './fixtures';
import { client, TestApp, TestAppOptions } from './test-app';
import { expectStatus } from './trade-scene';

/**
 * Auction suites run the service with a one-second notice period (MIN_NOTICE_SECONDS), so an
 * auction can close a few seconds after it opens; the default of five days is checked on its own.
 */
export const NOTICE_SECONDS = 1;

/** The app options of an auction suite: short notice, the close job as the caller asks. */
export const auctionApp = (options: TestAppOptions = {}): TestAppOptions => ({
  ...options,
  env: { MIN_NOTICE_SECONDS: String(NOTICE_SECONDS), ...options.env },
});

/** A closesAt `ms` from now. */
export const closingIn = (ms: number): string => new Date(Date.now() + ms).toISOString();

export { sleep };

/** Waits until `closesAt` has passed (on this machine's clock, the service's too). */
export async function waitPast(closesAt: string): Promise<void> {
  const left = Date.parse(closesAt) - Date.now();
  if (left >= 0) await sleep(left + 25);
}

export async function openAuction(t: TestApp, creator: Party, body: Record<string, unknown>): Promise<any> {
  return expectStatus(await client(t, creator.apiKey).post('/v1/auctions', { closesAt: closingIn(3000), ...body }), 201).body;
}

export async function placeBid(t: TestApp, bidder: Party, auctionId: string, body: Record<string, unknown>) {
  return client(t, bidder.apiKey).post(`/v1/auctions/${auctionId}/bids`, body);
}

/** A bid the service must accept; its response (with the salt only the bidder sees). */
export async function bid(t: TestApp, bidder: Party, auctionId: string, price: string, volume: string, extra: Record<string, unknown> = {}): Promise<any> {
  return expectStatus(await placeBid(t, bidder, auctionId, { price, volume, ...extra }), 201).body;
}

/** Waits for closesAt, then closes the auction as `by`. */
export async function closeAuction(t: TestApp, by: Party, auction: { id: string; closesAt: string }): Promise<any> {
  await waitPast(auction.closesAt);
  return expectStatus(await client(t, by.apiKey).post(`/v1/auctions/${auction.id}/close`), 200).body;
}

export async function auctionAs(t: TestApp, reader: Party, id: string): Promise<any> {
  return expectStatus(await client(t, reader.apiKey).get(`/v1/auctions/${id}`), 200).body;
}

/** Every bid a reader sees on an auction, newest first. */
export async function bidsAs(t: TestApp, reader: Party, id: string): Promise<any[]> {
  return expectStatus(await client(t, reader.apiKey).get(`/v1/auctions/${id}/bids?limit=500`), 200).body.items;
}

export async function tradeAs(t: TestApp, reader: Party, id: string): Promise<any> {
  return expectStatus(await client(t, reader.apiKey).get(`/v1/trades/${id}`), 200).body;
}

/** Polls until the auction reaches `status` (the close job), failing after `timeoutMs`. */
export async function waitForStatus(t: TestApp, reader: Party, id: string, status: string, timeoutMs = 15_000): Promise<any> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const res = await client(t, reader.apiKey).get(`/v1/auctions/${id}`);
    if (res.status === 200 && res.body.status === status) return res.body;
    if (Date.now() > until) throw new Error(`auction ${id} is still ${res.body.status} after ${timeoutMs} ms`);
    await sleep(100);
  }
}
