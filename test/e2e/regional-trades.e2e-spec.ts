import { verifyCommitments } from '../../src/core/sealed-bids';
import { createParticipant, Party } from './support/fixtures';
import { allocate, capView, endNotice, inHours, NEXT_YEAR, registerRight, setCap, wholeAuditLog } from './support/long-term';
import { expectProblem, fieldsOf } from './support/problem';
import { sql } from './support/sql';
import { client, TestApp } from './support/test-app';
import { auditOf, balances, expectStatus, startTradeScene } from './support/trade-scene';
import { fundCash, openMarket, placeOrder, TRADING_YEAR } from './support/trading';

jest.setTimeout(60_000);

const X = '150421'; // 阿鲁科尔沁旗: at its cap, the buyer
const Y = '150422'; // 巴林左旗: room to spare, the seller
const CITY = '150400'; // 赤峰市, their common upper level
const PROVINCE = '150000';
const BAOTOU = '150200'; // 包头市, another city of the province
const YEARS = [NEXT_YEAR, NEXT_YEAR + 1, NEXT_YEAR + 2];
const [Y1, Y2, Y3] = YEARS;

/**
 * 区域水权交易, DOMAIN.md's worked example: county X (cap 1 000 000, allocated 1 000 000)
 * buys 200 000 m³/yr of cap from county Y (cap 1 000 000, allocated 500 000) in the same
 * city (cap 2 500 000) for three years; then X's enterprise buys Y's district's water
 * across the county line, which X's new headroom lets through BUYER_REGION_CAP.
 */
