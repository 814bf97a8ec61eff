import { AuthScene, Persona, PERSONAS, REGULATORS, REGULATORS_IN, TRADERS } from './authorization-scene';
import { NEXT_YEAR } from './long-term';
import { TRADING_YEAR } from './trading';

/**
 * The authorization matrix: for every operation of the served OpenAPI document, what each
 * persona (authorization-scene.ts) gets, as API.md says. `ok` means the request passed
 * authorization: a 2xx, or a business 409 (the object is already decided, a duplicate, not
 * enough cash) that only a caller allowed to act may learn. A denial is the contract's
 * status: 401 without a key, 403 for a role or for an object the caller may read but not
 * act on, 404 for an object the caller may not read (decision 0009).
 */
export type Cell = 'ok' | 401 | 403 | 404;

export interface Call {
  path: string;
  body?: unknown;
}

export interface MatrixRow {
  /** `METHOD /path/{param}` exactly as the document names the operation. */
  op: string;
  /** For an operation with more than one row: what this one calls on (each caller's own object, say). */
  variant?: string;
  call: (s: AuthScene, who: Persona) => Call;
  expect: Record<Persona, Cell>;
}

type Spec = Partial<Record<Cell, readonly Persona[]>>;

/** The cells of a row: the personas named, everyone else `otherwise`; no key is a 401 unless said. */
function cells(spec: Spec, otherwise: Cell): Record<Persona, Cell> {
  const out = Object.fromEntries(PERSONAS.map((p) => [p, otherwise])) as Record<Persona, Cell>;
  out.anonymous = 401;
  for (const [cell, personas] of Object.entries(spec) as Array<[string, readonly Persona[]]>) {
    for (const p of personas) out[p] = cell === 'ok' ? 'ok' : (Number(cell) as Cell);
  }
  return out;
}

const ALL_KEYED: readonly Persona[] = PERSONAS.filter((p) => p !== 'anonymous');
const everyone = (): Record<Persona, Cell> => cells({ ok: ALL_KEYED }, 'ok');
const publicPage = (): Record<Persona, Cell> => ({ ...cells({}, 'ok'), anonymous: 'ok' });
const operatorOnly = (): Record<Persona, Cell> => cells({ ok: ['operator'] }, 403);
const operatorAndRegulators = (): Record<Persona, Cell> => cells({ ok: ['operator', ...REGULATORS] }, 403);
/** The operator and regulators over 150421; a regulator elsewhere is refused on jurisdiction. */
const operatorOrRegulatorIn = (): Record<Persona, Cell> => cells({ ok: ['operator', ...REGULATORS_IN] }, 403);
/** A regulator's action on an object of 150421: outside the jurisdiction 403 (decision 0009). */
const regulatorIn = (): Record<Persona, Cell> => cells({ ok: REGULATORS_IN }, 403);
const traders = (): Record<Persona, Cell> => cells({ ok: TRADERS }, 403);

/** A participant's own resource (the district's): itself and the operator; others may read the participant, not this. */
const selfOrOperator = (): Record<Persona, Cell> => cells({ ok: ['operator', 'district'] }, 403);
/**
 * The district's books: itself, the operator, regulators over its region. Anyone may read
 * the participant, so everyone else is refused the books with 403, not 404.
 */
const books = (): Record<Persona, Cell> => cells({ ok: ['operator', 'district', ...REGULATORS_IN] }, 403);
/** An object of the district's that only it, the operator and regulators over it may read; to others it does not exist. */
const heldByDistrict = (): Record<Persona, Cell> => cells({ ok: ['operator', 'district', ...REGULATORS_IN] }, 404);

/** The caller's own participant id (no key: the district's, which it may not touch either). */
const ownId = (s: AuthScene, who: Persona) => (who === 'anonymous' ? s.party.district.id : s.party[who].id);

const other = (who: Persona) => (who === 'enterprise' ? 'district' : 'enterprise');

