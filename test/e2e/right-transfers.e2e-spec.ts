import { createParticipant, Party } from './support/fixtures';
import { allocate, NEXT_YEAR, registerRight } from './support/long-term';
import { expectProblem, fieldsOf } from './support/problem';
import { sql } from './support/sql';
import { client, TestApp } from './support/test-app';
import { auditOf, balances, expectStatus, startTradeScene } from './support/trade-scene';
import { fundCash, TRADING_YEAR } from './support/trading';

jest.setTimeout(60_000);

const Y1 = NEXT_YEAR;
const Y5 = NEXT_YEAR + 4;

/**
 * 取水权交易, the worked example: an enterprise secures water for its plant by buying
 * 200 000 m³ a year of an irrigation district's right for five years (水权转换), and the
 * registry follows the change.
 */
describe('transfers of rights (取水权交易)', () => {
  let t: TestApp;
  let county: Party; // 阿鲁科尔沁旗 150421
  let otherCounty: Party; // 巴林左旗 150422
  let city: Party; // 赤峰市 150400
  let district: Party;
  let enterprise: Party;
  let stranger: Party;
  let right: any;

  const propose = (seller: Party, body: Record<string, unknown>) => client(t, seller.apiKey).post('/v1/right-transfers', body);
  const terms = (overrides: Record<string, unknown> = {}) => ({ rightId: right.id, buyerId: enterprise.id, volumePerYear: '200000', fromYear: Y1, toYear: Y5, price: '0.6', ...overrides });
  const rightOf = async (id: string) => expectStatus(await client(t, t.adminKey).get(`/v1/rights/${id}`), 200).body;
  const act = (p: Party, id: string, action: string, body?: unknown) => client(t, p.apiKey).post(`/v1/right-transfers/${id}/${action}`, body);

  beforeAll(async () => {
    ({ t, regulators: [county, otherCounty, city] } = await startTradeScene({ regulators: ['150421', '150422', '150400'] }));
    [district, enterprise, stranger] = await Promise.all([
      createParticipant(t, 'IRRIGATION_DISTRICT', '150421'),
      createParticipant(t, 'ENTERPRISE', '150421'),
      createParticipant(t, 'ENTERPRISE', '150421'),
    ]);
    right = await registerRight(t, county, district, { permitNo: `D150421-${process.pid}` });
    expectStatus(await allocate(t, county, right.id, TRADING_YEAR, '600000'), 201);
    await fundCash(t, enterprise, '700000.00');
  });
  afterAll(() => t?.close());

  it('gives original rights no parent and nothing transferred or reserved', () => {
    expect(right).toMatchObject({ parentRightId: null, transferredOut: [], reservedOut: [] });
  });

  describe('the worked example: five years of a district\'s right', () => {
    let transfer: any;

    it('proposes: PROPOSED with years and amount, no fee, and reserves the volume in each year at once', async () => {
      transfer = expectStatus(await propose(district, terms({ note: '水权转换: canal lining paid by the plant' })), 201).body;
      expect(transfer).toEqual({
        id: expect.any(String), rightId: right.id, sellerId: district.id, buyerId: enterprise.id, volumePerYear: '200000', fromYear: Y1, toYear: Y5,
        years: 5, price: '0.6', amount: '600000.00', note: '水权转换: canal lining paid by the plant', status: 'PROPOSED', decision: null, checks: [],
        newRightId: null, acceptedAt: null, approvalDueAt: null, decidedBy: null, decidedAt: null, reason: null, createdAt: expect.any(String),
      });
      const years = [Y1, Y1 + 1, Y1 + 2, Y1 + 3, Y5].map((year) => ({ year, volume: '200000' }));
      expect(await rightOf(right.id)).toMatchObject({ reservedOut: years, transferredOut: [] });
    });

    it('limits allocations of the reserved years at once (409 CAP_EXCEEDED), not of other years', async () => {
      expectProblem(await allocate(t, county, right.id, Y1, '800000.001'), 409, 'CAP_EXCEEDED');
      expectStatus(await allocate(t, county, right.id, Y1 + 5, '1000000'), 201);
    });

    it('shows the proposal to the parties, the operator and regulators who may decide it, and to nobody else', async () => {
      for (const reader of [district, enterprise, county, city]) expectStatus(await client(t, reader.apiKey).get(`/v1/right-transfers/${transfer.id}`), 200);
      expectStatus(await client(t, t.adminKey).get(`/v1/right-transfers/${transfer.id}`), 200);
      for (const outsider of [stranger, otherCounty]) expectProblem(await client(t, outsider.apiKey).get(`/v1/right-transfers/${transfer.id}`), 404, 'NOT_FOUND');
      const mine = expectStatus(await client(t, enterprise.apiKey).get('/v1/right-transfers?status=PROPOSED'), 200).body.items;
      expect(mine.map((x: any) => x.id)).toContain(transfer.id);
      expect(expectStatus(await client(t, stranger.apiKey).get('/v1/right-transfers'), 200).body.items).toEqual([]);
    });

    it('is accepted by the buyer only: the seller is refused (403), others do not see it (404)', async () => {
      expectProblem(await act(district, transfer.id, 'accept'), 403, 'FORBIDDEN');
      expectProblem(await act(stranger, transfer.id, 'accept'), 404, 'NOT_FOUND');
      expectProblem(await act(enterprise, transfer.id, 'accept', { comment: 'x' }), 400, 'VALIDATION_FAILED');
    });

    it('accepts: PENDING_APPROVAL for 20 days, the amount locked, RIGHT_VALIDITY and USE_CONVERSION (农转非 warns)', async () => {
      const accepted = expectStatus(await act(enterprise, transfer.id, 'accept'), 200).body;
      expect(accepted).toMatchObject({ status: 'PENDING_APPROVAL', decision: null, acceptedAt: expect.any(String) });
      expect(Date.parse(accepted.approvalDueAt) - Date.parse(accepted.acceptedAt)).toBe(20 * 24 * 3600 * 1000);
      expect(accepted.checks).toEqual([
        { rule: 'RIGHT_VALIDITY', passed: true, severity: 'BLOCK', detail: expect.any(String) },
        { rule: 'USE_CONVERSION', passed: false, severity: 'WARN', detail: expect.any(String) },
      ]);
      expect((await balances(t, enterprise)).cash).toEqual({ available: '100000.00', locked: '600000.00' });
      expectProblem(await act(enterprise, transfer.id, 'accept'), 409, 'INVALID_STATE');
      expectProblem(await act(enterprise, transfer.id, 'decline'), 409, 'INVALID_STATE');
      expectProblem(await act(district, transfer.id, 'cancel'), 409, 'INVALID_STATE');
      transfer = accepted;
    });

    it('queues it for regulators over both regions (type=RIGHT_TRANSFER), not among trades', async () => {
      const queue = (p: Party, q: string) => client(t, p.apiKey).get(`/v1/approvals${q}`);
      expect(expectStatus(await queue(county, '?type=RIGHT_TRANSFER'), 200).body.items.map((x: any) => x.id)).toEqual([transfer.id]);
      expect(expectStatus(await queue(city, '?type=RIGHT_TRANSFER&status=PENDING_APPROVAL'), 200).body.items.map((x: any) => x.id)).toEqual([transfer.id]);
      expect(expectStatus(await queue(otherCounty, '?type=RIGHT_TRANSFER'), 200).body.items).toEqual([]);
      expect(expectStatus(await queue(county, ''), 200).body.items).toEqual([]);
      expectProblem(await queue(county, '?type=AUCTION'), 400, 'VALIDATION_FAILED');
    });

    it('is decided only by a regulator over both regions', async () => {
      expectProblem(await act(otherCounty, transfer.id, 'approve', {}), 403, 'FORBIDDEN');
      expectProblem(await act(enterprise, transfer.id, 'approve', {}), 403, 'FORBIDDEN');
      expectProblem(await act(county, transfer.id, 'reject', {}), 400, 'VALIDATION_FAILED');
    });

    it('settles on approval in one step: cash to the seller, the reservation a transfer out, the buyer\'s new right', async () => {
      const settled = expectStatus(await act(county, transfer.id, 'approve', { comment: '水权转换 within the county plan' }), 200).body;
      expect(settled).toMatchObject({ status: 'SETTLED', decision: 'APPROVED', decidedBy: county.id, decidedAt: expect.any(String), newRightId: expect.any(String) });
      expect((await balances(t, enterprise)).cash).toEqual({ available: '100000.00', locked: '0.00' });
      expect((await balances(t, district)).cash).toEqual({ available: '600000.00', locked: '0.00' });

      const years = [Y1, Y1 + 1, Y1 + 2, Y1 + 3, Y5].map((year) => ({ year, volume: '200000' }));
      expect(await rightOf(right.id)).toMatchObject({ annualVolume: '1000000', reservedOut: [], transferredOut: years });
      expect(await rightOf(settled.newRightId)).toEqual({
        id: settled.newRightId, holderId: enterprise.id, regionCode: '150421', source: 'SURFACE', useType: 'INDUSTRY', annualVolume: '200000',
        validFrom: `${Y1}-01-01`, validTo: `${Y5}-12-31`, permitNo: `D150421-${process.pid}-T1`, parentRightId: right.id, transferredOut: [], reservedOut: [],
        createdAt: expect.any(String),
      });
      expectProblem(await act(county, transfer.id, 'approve', {}), 409, 'INVALID_STATE');
      transfer = settled;
    });

    it('lets the buyer\'s regulator allocate the new right, and the original at most what is left', async () => {
      expectStatus(await allocate(t, county, transfer.newRightId, Y1, '200000'), 201);
      expectProblem(await allocate(t, county, transfer.newRightId, Y1, '0.001'), 409, 'CAP_EXCEEDED');
      expectProblem(await allocate(t, county, transfer.newRightId, Y5 + 1, '1'), 409, 'INVALID_STATE');
      expectStatus(await allocate(t, county, right.id, Y1, '800000'), 201);
      expectProblem(await allocate(t, county, right.id, Y1, '0.001'), 409, 'CAP_EXCEEDED');
    });

    it('audits each step with the full view, and publishes the settlement', async () => {
      const entries = await auditOf(t, 'rightTransfer', transfer.id);
      // The ledger files its movements (locked, posted) under the transfer too; these are the transfer's own steps.
      const steps = entries.filter((e) => ['rightTransfer.proposed', 'rightTransfer.accepted', 'rightTransfer.settled'].includes(e.action));
      expect(entries.map((e) => e.action)).toEqual(['rightTransfer.proposed', 'rightTransfer.locked', 'rightTransfer.accepted', 'rightTransfer.posted', 'rightTransfer.settled']);
      expect(steps.map((e) => [e.action, e.actorId, e.after.status])).toEqual([
        ['rightTransfer.proposed', district.id, 'PROPOSED'],
        ['rightTransfer.accepted', enterprise.id, 'PENDING_APPROVAL'],
        ['rightTransfer.settled', county.id, 'SETTLED'],
      ]);
      expect(steps[1].before).toMatchObject({ status: 'PROPOSED' });
      expect(entries.at(-1)!.after).toEqual(transfer);
      const created = await auditOf(t, 'right', transfer.newRightId);
      expect(created.map((e) => e.action)).toEqual(['right.created']);
      const [published] = await sql(t, `SELECT data FROM announcements WHERE type = 'RIGHT_TRANSFER_SETTLED'`);
      expect(published.data).toEqual({ rightTransferId: transfer.id, regionCode: '150421', source: 'SURFACE', volumePerYear: '200000', fromYear: Y1, toYear: Y5, price: '0.6' });
    });

    it('numbers the next right created from the same original -T2', async () => {
      const second = expectStatus(await propose(district, terms({ volumePerYear: '1000', fromYear: Y1 + 6, toYear: Y1 + 8, price: '1' })), 201).body;
      expectStatus(await act(enterprise, second.id, 'accept'), 200);
      const settled = expectStatus(await act(city, second.id, 'approve', {}), 200).body;
      expect(await rightOf(settled.newRightId)).toMatchObject({ permitNo: `D150421-${process.pid}-T2`, validFrom: `${Y1 + 6}-01-01`, validTo: `${Y1 + 8}-12-31`, annualVolume: '1000' });
    });
  });

  describe('what a proposal is refused for', () => {
    it('400: years before the current one, ending before they start, over 30 years; a buyer that is the seller, not a trader or unknown', async () => {
      const cases: Array<[Record<string, unknown>, string]> = [
        [{ fromYear: TRADING_YEAR - 1 }, 'fromYear'],
        [{ toYear: Y1 - 1 }, 'toYear'],
        [{ toYear: Y1 + 30 }, 'toYear'],
        [{ buyerId: district.id }, 'buyerId'],
        [{ buyerId: county.id }, 'buyerId'],
        [{ buyerId: '00000000-0000-4000-8000-000000000000' }, 'buyerId'],
        [{ price: 0.6 }, 'price'],
        [{ volumePerYear: '0' }, 'volumePerYear'],
      ];
      for (const [body, field] of cases) {
        const res = await propose(district, terms(body));
        expectProblem(res, 400, 'VALIDATION_FAILED');
        expect(fieldsOf(res)).toContain(field);
      }
    });

    it('404 for a right the caller cannot read; 403 for callers that are not traders', async () => {
      expectProblem(await propose(stranger, terms()), 404, 'NOT_FOUND');
      // Whose right it is is settled before the terms: naming oneself as buyer of another's right is not "the seller".
      expectProblem(await propose(stranger, terms({ buyerId: stranger.id })), 404, 'NOT_FOUND');
      expectProblem(await propose(district, terms({ rightId: '00000000-0000-4000-8000-000000000000' })), 404, 'NOT_FOUND');
      expectProblem(await propose(county, terms()), 403, 'FORBIDDEN');
      expectProblem(await client(t, t.adminKey).post('/v1/right-transfers', terms()), 403, 'FORBIDDEN');
    });

    it('409 INVALID_STATE for a year outside the right\'s validity; CAP_EXCEEDED beyond what a year has free', async () => {
      expectProblem(await propose(district, terms({ fromYear: TRADING_YEAR + 9, toYear: TRADING_YEAR + 10 })), 409, 'INVALID_STATE');
      // Y1 has 1 000 000 − 800 000 allocated − 200 000 transferred = 0 free.
      // 0.002 m³ a year at 0.6 for five years is worth 0.006, at least half a fen: only the free volume refuses it.
      expectProblem(await propose(district, terms({ volumePerYear: '0.002' })), 409, 'CAP_EXCEEDED');
      expectProblem(await propose(district, terms({ fromYear: Y1 + 5, toYear: Y1 + 5, volumePerYear: '1' })), 409, 'CAP_EXCEEDED');
    });
  });

  describe('ending without settlement', () => {
    const small = () => terms({ volumePerYear: '5000', fromYear: Y1 + 6, toYear: Y1 + 7, price: '2' }); // 20 000.00
    const reserved = async () => (await rightOf(right.id)).reservedOut;

    it('declined by the buyer or cancelled by the seller: the reservation is released', async () => {
      const a = expectStatus(await propose(district, small()), 201).body;
      expect(await reserved()).toEqual([{ year: Y1 + 6, volume: '5000' }, { year: Y1 + 7, volume: '5000' }]);
      expectProblem(await act(enterprise, a.id, 'cancel'), 403, 'FORBIDDEN');
      expect(expectStatus(await act(enterprise, a.id, 'decline'), 200).body).toMatchObject({ status: 'DECLINED', decision: null });
      expect(await reserved()).toEqual([]);
      const b = expectStatus(await propose(district, small()), 201).body;
      expectProblem(await act(district, b.id, 'decline'), 403, 'FORBIDDEN');
      expect(expectStatus(await act(district, b.id, 'cancel'), 200).body).toMatchObject({ status: 'CANCELLED' });
      expect(await reserved()).toEqual([]);
      expect((await auditOf(t, 'rightTransfer', b.id)).map((e) => e.action)).toEqual(['rightTransfer.proposed', 'rightTransfer.cancelled']);
    });

    it('refuses acceptance the buyer cannot pay (409 INSUFFICIENT_FUNDS) and keeps it PROPOSED', async () => {
      const big = expectStatus(await propose(district, terms({ volumePerYear: '5000', fromYear: Y1 + 6, toYear: Y1 + 7, price: '20' })), 201).body; // 200 000.00
      expectProblem(await act(enterprise, big.id, 'accept'), 409, 'INSUFFICIENT_FUNDS');
      expect(expectStatus(await client(t, enterprise.apiKey).get(`/v1/right-transfers/${big.id}`), 200).body.status).toBe('PROPOSED');
      expectStatus(await act(district, big.id, 'cancel'), 200);
    });

    it('rejected with a reason: the cash returns and the reservation is released', async () => {
      const r = expectStatus(await propose(district, small()), 201).body;
      expectStatus(await act(enterprise, r.id, 'accept'), 200);
      expect((await balances(t, enterprise)).cash).toEqual({ available: '77000.00', locked: '20000.00' }); // 100 000 − 3 000 for -T2
      const rejected = expectStatus(await act(city, r.id, 'reject', { reason: 'the district\'s farming needs would not stay met' }), 200).body;
      expect(rejected).toMatchObject({ status: 'REJECTED', decision: 'REJECTED', decidedBy: city.id, reason: 'the district\'s farming needs would not stay met', newRightId: null });
      expect((await balances(t, enterprise)).cash).toEqual({ available: '97000.00', locked: '0.00' });
      expect(await reserved()).toEqual([]);
      expectProblem(await act(city, r.id, 'approve', {}), 409, 'INVALID_STATE');
    });

    it('refuses approval when a BLOCK check fails on re-check (409 CHECK_FAILED)', async () => {
      const r = expectStatus(await propose(district, terms({ volumePerYear: '5000', fromYear: TRADING_YEAR, toYear: TRADING_YEAR, price: '2' })), 201).body;
      expectStatus(await act(enterprise, r.id, 'accept'), 200);
      // A term whose first year has ended: only time does that, so the test moves the term, and its reservation, a year back.
      await sql(t, 'UPDATE right_transfers SET from_year = $2, to_year = $2 WHERE id = $1', [r.id, TRADING_YEAR - 1]);
      await sql(t, 'UPDATE right_years SET year = $2 WHERE right_id = $1 AND year = $3', [right.id, TRADING_YEAR - 1, TRADING_YEAR]);
      await sql(t, 'INSERT INTO right_years (right_id, year, annual_volume, allocated) VALUES ($1, $2, 1000000, 600000)', [right.id, TRADING_YEAR]);
      const refused = await act(county, r.id, 'approve', {});
      expectProblem(refused, 409, 'CHECK_FAILED');
      expect(refused.body.detail).toMatch(/RIGHT_VALIDITY/);
      expectStatus(await act(county, r.id, 'reject', { reason: 'term started in the past' }), 200);
      expect((await balances(t, enterprise)).cash).toEqual({ available: '97000.00', locked: '0.00' });
      expect(await reserved()).toEqual([]);
    });

    it('refuses deciding after approvalDueAt (409 INVALID_STATE)', async () => {
      const r = expectStatus(await propose(district, small()), 201).body;
      expectStatus(await act(enterprise, r.id, 'accept'), 200);
      await sql(t, `UPDATE right_transfers SET approval_due_at = now() - interval '1 second' WHERE id = $1`, [r.id]);
      expectProblem(await act(county, r.id, 'approve', {}), 409, 'INVALID_STATE');
      expectProblem(await act(county, r.id, 'reject', { reason: 'late' }), 409, 'INVALID_STATE');
      await sql(t, `UPDATE right_transfers SET approval_due_at = now() + interval '1 day' WHERE id = $1`, [r.id]);
      expectStatus(await act(county, r.id, 'reject', { reason: 'tidy up' }), 200);
    });
  });

  describe('under concurrency', () => {
    it('settles once under five concurrent approvals', async () => {
      const r = expectStatus(await propose(district, terms({ volumePerYear: '100', fromYear: Y1 + 8, toYear: Y1 + 8, price: '1' })), 201).body;
      expectStatus(await act(enterprise, r.id, 'accept'), 200);
      const answers = await Promise.all([county, city, county, city, county].map((p) => act(p, r.id, 'approve', {})));
      expect(answers.map((a) => a.status).sort()).toEqual([200, 409, 409, 409, 409]);
      expect((await auditOf(t, 'rightTransfer', r.id)).filter((e) => e.action === 'rightTransfer.settled')).toHaveLength(1);
      expect((await rightOf(right.id)).transferredOut.find((y: any) => y.year === Y1 + 8)).toEqual({ year: Y1 + 8, volume: '1100' });
    });

    it('never lets an allocation and a proposal racing for the same year exceed the annual volume', async () => {
      // Y1+8 has 1 000 000 − 1 100 transferred = 998 900 free: room for one of the two, not both.
      const [allocation, proposal] = await Promise.all([
        allocate(t, county, right.id, Y1 + 8, '600000'),
        propose(district, terms({ volumePerYear: '600000', fromYear: Y1 + 8, toYear: Y1 + 8, price: '0.01' })),
      ]);
      expect([allocation.status, proposal.status].sort()).toEqual([201, 409]);
      expectProblem(allocation.status === 409 ? allocation : proposal, 409, 'CAP_EXCEEDED');
      if (proposal.status === 201) expectStatus(await act(district, proposal.body.id, 'cancel'), 200);
    });
  });

  it('keeps a regulator\'s balances and ledger from other regulators, not from itself or the operator', async () => {
    for (const path of [`/v1/participants/${county.id}/balances`, `/v1/participants/${county.id}/ledger`]) {
      expectStatus(await client(t, county.apiKey).get(path), 200);
      expectStatus(await client(t, t.adminKey).get(path), 200);
      expectProblem(await client(t, city.apiKey).get(path), 403, 'FORBIDDEN');
      expectProblem(await client(t, otherCounty.apiKey).get(path), 403, 'FORBIDDEN');
    }
    // Other participants' books stay readable by regulators with jurisdiction.
    expectStatus(await client(t, city.apiKey).get(`/v1/participants/${enterprise.id}/balances`), 200);
  });
});