describe('regional water-rights trades (区域水权交易)', () => {
  let t: TestApp;
  let xReg: Party;
  let yReg: Party;
  let cityReg: Party;
  let provinceReg: Party;
  let baotouReg: Party;
  let enterprise: Party;
  let district: Party;
  let districtRight: any;
  let trade: any;

  const announce = (p: Party, body: Record<string, unknown>) => client(t, p.apiKey).post('/v1/regional-trades', body);
  const terms = (overrides: Record<string, unknown> = {}) => ({ volumePerYear: '200000', fromYear: Y1, toYear: Y3, askingPrice: '0.5', closesAt: inHours(1), ...overrides });
  const interest = (p: Party, id: string, price: string) => client(t, p.apiKey).post(`/v1/regional-trades/${id}/interests`, { price });
  const interestsSeenBy = async (p: Party, id: string) => expectStatus(await client(t, p.apiKey).get(`/v1/regional-trades/${id}/interests`), 200).body.items;
  const act = (p: Party, id: string, action: string, body?: unknown) => client(t, p.apiKey).post(`/v1/regional-trades/${id}/${action}`, body);
  const headroom = async (code: string, year = Y1) => (await capView(t, code, year)).headroom;

  beforeAll(async () => {
    ({ t, regulators: [xReg, yReg, cityReg, provinceReg, baotouReg] } = await startTradeScene({
      regulators: [X, Y, CITY, PROVINCE, BAOTOU],
      app: { env: { MIN_NOTICE_SECONDS: '1' } },
    }));
    [enterprise, district] = await Promise.all([createParticipant(t, 'ENTERPRISE', X), createParticipant(t, 'IRRIGATION_DISTRICT', Y)]);
    for (const year of YEARS) {
      await setCap(t, X, year, '1000000');
      await setCap(t, Y, year, '1000000');
      await setCap(t, CITY, year, '2500000');
    }
    const enterpriseRight = await registerRight(t, xReg, enterprise, { useType: 'INDUSTRY' });
    districtRight = await registerRight(t, yReg, district);
    for (const year of YEARS) {
      expectStatus(await allocate(t, xReg, enterpriseRight.id, year, '1000000'), 201);
      expectStatus(await allocate(t, yReg, districtRight.id, year, '500000'), 201);
    }
    await Promise.all([fundCash(t, xReg, '1000000.00'), fundCash(t, baotouReg, '1000000.00'), fundCash(t, enterprise, '300000.00')]);
  });
  afterAll(() => t?.close());

  it('starts with X at its cap, and Y and the city with room', async () => {
    for (const year of YEARS) {
      expect([await headroom(X, year), await headroom(Y, year), await headroom(CITY, year)]).toEqual(['0', '500000', '1000000']);
    }
    expect(await capView(t, Y, Y1)).toMatchObject({ capTransferredIn: '0', capTransferredOut: '0', capReservedOut: '0' });
  });

  describe('announcing', () => {
    it('refuses non-regulators (403), a short notice or past years (400), years without a cap (409 INVALID_STATE), beyond headroom (409 CAP_EXCEEDED)', async () => {
      expectProblem(await announce(enterprise, terms()), 403, 'FORBIDDEN');
      expectProblem(await client(t, t.adminKey).post('/v1/regional-trades', terms()), 403, 'FORBIDDEN');
      const short = await announce(yReg, terms({ closesAt: new Date().toISOString() }));
      expectProblem(short, 400, 'VALIDATION_FAILED');
      expect(fieldsOf(short)).toEqual(['closesAt']);
      const past = await announce(yReg, terms({ fromYear: TRADING_YEAR - 1 }));
      expect(fieldsOf(past)).toEqual(['fromYear']);
      expect(fieldsOf(await announce(yReg, terms({ toYear: Y1 + 30 })))).toEqual(['toYear']);
      expectProblem(await announce(yReg, terms({ toYear: Y3 + 1 })), 409, 'INVALID_STATE');
      expectProblem(await announce(yReg, terms({ volumePerYear: '500000.001' })), 409, 'CAP_EXCEEDED');
      expectProblem(await announce(xReg, terms({ volumePerYear: '1' })), 409, 'CAP_EXCEEDED');
    });

    it('announces: ANNOUNCED, the volume reserved on Y and on every region above it until the buyer is known', async () => {
      trade = expectStatus(await announce(yReg, terms({ note: 'canal lining saved it' })), 201).body;
      expect(trade).toEqual({
        id: expect.any(String), sellerRegionCode: Y, sellerId: yReg.id, buyerRegionCode: null, buyerId: null, volumePerYear: '200000', fromYear: Y1, toYear: Y3,
        years: 3, askingPrice: '0.5', price: null, amount: null, note: 'canal lining saved it', status: 'ANNOUNCED', decision: null, closesAt: expect.any(String),
        interestCount: 0, closedAt: null, approverRegionCode: null, approvalDueAt: null, decidedBy: null, decidedAt: null, reason: null, createdAt: expect.any(String),
      });
      for (const year of YEARS) {
        expect(await capView(t, Y, year)).toMatchObject({ capReservedOut: '200000', headroom: '300000' });
        expect(await capView(t, CITY, year)).toMatchObject({ capReservedOut: '200000', headroom: '800000' });
        expect(await capView(t, PROVINCE, year)).toMatchObject({ capReservedOut: '200000', headroom: null });
        expect(await capView(t, X, year)).toMatchObject({ capReservedOut: '0', headroom: '0' });
      }
      expect(await headroom(Y, Y3 + 1)).toBeNull();
      const [published] = await sql(t, `SELECT data FROM announcements WHERE type = 'REGIONAL_TRADE_ANNOUNCED'`);
      expect(published.data).toEqual({ regionalTradeId: trade.id, sellerRegionCode: Y, volumePerYear: '200000', fromYear: Y1, toYear: Y3, askingPrice: '0.5', closesAt: trade.closesAt });
      expect(expectStatus(await client(t, enterprise.apiKey).get(`/v1/regional-trades/${trade.id}`), 200).body).toEqual(trade);
      expect(expectStatus(await client(t, district.apiKey).get(`/v1/regional-trades?regionCode=${Y}&status=ANNOUNCED`), 200).body.items.map((x: any) => x.id)).toEqual([trade.id]);
    });

    it('limits allocations on the seller side to what the reservation leaves (409 CAP_EXCEEDED)', async () => {
      expectProblem(await allocate(t, yReg, districtRight.id, Y1, '300000.001'), 409, 'CAP_EXCEEDED');
    });
  });

  describe('sealed interests', () => {
    let xInterest: any;
    let baotouFirst: any;
    let announcedSeq: number;

    beforeAll(async () => {
      announcedSeq = (await auditOf(t, 'regionalTrade', trade.id))[0].seq;
    });

    it('are refused to the seller\'s region and the regions above or below it, and to non-regulators (403)', async () => {
      for (const p of [yReg, cityReg, provinceReg]) expectProblem(await interest(p, trade.id, '0.6'), 403, 'FORBIDDEN');
      expectProblem(await interest(enterprise, trade.id, '0.6'), 403, 'FORBIDDEN');
      expectProblem(await interest(xReg, '00000000-0000-4000-8000-000000000000', '0.6'), 404, 'NOT_FOUND');
    });

    it('need a price on the 0.01 tick and at least the asking price (400)', async () => {
      expect(fieldsOf(await interest(xReg, trade.id, '0.49'))).toEqual(['price']);
      expect(fieldsOf(await interest(xReg, trade.id, '0.605'))).toEqual(['price']);
    });

    it('lock price × volumePerYear × years of the regulator\'s cash and return the salt to the bidder', async () => {
      xInterest = expectStatus(await interest(xReg, trade.id, '0.60'), 201).body;
      expect(xInterest).toEqual({
        id: expect.any(String), regionalTradeId: trade.id, buyerRegionCode: X, buyerId: xReg.id, price: '0.6', salt: expect.stringMatching(/^[0-9a-f]{32}$/),
        status: 'ACTIVE', createdAt: expect.any(String),
      });
      expect((await balances(t, xReg)).cash).toEqual({ available: '640000.00', locked: '360000.00' });
      expectProblem(await interest(xReg, trade.id, '0.7'), 409, 'DUPLICATE');
      expectProblem(await interest(baotouReg, trade.id, '10'), 409, 'INSUFFICIENT_FUNDS'); // 6 000 000.00
      baotouFirst = expectStatus(await interest(baotouReg, trade.id, '0.55'), 201).body;
      expect(expectStatus(await client(t, enterprise.apiKey).get(`/v1/regional-trades/${trade.id}`), 200).body.interestCount).toBe(2);
    });

    it('show nobody but the bidder and the operator a bid before the close', async () => {
      expect((await interestsSeenBy(baotouReg, trade.id)).map((i: any) => i.id)).toEqual([baotouFirst.id]);
      expect((await interestsSeenBy(xReg, trade.id)).map((i: any) => i.id)).toEqual([xInterest.id]);
      for (const p of [yReg, cityReg, provinceReg, enterprise]) expect(await interestsSeenBy(p, trade.id)).toEqual([]);
      expect((await interestsSeenBy({ ...xReg, apiKey: t.adminKey }, trade.id)).length).toBe(2);
      // A regulator's books are its own: regions bidding for cap cannot see each other's locks.
      for (const p of [baotouReg, cityReg, yReg]) {
        expectProblem(await client(t, p.apiKey).get(`/v1/participants/${xReg.id}/balances`), 403, 'FORBIDDEN');
        expectProblem(await client(t, p.apiKey).get(`/v1/participants/${xReg.id}/ledger`), 403, 'FORBIDDEN');
      }
      // The audit log carries commitments only: no entry since the announcement names a bidder, a price or a lock.
      const since = (await wholeAuditLog(t)).filter((e) => e.seq > announcedSeq);
      const text = JSON.stringify(since);
      for (const secret of [xReg.id, baotouReg.id, '360000', '330000', xInterest.salt]) expect(text).not.toContain(secret);
      const placed = since.filter((e) => e.action === 'regionalInterest.placed');
      expect(placed.map((e) => [e.actorId, Object.keys(e.after).sort()])).toEqual([
        [null, ['commitment', 'id', 'regionalTradeId']],
        [null, ['commitment', 'id', 'regionalTradeId']],
      ]);
      expect(since.every((e) => e.entityType === 'regionalInterest' || e.entityType === 'deposit' || e.entityType === 'participant')).toBe(true);
    });

    it('are withdrawn by their owner only, before the close, and a region may bid again', async () => {
      expectProblem(await client(t, xReg.apiKey).delete(`/v1/regional-trades/${trade.id}/interests/${baotouFirst.id}`), 404, 'NOT_FOUND');
      const withdrawn = expectStatus(await client(t, baotouReg.apiKey).delete(`/v1/regional-trades/${trade.id}/interests/${baotouFirst.id}`), 200).body;
      expect(withdrawn).toMatchObject({ id: baotouFirst.id, status: 'WITHDRAWN' });
      expect((await balances(t, baotouReg)).cash).toEqual({ available: '1000000.00', locked: '0.00' });
      expectProblem(await client(t, baotouReg.apiKey).delete(`/v1/regional-trades/${trade.id}/interests/${baotouFirst.id}`), 409, 'INVALID_STATE');
      // The same price as X's, later: X keeps the tie.
      expectStatus(await interest(baotouReg, trade.id, '0.6'), 201);
      expect(expectStatus(await client(t, enterprise.apiKey).get(`/v1/regional-trades/${trade.id}`), 200).body.interestCount).toBe(2);
    });

    it('cannot be closed early (409 INVALID_STATE) or by anyone but the seller and the operator (403)', async () => {
      expectProblem(await act(yReg, trade.id, 'close'), 409, 'INVALID_STATE');
      expectProblem(await act(xReg, trade.id, 'close'), 403, 'FORBIDDEN');
      expectProblem(await act(enterprise, trade.id, 'close'), 403, 'FORBIDDEN');
    });
  });

  describe('the close', () => {
    it('takes no interest and no withdrawal once closesAt has come (409 INVALID_STATE)', async () => {
      await endNotice(t, trade.id);
      expectProblem(await interest(baotouReg, trade.id, '0.9'), 409, 'INVALID_STATE');
      const own = await interestsSeenBy(xReg, trade.id);
      expectProblem(await client(t, xReg.apiKey).delete(`/v1/regional-trades/${trade.id}/interests/${own[0].id}`), 409, 'INVALID_STATE');
      expectProblem(await act(yReg, trade.id, 'withdraw'), 409, 'INVALID_STATE');
    });

    it('goes to the highest price, the earliest on a tie: PENDING_APPROVAL before the common upper level for 20 days', async () => {
      const closed = expectStatus(await act(yReg, trade.id, 'close'), 200).body;
      expect(closed).toMatchObject({
        status: 'PENDING_APPROVAL', decision: null, buyerRegionCode: X, buyerId: xReg.id, price: '0.6', amount: '360000.00', approverRegionCode: CITY, interestCount: 2,
      });
      expect(Date.parse(closed.approvalDueAt) - Date.parse(closed.closedAt)).toBe(20 * 24 * 3600 * 1000);
      expect((await balances(t, xReg)).cash).toEqual({ available: '640000.00', locked: '360000.00' });
      expect((await balances(t, baotouReg)).cash).toEqual({ available: '1000000.00', locked: '0.00' });
      expectProblem(await act(yReg, trade.id, 'close'), 409, 'INVALID_STATE');
      trade = closed;
    });

    it('opens every interest to the seller and the approving levels; others still see their own', async () => {
      const all = await interestsSeenBy(yReg, trade.id);
      // A list: newest first, paged by ?limit= and ?cursor= like every other.
      expect(all.map((i: any) => [i.buyerRegionCode, i.price, i.status])).toEqual([[BAOTOU, '0.6', 'LOST'], [BAOTOU, '0.55', 'WITHDRAWN'], [X, '0.6', 'WON']]);
      const page = async (q: string) => expectStatus(await client(t, yReg.apiKey).get(`/v1/regional-trades/${trade.id}/interests?${q}`), 200).body;
      const first = await page('limit=2');
      expect([first.items.map((i: any) => i.id), typeof first.nextCursor]).toEqual([all.slice(0, 2).map((i: any) => i.id), 'string']);
      expect(await page(`limit=2&cursor=${encodeURIComponent(first.nextCursor)}`)).toEqual({ items: all.slice(2), nextCursor: null });
      for (const q of ['limit=0', 'limit=501', 'limit=x']) expectProblem(await client(t, yReg.apiKey).get(`/v1/regional-trades/${trade.id}/interests?${q}`), 400, 'VALIDATION_FAILED');
      expect(await interestsSeenBy(cityReg, trade.id)).toEqual(all);
      expect(await interestsSeenBy(provinceReg, trade.id)).toEqual(all);
      expect((await interestsSeenBy(baotouReg, trade.id)).length).toBe(2);
      expect((await interestsSeenBy(xReg, trade.id)).length).toBe(1);
    });

    it('publishes every bid in the close\'s audit entry, and each opens the commitment recorded before the close', async () => {
      const entries = await auditOf(t, 'regionalTrade', trade.id);
      const closing = entries.find((e) => e.action === 'regionalTrade.closed');
      expect(closing.actorId).toBe(yReg.id);
      const { bids, ...view } = closing.after;
      expect(view).toEqual(trade);
      expect(bids).toHaveLength(3);
      expect(bids[0]).toEqual({ id: expect.any(String), bidderId: xReg.id, price: '0.6', volume: '200000', salt: expect.any(String), status: 'WON' });
      const log = await wholeAuditLog(t);
      const commitments = log.filter((e) => /^regionalInterest\.(placed|withdrawn)$/.test(e.action)).map((e) => e.after);
      expect(commitments.length).toBe(4);
      expect(verifyCommitments(bids, commitments)).toEqual({ valid: true, bids: bids.map((b: any) => ({ id: b.id, verdict: 'MATCHES' })) });
    });

    it('gives the city its headroom back once the buyer is known inside it; Y keeps the reservation, X has nothing yet', async () => {
      for (const year of YEARS) {
        expect(await capView(t, CITY, year)).toMatchObject({ capReservedOut: '0', headroom: '1000000' });
        expect(await capView(t, PROVINCE, year)).toMatchObject({ capReservedOut: '0' });
        expect(await capView(t, Y, year)).toMatchObject({ capReservedOut: '200000', headroom: '300000' });
        expect(await headroom(X, year)).toBe('0');
      }
    });
  });

  describe('approval and the cap it moves', () => {
    let quotaTrade: any;
    const market = `${Y}-SURFACE-${Y1}`;

    it('keeps X\'s enterprise from buying Y\'s water before settlement: BUYER_REGION_CAP fails at X\'s cap', async () => {
      await openMarket(t, { regionCode: Y, year: Y1 });
      expectStatus(await placeOrder(t, district, market, { side: 'SELL', price: '0.8', volume: '150000' }), 201);
      const buy = expectStatus(await placeOrder(t, enterprise, market, { side: 'BUY', price: '0.8', volume: '150000' }), 201).body;
      quotaTrade = buy.trades[0];
      expect(quotaTrade.checks.find((c: any) => c.rule === 'BUYER_REGION_CAP')).toMatchObject({ passed: false, severity: 'BLOCK' });
      expectProblem(await client(t, cityReg.apiKey).post(`/v1/trades/${quotaTrade.id}/approve`, {}), 409, 'CHECK_FAILED');
    });

    it('is queued for regulators of the approving level or above (type=REGIONAL_TRADE) and refused to others (403)', async () => {
      const queue = async (p: Party) => expectStatus(await client(t, p.apiKey).get('/v1/approvals?type=REGIONAL_TRADE'), 200).body.items.map((x: any) => x.id);
      expect(await queue(cityReg)).toEqual([trade.id]);
      expect(await queue(provinceReg)).toEqual([trade.id]);
      expect(await queue(xReg)).toEqual([]);
      for (const p of [xReg, yReg, baotouReg]) expectProblem(await act(p, trade.id, 'approve', {}), 403, 'FORBIDDEN');
      expectProblem(await act(enterprise, trade.id, 'approve', {}), 403, 'FORBIDDEN');
    });

    it('refuses approval while a seller-side region would be left below zero in some year (409 CHECK_FAILED)', async () => {
      await setCap(t, Y, Y2, '600000');
      const refused = await act(cityReg, trade.id, 'approve', {});
      expectProblem(refused, 409, 'CHECK_FAILED');
      expect(refused.body.detail).toContain(`${Y} in ${Y2}`);
      await setCap(t, Y, Y2, '1000000');
    });

    it('settles on approval in one step: the escrow to the seller\'s cash, the cap from Y to X in every year', async () => {
      const settled = expectStatus(await act(cityReg, trade.id, 'approve', { comment: '报共同的上一级: approved' }), 200).body;
      expect(settled).toMatchObject({ status: 'SETTLED', decision: 'APPROVED', decidedBy: cityReg.id, reason: '报共同的上一级: approved' });
      expect((await balances(t, xReg)).cash).toEqual({ available: '640000.00', locked: '0.00' });
      expect((await balances(t, yReg)).cash).toEqual({ available: '360000.00', locked: '0.00' });
      for (const year of YEARS) {
        expect(await capView(t, X, year)).toMatchObject({ capTransferredIn: '200000', capTransferredOut: '0', capReservedOut: '0', headroom: '200000' });
        expect(await capView(t, Y, year)).toMatchObject({ capTransferredIn: '0', capTransferredOut: '200000', capReservedOut: '0', headroom: '300000' });
        expect(await capView(t, CITY, year)).toMatchObject({ capTransferredIn: '0', capTransferredOut: '0', capReservedOut: '0', headroom: '1000000' });
      }
      expectProblem(await act(cityReg, trade.id, 'approve', {}), 409, 'INVALID_STATE');
      const [published] = await sql(t, `SELECT data FROM announcements WHERE type = 'REGIONAL_TRADE_SETTLED'`);
      expect(published.data).toEqual({ regionalTradeId: trade.id, sellerRegionCode: Y, buyerRegionCode: X, volumePerYear: '200000', fromYear: Y1, toYear: Y3, price: '0.6' });
      trade = settled;
    });

    it('conserves cap: the effective caps below the common upper level add up as before', async () => {
      for (const year of YEARS) {
        let total = 0;
        for (const code of [X, Y]) {
          const v = await capView(t, code, year);
          total += Number(v.totalCap) + Number(v.capTransferredIn) - Number(v.capTransferredOut);
        }
        expect(total).toBe(2000000);
      }
    });

    it('lets X\'s enterprise buy Y\'s district\'s water across the county line now, within X\'s new headroom', async () => {
      const approved = expectStatus(await client(t, cityReg.apiKey).post(`/v1/trades/${quotaTrade.id}/approve`, {}), 200).body;
      expect(approved).toMatchObject({ status: 'SETTLED' });
      expect(approved.checks.find((c: any) => c.rule === 'BUYER_REGION_CAP')).toMatchObject({ passed: true });
      expect(await capView(t, X, Y1)).toMatchObject({ transferredIn: '150000', headroom: '50000' });
      expect(await capView(t, Y, Y1)).toMatchObject({ transferredOut: '150000', headroom: '450000' });
      expectStatus(await placeOrder(t, district, market, { side: 'SELL', price: '0.8', volume: '60000' }), 201);
      const more = expectStatus(await placeOrder(t, enterprise, market, { side: 'BUY', price: '0.8', volume: '60000' }), 201).body.trades[0];
      expect(more.checks.find((c: any) => c.rule === 'BUYER_REGION_CAP')).toMatchObject({ passed: false });
      expectProblem(await client(t, cityReg.apiKey).post(`/v1/trades/${more.id}/approve`, {}), 409, 'CHECK_FAILED');
      expectStatus(await client(t, cityReg.apiKey).post(`/v1/trades/${more.id}/reject`, { reason: 'X is at its cap again' }), 200);
    });

    it('lets X allocate new rights within its new headroom, and no further', async () => {
      const right = await registerRight(t, xReg, enterprise, { useType: 'INDUSTRY', annualVolume: '300000' });
      expectStatus(await allocate(t, xReg, right.id, Y2, '200000'), 201);
      expectProblem(await allocate(t, xReg, right.id, Y2, '0.001'), 409, 'CAP_EXCEEDED');
    });

    it('audits the trade\'s life with the full view at each step', async () => {
      const actions = (await auditOf(t, 'regionalTrade', trade.id)).map((e) => [e.action, e.actorId]);
      expect(actions).toEqual([
        ['regionalTrade.announced', yReg.id],
        ['regionalTrade.closed', yReg.id],
        ['regionalTrade.posted', cityReg.id],
        ['regionalTrade.settled', cityReg.id],
      ]);
    });
  });

  describe('other endings', () => {
    const small = (overrides: Record<string, unknown> = {}) => terms({ volumePerYear: '100000', fromYear: Y1, toYear: Y1, ...overrides });

    it('withdrawn by the seller before the close: every lock and the reservation released, the bids published', async () => {
      const before = await headroom(Y);
      const w = expectStatus(await announce(yReg, small()), 201).body;
      expect(await headroom(Y)).toBe(String(Number(before) - 100000));
      const bid = expectStatus(await interest(xReg, w.id, '0.5'), 201).body;
      expect((await balances(t, xReg)).cash.locked).toBe('50000.00');
      expectProblem(await act(xReg, w.id, 'withdraw'), 403, 'FORBIDDEN');
      const withdrawn = expectStatus(await act(yReg, w.id, 'withdraw'), 200).body;
      expect(withdrawn).toMatchObject({ status: 'WITHDRAWN', decision: null, closedAt: null });
      expect((await balances(t, xReg)).cash.locked).toBe('0.00');
      expect(await headroom(Y)).toBe(before);
      expectProblem(await act(yReg, w.id, 'withdraw'), 409, 'INVALID_STATE');
      const entry = (await auditOf(t, 'regionalTrade', w.id)).find((e) => e.action === 'regionalTrade.withdrawn');
      expect(entry.after.bids).toEqual([{ id: bid.id, bidderId: xReg.id, price: '0.5', volume: '100000', salt: bid.salt, status: 'CANCELLED' }]);
    });

    it('rejected by the approving level: the escrow returns and the reservation is released', async () => {
      const before = await headroom(Y);
      const r = expectStatus(await announce(yReg, small()), 201).body;
      expectStatus(await interest(baotouReg, r.id, '0.7'), 201);
      await endNotice(t, r.id);
      const closed = expectStatus(await act({ ...yReg, apiKey: t.adminKey }, r.id, 'close'), 200).body;
      expect(closed).toMatchObject({ buyerRegionCode: BAOTOU, approverRegionCode: PROVINCE, amount: '70000.00' });
      // Cross-city: the reservation stays on Y and the city, both below the common ancestor.
      expect(await capView(t, CITY, Y1)).toMatchObject({ capReservedOut: '100000' });
      expectProblem(await act(cityReg, r.id, 'reject', { reason: 'not ours to decide' }), 403, 'FORBIDDEN');
      expectProblem(await act(provinceReg, r.id, 'reject', {}), 400, 'VALIDATION_FAILED');
      // Past approvalDueAt (before the job gets to it) neither decision is taken.
      await sql(t, `UPDATE regional_trades SET approval_due_at = now() - interval '1 second' WHERE id = $1`, [r.id]);
      expectProblem(await act(provinceReg, r.id, 'approve', {}), 409, 'INVALID_STATE');
      expectProblem(await act(provinceReg, r.id, 'reject', { reason: 'late' }), 409, 'INVALID_STATE');
      await sql(t, `UPDATE regional_trades SET approval_due_at = now() + interval '1 day' WHERE id = $1`, [r.id]);
      const rejected = expectStatus(await act(provinceReg, r.id, 'reject', { reason: '包头市 has other sources' }), 200).body;
      expect(rejected).toMatchObject({ status: 'REJECTED', decision: 'REJECTED', decidedBy: provinceReg.id, reason: '包头市 has other sources' });
      expect((await balances(t, baotouReg)).cash).toEqual({ available: '1000000.00', locked: '0.00' });
      expect(await headroom(Y)).toBe(before);
      expect(await capView(t, CITY, Y1)).toMatchObject({ capReservedOut: '0' });
    });

    it('takes one interest per region when two arrive at once, and closes once under concurrent calls', async () => {
      const c = expectStatus(await announce(yReg, small()), 201).body;
      const [a, b] = await Promise.all([interest(xReg, c.id, '0.5'), interest(xReg, c.id, '0.51')]);
      expect([a.status, b.status].sort()).toEqual([201, 409]);
      expectProblem(a.status === 409 ? a : b, 409, 'DUPLICATE');
      await endNotice(t, c.id);
      const closes = await Promise.all([act(yReg, c.id, 'close'), act({ ...yReg, apiKey: t.adminKey }, c.id, 'close'), act(yReg, c.id, 'close')]);
      expect(closes.map((r) => r.status).sort()).toEqual([200, 409, 409]);
      expect((await auditOf(t, 'regionalTrade', c.id)).filter((e) => e.action === 'regionalTrade.closed')).toHaveLength(1);
      expectStatus(await act(cityReg, c.id, 'reject', { reason: 'tidy up' }), 200);
      expect((await balances(t, xReg)).cash.locked).toBe('0.00');
    });

    it('closed with no interest: UNSOLD, the reservation released', async () => {
      const before = await headroom(Y);
      const u = expectStatus(await announce(yReg, small()), 201).body;
      await endNotice(t, u.id);
      const unsold = expectStatus(await act({ ...yReg, apiKey: t.adminKey }, u.id, 'close'), 200).body;
      expect(unsold).toMatchObject({ status: 'UNSOLD', buyerRegionCode: null, price: null, approverRegionCode: null, closedAt: expect.any(String) });
      expect(await headroom(Y)).toBe(before);
      const entry = (await auditOf(t, 'regionalTrade', u.id)).find((e) => e.action === 'regionalTrade.closed');
      expect(entry.after.bids).toEqual([]);
    });
  });
});