export function matrixRows(): MatrixRow[] {
  const Y = TRADING_YEAR;
  return [
    // Operations
    { op: 'GET /health', call: () => ({ path: '/health' }), expect: publicPage() },
    { op: 'GET /metrics', call: () => ({ path: '/metrics' }), expect: publicPage() },

    // Audit
    { op: 'GET /v1/audit', call: () => ({ path: '/v1/audit?limit=1' }), expect: operatorAndRegulators() },
    { op: 'GET /v1/audit/verify', call: () => ({ path: '/v1/audit/verify' }), expect: operatorAndRegulators() },

    // Regions and caps
    { op: 'PUT /v1/regions/{code}', call: () => ({ path: '/v1/regions/150421', body: { name: '阿鲁科尔沁旗', parentCode: '150400' } }), expect: operatorOnly() },
    { op: 'GET /v1/regions/{code}', call: () => ({ path: '/v1/regions/150421' }), expect: everyone() },
    // Strictly above the region: the county itself may not set its own cap.
    { op: 'PUT /v1/regions/{code}/caps/{year}', call: () => ({ path: `/v1/regions/150421/caps/${Y}`, body: { totalCap: '100000000' } }), expect: cells({ ok: ['operator', 'regCity'] }, 403) },
    { op: 'GET /v1/regions/{code}/caps/{year}', call: () => ({ path: `/v1/regions/150421/caps/${Y}` }), expect: everyone() },

    // Participants and keys
    { op: 'POST /v1/participants', call: () => ({ path: '/v1/participants', body: { name: 'matrix', kind: 'WATER_USER', regionCode: '150421' } }), expect: operatorOnly() },
    { op: 'GET /v1/participants', call: () => ({ path: '/v1/participants?limit=1' }), expect: operatorAndRegulators() },
    { op: 'GET /v1/participants/me', call: () => ({ path: '/v1/participants/me' }), expect: everyone() },
    { op: 'GET /v1/participants/{id}', call: (s) => ({ path: `/v1/participants/${s.party.district.id}` }), expect: everyone() },
    { op: 'POST /v1/participants/{id}/api-keys', call: (s) => ({ path: `/v1/participants/${s.party.district.id}/api-keys` }), expect: selfOrOperator() },
    { op: 'GET /v1/participants/{id}/api-keys', call: (s) => ({ path: `/v1/participants/${s.party.district.id}/api-keys` }), expect: selfOrOperator() },
    { op: 'DELETE /v1/participants/{id}/api-keys/{keyId}', call: (s) => ({ path: `/v1/participants/${s.party.district.id}/api-keys/${s.keyToRevoke}` }), expect: selfOrOperator() },

    // Cash and balances
    { op: 'POST /v1/participants/{id}/deposits', call: (s, who) => ({ path: `/v1/participants/${s.party.district.id}/deposits`, body: { amount: '1.00', reference: `matrix-${who}` } }), expect: operatorOnly() },
    { op: 'POST /v1/participants/{id}/withdrawals', call: (s) => ({ path: `/v1/participants/${s.party.district.id}/withdrawals`, body: { amount: '0.01' } }), expect: cells({ ok: ['district'] }, 403) },
    { op: 'GET /v1/participants/{id}/balances', call: (s) => ({ path: `/v1/participants/${s.party.district.id}/balances` }), expect: books() },
    { op: 'GET /v1/participants/{id}/ledger', call: (s) => ({ path: `/v1/participants/${s.party.district.id}/ledger` }), expect: books() },
    // The same, each caller on its own participant: everyone with a key may.
    ...(['balances', 'ledger', 'api-keys'] as const).map((tail): MatrixRow => ({
      op: `GET /v1/participants/{id}/${tail}`, variant: 'own', call: (s, who) => ({ path: `/v1/participants/${ownId(s, who)}/${tail}` }), expect: cells({}, 'ok'),
    })),
    // A regulator's cash is its region's, bidding for cap: even the city above it may not read it (API.md, Sealed bids).
    ...(['balances', 'ledger'] as const).map((tail): MatrixRow => ({
      op: `GET /v1/participants/{id}/${tail}`, variant: 'a regulator\'s', call: (s) => ({ path: `/v1/participants/${s.party.regIn.id}/${tail}` }), expect: cells({ ok: ['operator', 'regIn'] }, 403),
    })),
    { op: 'POST /v1/participants/{id}/api-keys', variant: 'own', call: (s, who) => ({ path: `/v1/participants/${ownId(s, who)}/api-keys` }), expect: cells({}, 'ok') },
    { op: 'POST /v1/participants/{id}/withdrawals', variant: 'own', call: (s, who) => ({ path: `/v1/participants/${ownId(s, who)}/withdrawals`, body: { amount: '0.01' } }), expect: cells({}, 'ok') },
    { op: 'GET /v1/ledger/verify', call: () => ({ path: '/v1/ledger/verify' }), expect: operatorOnly() },

    // Rights
    {
      op: 'POST /v1/rights',
      call: (s, who) => ({ path: '/v1/rights', body: { holderId: s.party.district.id, regionCode: '150421', source: 'SURFACE', useType: 'AGRICULTURE', annualVolume: '1', validFrom: `${Y}-01-01`, validTo: `${Y}-12-31`, permitNo: `MATRIX-${who}` } }),
      expect: regulatorIn(),
    },
    { op: 'GET /v1/rights', call: () => ({ path: '/v1/rights?limit=1' }), expect: everyone() },
    { op: 'GET /v1/rights/{id}', call: (s) => ({ path: `/v1/rights/${s.right}` }), expect: heldByDistrict() },
    { op: 'POST /v1/rights/{id}/allocations', call: (s) => ({ path: `/v1/rights/${s.right}/allocations`, body: { year: Y, volume: '1' } }), expect: regulatorIn() },

    // Trades
    { op: 'GET /v1/trades', call: () => ({ path: '/v1/trades?limit=1' }), expect: everyone() },
    { op: 'GET /v1/trades/{id}', call: (s) => ({ path: `/v1/trades/${s.trade}` }), expect: cells({ ok: ['operator', 'district', 'enterprise', ...REGULATORS_IN] }, 404) },
    { op: 'POST /v1/trades/{id}/approve', call: (s) => ({ path: `/v1/trades/${s.trade}/approve`, body: {} }), expect: regulatorIn() },
    { op: 'POST /v1/trades/{id}/reject', call: (s) => ({ path: `/v1/trades/${s.tradeToReject}/reject`, body: { reason: 'matrix' } }), expect: regulatorIn() },

    // Markets and orders
    { op: 'POST /v1/markets', call: () => ({ path: '/v1/markets', body: { regionCode: '150421', source: 'RECLAIMED', year: Y } }), expect: operatorOrRegulatorIn() },
    { op: 'GET /v1/markets', call: () => ({ path: '/v1/markets?limit=1' }), expect: everyone() },
    { op: 'GET /v1/markets/{id}', call: (s) => ({ path: `/v1/markets/${s.market}` }), expect: everyone() },
    { op: 'POST /v1/markets/{id}/halt', call: (s) => ({ path: `/v1/markets/${s.haltMarket}/halt` }), expect: operatorOrRegulatorIn() },
    { op: 'POST /v1/markets/{id}/resume', call: (s) => ({ path: `/v1/markets/${s.haltMarket}/resume` }), expect: operatorOrRegulatorIn() },
    { op: 'GET /v1/markets/{id}/book', call: (s) => ({ path: `/v1/markets/${s.market}/book` }), expect: everyone() },
    { op: 'GET /v1/markets/{id}/trades', call: (s) => ({ path: `/v1/markets/${s.market}/trades` }), expect: everyone() },
    { op: 'POST /v1/markets/{id}/orders', call: (s) => ({ path: `/v1/markets/${s.market}/orders`, body: { side: 'BUY', price: '0.01', volume: '1' } }), expect: traders() },
    { op: 'GET /v1/orders', call: () => ({ path: '/v1/orders?limit=1' }), expect: everyone() },
    { op: 'GET /v1/orders/{id}', call: (s) => ({ path: `/v1/orders/${s.order}` }), expect: cells({ ok: ['operator', 'district'] }, 404) },
    { op: 'DELETE /v1/orders/{id}', call: (s) => ({ path: `/v1/orders/${s.orderToCancel}` }), expect: cells({ ok: ['district'], 403: ['operator'] }, 404) },

    // Negotiated transfers
    { op: 'POST /v1/transfers', call: (s, who) => ({ path: '/v1/transfers', body: { marketId: s.market, buyerId: s.party[other(who)].id, volume: '1', price: '1.00' } }), expect: traders() },
    { op: 'GET /v1/transfers', call: () => ({ path: '/v1/transfers?limit=1' }), expect: everyone() },
    { op: 'GET /v1/transfers/{id}', call: (s) => ({ path: `/v1/transfers/${s.transfer}` }), expect: cells({ ok: ['operator', 'district', 'enterprise'] }, 404) },
    { op: 'POST /v1/transfers/{id}/accept', call: (s) => ({ path: `/v1/transfers/${s.transfer}/accept` }), expect: cells({ ok: ['enterprise'], 403: ['operator', 'district'] }, 404) },
    { op: 'POST /v1/transfers/{id}/decline', call: (s) => ({ path: `/v1/transfers/${s.transferToDecline}/decline` }), expect: cells({ ok: ['enterprise'], 403: ['operator', 'district'] }, 404) },
    { op: 'POST /v1/transfers/{id}/cancel', call: (s) => ({ path: `/v1/transfers/${s.transferToCancel}/cancel` }), expect: cells({ ok: ['district'], 403: ['operator', 'enterprise'] }, 404) },

    // Auctions and sealed bids
    { op: 'POST /v1/auctions', call: (s) => ({ path: '/v1/auctions', body: { marketId: s.market, side: 'SELL', volume: '1', limitPrice: '1.00', closesAt: new Date(Date.now() + 3_600_000).toISOString() } }), expect: traders() },
    { op: 'GET /v1/auctions', call: () => ({ path: '/v1/auctions?limit=1' }), expect: everyone() },
    { op: 'GET /v1/auctions/{id}', call: (s) => ({ path: `/v1/auctions/${s.auction}` }), expect: everyone() },
    { op: 'POST /v1/auctions/{id}/bids', call: (s) => ({ path: `/v1/auctions/${s.auction}/bids`, body: { price: '1.00', volume: '1' } }), expect: cells({ ok: TRADERS.filter((p) => p !== 'district') }, 403) },
    { op: 'GET /v1/auctions/{id}/bids', call: (s) => ({ path: `/v1/auctions/${s.auction}/bids` }), expect: everyone() },
    { op: 'DELETE /v1/auctions/{id}/bids/{bidId}', call: (s) => ({ path: `/v1/auctions/${s.auction}/bids/${s.bid}` }), expect: cells({ ok: ['enterprise'] }, 404) },
    { op: 'POST /v1/auctions/{id}/close', call: (s) => ({ path: `/v1/auctions/${s.auction}/close` }), expect: cells({ ok: ['operator', 'district'] }, 403) },
    { op: 'POST /v1/auctions/{id}/cancel', call: (s) => ({ path: `/v1/auctions/${s.auctionToCancel}/cancel`, body: { reason: 'matrix' } }), expect: cells({ ok: ['operator', 'district', ...REGULATORS_IN] }, 403) },

    // Contract water-saving
    {
      op: 'POST /v1/projects',
      call: (s) => ({ path: '/v1/projects', body: {
        name: 'matrix', model: 'BENEFIT_SHARING', serviceCompanyId: s.party.company.id, waterUserId: s.party.district.id, regionCode: '150421', source: 'SURFACE',
        startDate: `${Y - 1}-01-01`, endDate: `${Y}-12-31`, waterPrice: '1.00', baseline: { method: 'FIXED', volumePerPeriod: '1000' }, terms: { serviceShare: '0.5' },
      } }),
      expect: cells({ ok: ['district', 'company'] }, 403),
    },
    { op: 'GET /v1/projects', call: () => ({ path: '/v1/projects?limit=1' }), expect: everyone() },
    { op: 'GET /v1/projects/{id}', call: (s) => ({ path: `/v1/projects/${s.project}` }), expect: cells({ ok: ['operator', 'district', 'company', ...REGULATORS_IN] }, 404) },
    {
      op: 'POST /v1/projects/{id}/readings',
      call: (s) => ({ path: `/v1/projects/${s.project}/readings`, body: { periodStart: `${Y - 1}-03-01`, periodEnd: `${Y - 1}-03-31`, volume: '900' } }),
      // A RESERVE is never a project's party: refused by role.
      expect: cells({ ok: ['district', 'company'], 403: ['operator', 'reserve', ...REGULATORS] }, 404),
    },
    { op: 'GET /v1/projects/{id}/readings', call: (s) => ({ path: `/v1/projects/${s.project}/readings` }), expect: cells({ ok: ['operator', 'district', 'company', ...REGULATORS_IN] }, 404) },
    { op: 'GET /v1/projects/{id}/statements', call: (s) => ({ path: `/v1/projects/${s.project}/statements` }), expect: cells({ ok: ['operator', 'district', 'company', ...REGULATORS_IN] }, 404) },
    {
      op: 'POST /v1/projects/{id}/statements/{statementId}/confirm',
      call: (s) => ({ path: `/v1/projects/${s.project}/statements/${s.statement}/confirm` }),
      // A RESERVE is never a project's party: refused by role.
      expect: cells({ ok: ['district', 'company'], 403: ['operator', 'reserve', ...REGULATORS] }, 404),
    },
    { op: 'POST /v1/projects/{id}/statements/{statementId}/certify', call: (s) => ({ path: `/v1/projects/${s.project}/statements/${s.statement}/certify`, body: { year: Y } }), expect: regulatorIn() },

    // Transfers of rights
    { op: 'POST /v1/right-transfers', call: (s, who) => ({ path: '/v1/right-transfers', body: { rightId: s.right, buyerId: s.party[other(who)].id, volumePerYear: '1', fromYear: NEXT_YEAR, toYear: NEXT_YEAR, price: '1.00' } }), expect: cells({ ok: ['district'], 403: ['operator', ...REGULATORS] }, 404) },
    { op: 'GET /v1/right-transfers', call: () => ({ path: '/v1/right-transfers?limit=1' }), expect: everyone() },
    { op: 'GET /v1/right-transfers/{id}', call: (s) => ({ path: `/v1/right-transfers/${s.rightTransfer}` }), expect: cells({ ok: ['operator', 'district', 'enterprise', ...REGULATORS_IN] }, 404) },
    { op: 'POST /v1/right-transfers/{id}/accept', call: (s) => ({ path: `/v1/right-transfers/${s.rightTransfer}/accept` }), expect: cells({ ok: ['enterprise'], 403: ['operator', 'district', ...REGULATORS_IN] }, 404) },
    { op: 'POST /v1/right-transfers/{id}/decline', call: (s) => ({ path: `/v1/right-transfers/${s.rightTransferToDecline}/decline` }), expect: cells({ ok: ['enterprise'], 403: ['operator', 'district', ...REGULATORS_IN] }, 404) },
    { op: 'POST /v1/right-transfers/{id}/cancel', call: (s) => ({ path: `/v1/right-transfers/${s.rightTransferToCancel}/cancel` }), expect: cells({ ok: ['district'], 403: ['operator', 'enterprise', ...REGULATORS_IN] }, 404) },
    { op: 'POST /v1/right-transfers/{id}/approve', call: (s) => ({ path: `/v1/right-transfers/${s.rightTransfer}/approve`, body: {} }), expect: regulatorIn() },
    { op: 'POST /v1/right-transfers/{id}/reject', call: (s) => ({ path: `/v1/right-transfers/${s.rightTransfer}/reject`, body: { reason: 'matrix' } }), expect: regulatorIn() },

    // Regional trades: the county sells; 包头 (beside it) has an interest; the city is above the seller.
    {
      op: 'POST /v1/regional-trades',
      call: () => ({ path: '/v1/regional-trades', body: { volumePerYear: '1', fromYear: Y, toYear: Y, askingPrice: '1.00', closesAt: new Date(Date.now() + 3_600_000).toISOString() } }),
      expect: cells({ ok: REGULATORS }, 403),
    },
    { op: 'GET /v1/regional-trades', call: () => ({ path: '/v1/regional-trades?limit=1' }), expect: everyone() },
    { op: 'GET /v1/regional-trades/{id}', call: (s) => ({ path: `/v1/regional-trades/${s.regionalTrade}` }), expect: everyone() },
    { op: 'POST /v1/regional-trades/{id}/interests', call: (s) => ({ path: `/v1/regional-trades/${s.regionalTrade}/interests`, body: { price: '1.00' } }), expect: cells({ ok: ['regOut'] }, 403) },
    { op: 'GET /v1/regional-trades/{id}/interests', call: (s) => ({ path: `/v1/regional-trades/${s.regionalTrade}/interests` }), expect: everyone() },
    { op: 'DELETE /v1/regional-trades/{id}/interests/{interestId}', call: (s) => ({ path: `/v1/regional-trades/${s.regionalTrade}/interests/${s.interest}` }), expect: cells({ ok: ['regOut'] }, 404) },
    { op: 'POST /v1/regional-trades/{id}/close', call: (s) => ({ path: `/v1/regional-trades/${s.regionalTrade}/close` }), expect: cells({ ok: ['operator', 'regIn'] }, 403) },
    { op: 'POST /v1/regional-trades/{id}/withdraw', call: (s) => ({ path: `/v1/regional-trades/${s.regionalTradeToWithdraw}/withdraw` }), expect: cells({ ok: ['regIn'] }, 403) },
    // Not yet closed, so no approver exists: every regulator meets the state, everyone else the role.
    { op: 'POST /v1/regional-trades/{id}/approve', call: (s) => ({ path: `/v1/regional-trades/${s.regionalTrade}/approve`, body: {} }), expect: cells({ ok: REGULATORS }, 403) },
    { op: 'POST /v1/regional-trades/{id}/reject', call: (s) => ({ path: `/v1/regional-trades/${s.regionalTrade}/reject`, body: { reason: 'matrix' } }), expect: cells({ ok: REGULATORS }, 403) },

    // Approvals, events, webhooks
    { op: 'GET /v1/approvals', call: () => ({ path: '/v1/approvals' }), expect: cells({ ok: REGULATORS }, 403) },
    { op: 'GET /v1/events', call: () => ({ path: '/v1/events?limit=1' }), expect: everyone() },
    { op: 'POST /v1/webhooks', call: () => ({ path: '/v1/webhooks', body: { url: 'http://127.0.0.1:9/matrix' } }), expect: everyone() },
    { op: 'GET /v1/webhooks', call: () => ({ path: '/v1/webhooks' }), expect: everyone() },
    { op: 'DELETE /v1/webhooks/{id}', call: (s) => ({ path: `/v1/webhooks/${s.webhook}` }), expect: cells({ ok: ['district'] }, 404) },
    { op: 'GET /v1/webhooks/{id}/deliveries', call: (s) => ({ path: `/v1/webhooks/${s.webhook}/deliveries` }), expect: cells({ ok: ['district'] }, 404) },

    // Public information: no key needed, any key ignored.
    { op: 'GET /v1/public/markets', call: () => ({ path: '/v1/public/markets' }), expect: publicPage() },
    { op: 'GET /v1/public/markets/{id}/trades', call: (s) => ({ path: `/v1/public/markets/${s.market}/trades` }), expect: publicPage() },
    { op: 'GET /v1/public/announcements', call: () => ({ path: '/v1/public/announcements' }), expect: publicPage() },
    { op: 'GET /v1/public/price-index', call: () => ({ path: '/v1/public/price-index' }), expect: publicPage() },

    // Reports: the operator, or a regulator for a region in its jurisdiction.
    { op: 'GET /v1/reports/trades', call: () => ({ path: `/v1/reports/trades?regionCode=150421&year=${Y}` }), expect: operatorOrRegulatorIn() },
    { op: 'GET /v1/reports/long-term', call: () => ({ path: `/v1/reports/long-term?regionCode=150421&year=${Y}` }), expect: operatorOrRegulatorIn() },
    { op: 'GET /v1/reports/caps', call: () => ({ path: `/v1/reports/caps?regionCode=150421&year=${Y}` }), expect: operatorOrRegulatorIn() },
    { op: 'GET /v1/reports/savings', call: () => ({ path: `/v1/reports/savings?regionCode=150421&year=${Y}` }), expect: operatorOrRegulatorIn() },
  ];
}
