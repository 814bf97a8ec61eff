/**
 * README's trading walk-through, written as a system that integrates with the exchange
 * would write it: against types generated from the served OpenAPI document by
 * openapi-typescript, through openapi-fetch. It compiles under `tsc --strict` with no cast
 * and no `any` (the client test checks both), then runs against a live service.
 *
 * Run by test/e2e/openapi-client.e2e-spec.ts with BASE_URL and ADMIN_API_KEY set.
 */
import createClient from 'openapi-fetch';
import type { paths } from './api';

const baseUrl = process.env.BASE_URL ?? 'http://localhost:3000';
const adminKey = process.env.ADMIN_API_KEY ?? '';

const clientFor = (apiKey: string) => createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${apiKey}` } });

interface Outcome<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** The body of a successful answer with the expected status; anything else stops the flow with what the service said. */
function expectData<T>(step: string, status: number, outcome: Outcome<T>): T {
  if (outcome.response.status !== status || outcome.data === undefined) {
    throw new Error(`${step}: expected ${status}, got ${outcome.response.status} ${JSON.stringify(outcome.error ?? outcome.data)}`);
  }
  return outcome.data;
}

function expectEqual(what: string, actual: unknown, expected: unknown): void {
  if (JSON.stringify(actual) !== JSON.stringify(expected)) throw new Error(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}

/** The current year in Asia/Shanghai, as the service counts years. */
const year = Number(new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(new Date()));

async function main(): Promise<void> {
  const op = clientFor(adminKey);

  // 1. Regions, two regulators, the two parties (operator).
  for (const [code, name, parentCode] of [
    ['150000', '内蒙古自治区', '100000'],
    ['150400', '赤峰市', '150000'],
    ['150421', '阿鲁科尔沁旗', '150400'],
    ['150404', '松山区', '150400'],
  ] as const) {
    const put = await op.PUT('/v1/regions/{code}', { params: { path: { code } }, body: { name, parentCode } });
    const region = expectData(`region ${code}`, 201, put);
    expectEqual(`region ${code} parent`, region.parentCode, parentCode);
  }

  const register = async (name: string, kind: 'REGULATOR' | 'IRRIGATION_DISTRICT' | 'ENTERPRISE', regionCode: string) => {
    const created = expectData(`participant ${name}`, 201, await op.POST('/v1/participants', { body: { name, kind, regionCode } }));
    if (created.apiKey === null) throw new Error(`participant ${name}: the key was withheld on a first response`);
    return { id: created.id, useType: created.useType, api: clientFor(created.apiKey) };
  };
  const city = await register('赤峰市水利局', 'REGULATOR', '150400');
  const district = await register('阿鲁科尔沁旗灌区', 'IRRIGATION_DISTRICT', '150421');
  const enterprise = await register('松山区某化工企业', 'ENTERPRISE', '150404');
  expectEqual('district use', district.useType, 'AGRICULTURE');
  expectEqual('enterprise use', enterprise.useType, 'INDUSTRY');

  // The city regulator sets the counties' caps.
  for (const [code, totalCap] of [['150421', '196740000'], ['150404', '208270000']] as const) {
    const cap = expectData(`cap ${code}`, 200, await city.api.PUT('/v1/regions/{code}/caps/{year}', { params: { path: { code, year } }, body: { totalCap } }));
    expectEqual(`cap ${code} headroom`, cap.headroom, totalCap);
  }

  // 2. A right and this year's quota (city regulator).
  const right = expectData(
    'right',
    201,
    await city.api.POST('/v1/rights', {
      body: {
        holderId: district.id,
        regionCode: '150421',
        source: 'SURFACE',
        useType: 'AGRICULTURE',
        annualVolume: '5000000',
        validFrom: `${year - 1}-01-01`,
        validTo: `${year + 2}-12-31`,
        permitNo: `D150421S${year - 1}-0007`,
      },
    }),
  );
  const allocation = expectData(
    'allocation',
    201,
    await city.api.POST('/v1/rights/{id}/allocations', { params: { path: { id: right.id } }, body: { year, volume: '3000000' } }),
  );
  const marketId = allocation.marketId;
  expectEqual('instrument', marketId, `150421-SURFACE-${year}`);

  // 3. Cash for the buyer (operator) and a market with a 0.5 % fee on each side.
  const deposit = expectData(
    'deposit',
    201,
    await op.POST('/v1/participants/{id}/deposits', { params: { path: { id: enterprise.id } }, body: { amount: '2000000', reference: `BANK-${year}-0042` } }),
  );
  expectEqual('deposit', [deposit.reason, deposit.balanceAfter], ['DEPOSIT', '2000000.00']);
  const market = expectData('market', 201, await op.POST('/v1/markets', { body: { regionCode: '150421', source: 'SURFACE', year, feeRate: '0.005' } }));
  expectEqual('market', [market.id, market.status, market.autoApproveMaxVolume], [marketId, 'OPEN', null]);

  // 4. 挂牌: the district sells, the enterprise buys at a crossing price, under Idempotency-Keys.
  const sell = expectData(
    'sell',
    201,
    await district.api.POST('/v1/markets/{id}/orders', {
      params: { path: { id: marketId }, header: { 'Idempotency-Key': 'dist-sell-1' } },
      body: { side: 'SELL', price: '1.20', volume: '800000' },
    }),
  );
  expectEqual('sell rests', [sell.status, sell.trades.length], ['OPEN', 0]);
  const buy = expectData(
    'buy',
    201,
    await enterprise.api.POST('/v1/markets/{id}/orders', {
      params: { path: { id: marketId }, header: { 'Idempotency-Key': 'ent-buy-1' } },
      body: { side: 'BUY', price: '1.25', volume: '500000', clientOrderId: 'ENT-001' },
    }),
  );
  const [trade] = buy.trades;
  if (trade === undefined) throw new Error('the crossing buy executed no trade');
  expectEqual('trade', [trade.price, trade.volume, trade.amount, trade.buyerFee, trade.sellerFee, trade.status], ['1.2', '500000', '600000.00', '3000.00', '3000.00', 'PENDING_APPROVAL']);
  const conversion = trade.checks.find((c) => c.rule === 'USE_CONVERSION');
  expectEqual('农转非 warns', [conversion?.passed, conversion?.severity], [false, 'WARN']);

  // 5. The city regulator, whose jurisdiction holds both parties, approves: settlement in one step.
  const queue = expectData('approvals', 200, await city.api.GET('/v1/approvals', { params: { query: { status: 'PENDING_APPROVAL' } } }));
  expectEqual('queue', queue.items.map((t) => t.id), [trade.id]);
  const approved = expectData(
    'approve',
    200,
    await city.api.POST('/v1/trades/{id}/approve', { params: { path: { id: trade.id } }, body: { comment: '农转非 within the county plan' } }),
  );
  expectEqual('settled', [approved.status, approved.decision, approved.decidedBy], ['SETTLED', 'APPROVED', city.id]);

  // 6. Balances, to the fen and the litre.
  const sellerBooks = expectData('district balances', 200, await district.api.GET('/v1/participants/{id}/balances', { params: { path: { id: district.id } } }));
  const buyerBooks = expectData('enterprise balances', 200, await enterprise.api.GET('/v1/participants/{id}/balances', { params: { path: { id: enterprise.id } } }));
  expectEqual('district cash', sellerBooks.cash, { available: '597000.00', locked: '0.00' });
  expectEqual('district quota', sellerBooks.quota.map((q) => [q.marketId, q.available, q.locked]), [[marketId, '2200000', '300000']]);
  expectEqual('enterprise cash', buyerBooks.cash, { available: '1397000.00', locked: '0.00' });
  expectEqual('enterprise quota', buyerBooks.quota.map((q) => [q.marketId, q.available, q.locked]), [[marketId, '500000', '0']]);

  const tape = expectData('tape', 200, await enterprise.api.GET('/v1/markets/{id}/trades', { params: { path: { id: marketId }, query: { limit: 10 } } }));
  expectEqual('tape', tape.items.map((e) => [e.price, e.volume, e.status]), [['1.2', '500000', 'SETTLED']]);

  // 9. 挂牌竞价: the district lists saved water for sealed bids (the test service's notice is one second).
  const closesAt = new Date(Date.now() + 2500).toISOString();
  const listing = expectData(
    'listing',
    201,
    await district.api.POST('/v1/auctions', { body: { marketId, side: 'SELL', volume: '300000', limitPrice: '1.20', closesAt, note: '灌区节水 挂牌竞价' } }),
  );
  expectEqual('listing', [listing.status, listing.pricing, listing.limitPrice, listing.bidCount], ['OPEN', 'UNIFORM', '1.2', 0]);
  const sealed = expectData(
    'bid',
    201,
    await enterprise.api.POST('/v1/auctions/{id}/bids', { params: { path: { id: listing.id } }, body: { price: '1.32', volume: '200000' } }),
  );
  expectEqual('bid', [sealed.status, sealed.salt.length], ['ACTIVE', 32]);
  const seen = expectData('listing as the city', 200, await city.api.GET('/v1/auctions/{id}', { params: { path: { id: listing.id } } }));
  expectEqual('sealed', seen.bidCount, 1);
  await new Promise((ok) => setTimeout(ok, Math.max(0, Date.parse(closesAt) - Date.now() + 50)));
  const closed = expectData('close', 200, await district.api.POST('/v1/auctions/{id}/close', { params: { path: { id: listing.id } } }));
  const [allocation1] = closed.allocations;
  if (allocation1 === undefined) throw new Error('the close allocated nothing');
  expectEqual('close', [closed.status, closed.filledVolume, closed.clearingPrice], ['CLOSED', '200000', '1.32']);
  const auctioned = expectData('auctioned trade', 200, await enterprise.api.GET('/v1/trades/{id}', { params: { path: { id: allocation1.tradeId } } }));
  expectEqual('auctioned trade', [auctioned.auctionId, auctioned.amount, auctioned.status], [listing.id, '264000.00', 'PENDING_APPROVAL']);

  process.stdout.write(`README flow settled trade ${trade.id}: ${trade.volume} m³ at ${trade.price}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
