import request from 'supertest';
import { Webhook } from 'standardwebhooks';
import { auctionAs } from './support/auctions';
import { buildDealsScene, DEALS_ENV, DealsScene } from './support/deals-scene';
import { Party } from './support/fixtures';
import { buildInformationScene, InformationScene, parties } from './support/information-scene';
import { client, startTestApp, TestApp } from './support/test-app';
import { expectStatus } from './support/trade-scene';
import { fundCash } from './support/trading';
import { commitmentOf } from './support/long-term';
import { eventIndexCaughtUp } from './support/event-index';
import { sql } from './support/sql';
import { WebhookReceiver } from './support/webhook-receiver';

/**
 * GET /v1/events: an event is an audit entry the caller may GET the entity of, as of the
 * request; the operator sees all. Checked against the authorization rules themselves (each
 * entity's GET, caller by caller) and against a table written out by hand, over the
 * information scene and the v1.1 deals on top of it (support/deals-scene.ts): auctions and
 * their sealed bids, transfers of rights, regional trades and their sealed interests.
 */

type Entry = { seq: number; action: string; entityType: string; entityId: string; after: any };

async function feed(t: TestApp, p: Party, after = 0, limit = 500): Promise<{ items: any[]; lastSeq: number }> {
  const items: any[] = [];
  let cursor = after;
  for (;;) {
    const page = expectStatus(await client(t, p.apiKey).get(`/v1/events?after=${cursor}&limit=${limit}`), 200).body;
    items.push(...page.items);
    if (page.items.length < limit) return { items, lastSeq: page.lastSeq };
    cursor = page.lastSeq;
  }
}

async function auditLog(t: TestApp): Promise<Entry[]> {
  const entries: Entry[] = [];
  let cursor: string | null = null;
  do {
    const page: any = expectStatus(await client(t, t.adminKey).get(`/v1/audit?limit=500${cursor ? `&cursor=${cursor}` : ''}`), 200).body;
    entries.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return entries;
}

describe('event feed (GET /v1/events)', () => {
  let t: TestApp;
  let s: InformationScene;
  let d: DealsScene;
  let log: Entry[];
  let webhookId: string;
  /** Webhooks registered before the deals, one per owner, each with its receiver. */
  let hooks: Array<{ owner: Party; id: string; secret: string; createdSeq: number; receiver: WebhookReceiver }>;
  /** Every caller: the scene's ten and the regulator of 150422 the deals add. */
  let callers: Party[];

  beforeAll(async () => {
    t = await startTestApp({ env: { WEBHOOK_ALLOW_PRIVATE: 'true', ...DEALS_ENV } });
    s = await buildInformationScene(t);
    webhookId = expectStatus(await client(t, s.factory.apiKey).post('/v1/webhooks', { url: 'http://127.0.0.1:9/hook', types: ['webhook.created'] }), 201).body.id;
    hooks = [];
    for (const owner of [s.district, s.factory, s.reserve, s.bystander, s.county, s.baotou, s.city]) {
      const receiver = await new WebhookReceiver().start();
      const hook = expectStatus(await client(t, owner.apiKey).post('/v1/webhooks', { url: receiver.url }), 201).body;
      const [created] = expectStatus(await client(t, t.adminKey).get(`/v1/audit?entityType=webhook&entityId=${hook.id}`), 200).body.items;
      hooks.push({ owner, id: hook.id, secret: hook.secret, createdSeq: created.seq, receiver });
    }
    d = await buildDealsScene(t, s);
    callers = [...parties(s), d.otherCounty];
    log = await auditLog(t);
    // The feed then reads the index of who could ever read each entry (decision 0037) for the whole log, not the log itself.
    await eventIndexCaughtUp(t);
  }, 180_000);
  afterAll(async () => {
    await t.close();
    await Promise.all((hooks ?? []).map((h) => h.receiver.close()));
  });

  /** Whether `p` may GET the entity an entry is about, asked of the entity's own endpoint. */
  function oracle(p: Party) {
    const c = client(t, p.apiKey);
    const cache = new Map<string, Promise<boolean>>();
    const ok = (path: string) => {
      if (!cache.has(path)) cache.set(path, c.get(path).then((r) => r.status === 200));
      return cache.get(path)!;
    };
    const created = (type: string, id: string) => log.find((e) => e.entityType === type && e.entityId === id && e.after && ('participantId' in e.after || 'rightId' in e.after))?.after;
    /** Whether a list the caller reads names the object. */
    const listed = (path: string, id: string) => {
      const key = `${path}#${id}`;
      if (!cache.has(key)) cache.set(key, c.get(path).then((r) => r.status === 200 && r.body.items.some((x: any) => x.id === id)));
      return cache.get(key)!;
    };
    /** The auction or regional trade a sealed bid belongs to, from its own entries. */
    const parentOf = (id: string, field: string) => log.find((e) => e.entityId === id && e.after?.[field])!.after[field];
    return async (e: Entry): Promise<boolean> => {
      // The operator sees every event, whatever its entity.
      if (p.kind === 'OPERATOR') return true;
      switch (e.entityType) {
        case 'participant': return ok(`/v1/participants/${e.entityId}`);
        case 'apiKey': return ok(`/v1/participants/${created('apiKey', e.entityId).participantId}/api-keys`);
        case 'region': return ok(`/v1/regions/${e.entityId}`);
        case 'cap': return ok(`/v1/regions/${e.entityId.slice(0, 6)}/caps/${e.entityId.slice(7)}`);
        case 'right': return ok(`/v1/rights/${e.entityId}`);
        case 'allocation': return ok(`/v1/rights/${created('allocation', e.entityId).rightId}`);
        case 'deposit':
        case 'withdrawal': return ok(`/v1/participants/${created(e.entityType, e.entityId).participantId}/ledger`);
        case 'market': return ok(`/v1/markets/${e.entityId}`);
        case 'order': return ok(`/v1/orders/${e.entityId}`);
        case 'trade': return ok(`/v1/trades/${e.entityId}`);
        case 'transfer': return ok(`/v1/transfers/${e.entityId}`);
        case 'project': return ok(`/v1/projects/${e.entityId}`);
        case 'reading':
        case 'statement': return ok(`/v1/projects/${s.projectId}/statements`);
        case 'webhook': return (await c.get('/v1/webhooks')).body.items?.some((w: any) => w.id === e.entityId) ?? false;
        case 'auction': return ok(`/v1/auctions/${e.entityId}`);
        case 'bid': return listed(`/v1/auctions/${parentOf(e.entityId, 'auctionId')}/bids?limit=500`, e.entityId);
        case 'rightTransfer': return ok(`/v1/right-transfers/${e.entityId}`);
        case 'regionalTrade': return ok(`/v1/regional-trades/${e.entityId}`);
        case 'regionalInterest': return listed(`/v1/regional-trades/${parentOf(e.entityId, 'regionalTradeId')}/interests`, e.entityId);
        default: return false;
      }
    };
  }

  it('shows each caller exactly the entries whose entity it may GET, oldest first, for every caller', async () => {
    // Every entity type of the log is one the oracle knows.
    expect([...new Set(log.map((e) => e.entityType))].sort()).toEqual([
      'allocation', 'apiKey', 'auction', 'bid', 'cap', 'deposit', 'market', 'order', 'participant', 'project', 'reading', 'region',
      'regionalInterest', 'regionalTrade', 'right', 'rightTransfer', 'statement', 'trade', 'transfer', 'webhook',
    ]);
    for (const p of callers) {
      const may = oracle(p);
      // Each event named by its seq, type and entity, so a difference says what it is about.
      const expected: string[] = [];
      for (const e of log) if (await may(e)) expected.push(`${e.seq} ${e.action} ${e.entityId}`);
      const seen = (await feed(t, p)).items.map((e) => `${e.seq} ${e.type} ${e.entityId}`);
      expect({ who: `${p.kind} ${p.regionCode}`, seqs: seen }).toEqual({ who: `${p.kind} ${p.regionCode}`, seqs: expected });
    }
  });

  it('follows the authorization rules, caller by caller (✓ sees it, · does not)', async () => {
    const deposit = log.find((e) => e.action === 'deposit.recorded' && e.after.participantId === s.factory.id)!.entityId;
    const right = log.find((e) => e.action === 'right.created' && e.after.holderId === s.district.id)!.entityId;
    const crossCounty = s.settledTradeIds[0];
    const overProvince = s.settledTradeIds[2];
    const baotouDeposit = log.find((e) => e.action === 'deposit.recorded' && e.after.participantId === s.baotou.id)!.entityId;
    const [rt1, rt2] = d.rightTransfers;
    const [rg1] = d.regionalTrades;
    const { won, lost } = d.regionalInterests;
    // entity                                     op prov city cnty btou dist comp fact byst resv 150422
    const table: Array<[string, string, string]> = [
      ['the surface market',                      s.surface,                 '✓ ✓ ✓ ✓ ✓ ✓ ✓ ✓ ✓ ✓ ✓'],
      ['the factory (participant)',               s.factory.id,              '✓ ✓ ✓ ✓ ✓ ✓ ✓ ✓ ✓ ✓ ✓'],
      ['the district\'s right',                   right,                     '✓ ✓ ✓ ✓ · ✓ · · · · ·'],
      ['the factory\'s deposit',                  deposit,                   '✓ ✓ ✓ · · · · ✓ · · ✓'],
      // A regulator's books are its own, whatever the jurisdiction above it: regions bidding for cap see none of each other's cash.
      ['包头市\'s deposit',                         baotouDeposit,             '✓ · · · ✓ · · · · · ·'],
      ['a cross-county trade',                    crossCounty,               '✓ ✓ ✓ · · ✓ · ✓ · · ·'],
      ['a trade into 包头市',                      overProvince,              '✓ ✓ · · · · · ✓ ✓ · ·'],
      ['the district\'s resting order',           s.restingOrderId,          '✓ · · · · ✓ · · · · ·'],
      ['the transfer',                            s.transferId,              '✓ · · · · ✓ · ✓ · · ·'],
      ['the project',                             s.projectId,               '✓ ✓ ✓ ✓ · ✓ ✓ · · · ·'],
      ['its statement',                           s.statementId,             '✓ ✓ ✓ ✓ · ✓ ✓ · · · ·'],
      ['the factory\'s webhook',                  webhookId,                 '✓ · · · · · · ✓ · · ·'],
      // Auctions: anyone; bids: the bidder, and after the close the creator, the operator and the market's supervisors.
      ['the district\'s closed listing',          d.listing.id,              '✓ ✓ ✓ ✓ ✓ ✓ ✓ ✓ ✓ ✓ ✓'],
      ['the reserve\'s closed tender',            d.tender.id,               '✓ ✓ ✓ ✓ ✓ ✓ ✓ ✓ ✓ ✓ ✓'],
      ['the reserve\'s open tender',              d.openTender.id,           '✓ ✓ ✓ ✓ ✓ ✓ ✓ ✓ ✓ ✓ ✓'],
      ['the factory\'s winning bid',              d.listingBids.factory.id,  '✓ ✓ ✓ ✓ · ✓ · ✓ · · ·'],
      ['the bystander\'s losing bid',             d.listingBids.bystander.id, '✓ ✓ ✓ ✓ · ✓ · · ✓ · ·'],
      ['the district\'s offer to the tender',     d.tenderOffers.won.id,     '✓ ✓ ✓ ✓ · ✓ · · · ✓ ·'],
      ['the factory\'s groundwater offer',        d.roundingOffers[0].id,    '✓ ✓ ✓ · · · · ✓ · ✓ ✓'],
      ['a sealed bid on the open listing',        d.openListingBid.id,       '✓ · · · · · · ✓ · · ·'],
      ['a sealed offer to the open tender',       d.openTenderOffer.id,      '✓ · · · · ✓ · · · · ·'],
      // Transfers of rights: the parties, the operator, regulators over the right's and the buyer's region.
      ['a right transfer 150421 → 150422',        rt1.id,                    '✓ ✓ ✓ · · ✓ · ✓ · · ·'],
      ['a right transfer 150422 → 包头市',         rt2.id,                    '✓ ✓ · · · · · ✓ ✓ · ·'],
      ['a proposed right transfer',               d.proposedRightTransfer.id, '✓ ✓ ✓ · · ✓ · · · ✓ ·'],
      // Regional trades: anyone; interests: the bidder, and after the close the seller and the approving level.
      ['a settled regional trade',                rg1.id,                    '✓ ✓ ✓ ✓ ✓ ✓ ✓ ✓ ✓ ✓ ✓'],
      ['an announced regional trade',             d.openRegionalTrade.id,    '✓ ✓ ✓ ✓ ✓ ✓ ✓ ✓ ✓ ✓ ✓'],
      ['包头市\'s winning interest',               won.id,                    '✓ ✓ · ✓ ✓ · · · · · ·'],
      ['150422\'s losing interest',               lost.id,                   '✓ ✓ · ✓ · · · · · · ✓'],
      ['a sealed interest, before the close',     d.openInterest.id,         '✓ · · · ✓ · · · · · ·'],
    ];
    const seen = await Promise.all(callers.map(async (p) => new Set((await feed(t, p)).items.map((e) => e.entityId))));
    for (const [what, id, row] of table) {
      const marks = callers.map((_, i) => (seen[i].has(id) ? '✓' : '·')).join(' ');
      expect(`${what}: ${marks}`).toBe(`${what}: ${row}`);
    }
  });

  it('shows a participant\'s private fields only to those who may read them; everyone else gets the public view', async () => {
    const entry = log.find((e) => e.action === 'participant.created' && e.entityId === s.factory.id)!;
    const asBystander = (await feed(t, s.bystander)).items.find((e) => e.seq === entry.seq);
    expect(asBystander.data).toEqual((await client(t, s.bystander.apiKey).get(`/v1/participants/${s.factory.id}`)).body);
    expect(Object.keys(asBystander.data).sort()).toEqual(['id', 'kind', 'name', 'regionCode']);
    const asCity = (await feed(t, s.city)).items.find((e) => e.seq === entry.seq);
    expect(asCity.data).toEqual(entry.after);
    expect(asCity).toEqual({ seq: entry.seq, at: expect.any(String), type: 'participant.created', entityType: 'participant', entityId: s.factory.id, data: entry.after });
  });

  describe('auctions and long-term deals', () => {
    const isCreatorOrOperator = (p: Party) => p.kind === 'OPERATOR' || p.id === s.reserve.id;
    const entriesOf = (id: string) => log.filter((e) => e.entityId === id);

    it('shows a BUY tender\'s limit, and the creator\'s lock that would reveal it, to its creator and the operator only, before and after the close', async () => {
      for (const p of callers) {
        const events = (await feed(t, p)).items;
        for (const tender of [d.tender, d.roundingTender, d.openTender]) {
          const about = events.filter((e) => e.entityId === tender.id);
          const entries = entriesOf(tender.id);
          const shown = await auctionAs(t, p, tender.id);
          if (isCreatorOrOperator(p)) {
            expect(shown.limitPrice).not.toBeNull();
            expect(about.map((e) => [e.type, e.data])).toEqual(entries.map((e) => [e.action, e.after]));
            continue;
          }
          expect(shown.limitPrice).toBeNull();
          // Its lock exists, as the tender does; nothing says how much, nor whether the close topped it up or released any of it.
          const types = tender.status === 'OPEN' ? ['auction.locked', 'auction.created'] : ['auction.locked', 'auction.created', 'auction.closed'];
          expect([p.kind, p.regionCode, about.map((e) => e.type)]).toEqual([p.kind, p.regionCode, types]);
          expect(Object.keys(about[0].data).sort()).toEqual(['asset', 'holdId', 'owner']);
          const { creatorLock: _lock, ...view } = entries[1].after;
          expect(about[1].data).toEqual({ ...view, limitPrice: null });
          if (tender.status === 'OPEN') continue;
          // The close's event is the auction as its GET shows it, with every bid published.
          const { bids, ...closed } = about[2].data;
          expect(closed).toEqual(shown);
          expect(bids).toEqual(entries[2].after.bids);
          expect(about[2].data).not.toHaveProperty('creatorLock');
        }
        if (isCreatorOrOperator(p)) continue;
        // In nothing it sees, whatever the entity: the limits (1.37, 2.22) or the locks they make (1 370.00, 1 554.00).
        const text = JSON.stringify(events);
        for (const secret of ['"1.37"', '"1370"', '"1370.00"', '"2.22"', '"1554"', '"1554.00"']) expect([p.kind, p.regionCode, secret, text.includes(secret)]).toEqual([p.kind, p.regionCode, secret, false]);
      }
    });

    it('tells the tender\'s creator and the operator, in the close\'s entry, how the close moved the creator\'s lock', async () => {
      const closedOf = (id: string) => entriesOf(id).find((e) => e.action === 'auction.closed')!.after;
      // 1.37 × 1 000 locked, 600 × 1.20 = 720.00 spent: 650.00 back. round(1.0051 × 3 × 1.01) = 3.05 locked, 3 × (1.01 + 0.01) = 3.06 spent: 0.01 topped up.
      expect(closedOf(d.tender.id).creatorLock).toEqual({ topUp: '0.00', released: '650.00' });
      expect(closedOf(d.roundingTender.id).creatorLock).toEqual({ topUp: '0.01', released: '0.00' });
      const reserveSees = (await feed(t, s.reserve)).items.filter((e) => e.type === 'auction.closed' && e.entityId === d.roundingTender.id);
      expect(reserveSees[0].data.creatorLock).toEqual({ topUp: '0.01', released: '0.00' });
      expect((await client(t, s.reserve.apiKey).get(`/v1/participants/${s.reserve.id}/balances`)).body.cash.locked).toBe('1554.00');
    });

    it('shows a SELL listing whole to everyone: its reserve price is public', async () => {
      for (const p of callers) {
        const about = (await feed(t, p)).items.filter((e) => e.entityId === d.listing.id);
        expect(about.map((e) => [e.type, e.data])).toEqual(entriesOf(d.listing.id).map((e) => [e.action, e.after]));
        expect(about.find((e) => e.type === 'auction.created').data.limitPrice).toBe('1.5');
      }
    });

    it('carries only commitments for sealed bids and interests before the close, to the bidder and the operator alone', async () => {
      const sealed = [
        { what: 'open listing bid', id: d.openListingBid.id, bidder: s.factory.id, salt: d.openListingBid.salt, keys: ['auctionId', 'commitment', 'id'] },
        { what: 'open tender offer', id: d.openTenderOffer.id, bidder: s.district.id, salt: d.openTenderOffer.salt, keys: ['auctionId', 'commitment', 'id'] },
        { what: 'open interest', id: d.openInterest.id, bidder: s.baotou.id, salt: d.openInterest.salt, keys: ['commitment', 'id', 'regionalTradeId'] },
      ];
      for (const p of callers) {
        const events = (await feed(t, p)).items;
        const text = JSON.stringify(events);
        for (const b of sealed) {
          const about = events.filter((e) => e.entityId === b.id);
          const mine = p.kind === 'OPERATOR' || p.id === b.bidder;
          expect([b.what, p.kind, p.regionCode, about.map((e) => [e.type, Object.keys(e.data).sort()])])
            .toEqual([b.what, p.kind, p.regionCode, mine ? [[b.keys[0] === 'auctionId' ? 'bid.placed' : 'regionalInterest.placed', b.keys]] : []]);
          // The salt, which opens the commitment, is in the bidder's response only.
          expect(text.includes(b.salt)).toBe(false);
        }
      }
    });

    it('publishes every bid with the close, each opening the commitment its sealed event carried', async () => {
      const closed = (await feed(t, s.bystander)).items.find((e) => e.type === 'auction.closed' && e.entityId === d.listing.id);
      const { factory, reserve, bystander } = d.listingBids;
      expect(closed.data.bids.map((b: any) => [b.bidderId, b.price, b.volume, b.status]).sort()).toEqual([
        [s.factory.id, '1.8', '600', 'FILLED'], [s.reserve.id, '1.7', '600', 'PARTIALLY_FILLED'], [s.bystander.id, '1.55', '300', 'UNFILLED'],
      ].sort());
      const asBidder = (await feed(t, s.factory)).items;
      for (const published of closed.data.bids) {
        const placed = log.find((e) => e.action === 'bid.placed' && e.entityId === published.id)!;
        expect(commitmentOf(published)).toBe(placed.after.commitment);
        expect(published.salt).toBe([factory, reserve, bystander].find((b) => b.id === published.id).salt);
      }
      expect(asBidder.find((e) => e.entityId === factory.id && e.type === 'bid.placed').data).toEqual({ id: factory.id, auctionId: d.listing.id, commitment: expect.stringMatching(/^[0-9a-f]{64}$/) });
    });

    it('shows bids, transfers of rights, regional trades and interests exactly as recorded to whoever may read them', async () => {
      const bySeq = new Map(log.map((e) => [e.seq, e]));
      for (const p of callers) {
        for (const e of (await feed(t, p)).items) {
          if (!['bid', 'rightTransfer', 'regionalTrade', 'regionalInterest'].includes(e.entityType)) continue;
          expect([e.seq, e.type, e.data]).toEqual([e.seq, bySeq.get(e.seq)!.action, bySeq.get(e.seq)!.after]);
        }
      }
    });

    it('delivers each owner\'s webhook only events it may see, as the feed shows them, in seq order', async () => {
      const outbox = async (id: string) => Number((await sql(t, 'SELECT count(*) AS n FROM webhook_outbox WHERE webhook_id = $1', [id]))[0].n);
      for (const h of hooks) {
        for (const until = Date.now() + 30_000; (await outbox(h.id)) > 0;) {
          if (Date.now() > until) throw new Error(`webhook of ${h.owner.kind} ${h.owner.regionCode} still has ${await outbox(h.id)} events to deliver`);
          await new Promise((ok) => setTimeout(ok, 100));
        }
        const got = h.receiver.accepted();
        const events = got.map((x) => JSON.parse(x.body));
        const expected = (await feed(t, h.owner, h.createdSeq - 1)).items;
        const who = `${h.owner.kind} ${h.owner.regionCode}`;
        expect(got.length).toBeGreaterThan(0);
        expect([who, events.map((e) => e.seq)]).toEqual([who, [...events.map((e) => e.seq)].sort((a, b) => a - b)]);
        // Every delivery is an event the owner may see, exactly as the feed shows it.
        const shown = new Map(expected.map((e) => [e.seq, e]));
        for (const e of events) expect([who, e]).toEqual([who, shown.get(e.seq)]);
        // What the feed shows now and was not delivered: sealed bids others placed, which the owner could read only once their auction or trade closed.
        const delivered = new Set(events.map((e) => e.seq));
        const notDelivered = expected.filter((e) => !delivered.has(e.seq));
        expect([who, notDelivered.filter((e) => !['bid.placed', 'regionalInterest.placed'].includes(e.type))]).toEqual([who, []]);
        const verifier = new Webhook(h.secret);
        for (const x of got) expect(verifier.verify(x.body, { 'webhook-id': x.id, 'webhook-timestamp': x.timestamp, 'webhook-signature': x.signature })).toEqual(JSON.parse(x.body));
        expectStatus(await client(t, h.owner.apiKey).delete(`/v1/webhooks/${h.id}`), 200);
      }
      // Sealed bids and interests still open reach their bidder's webhook only.
      const receivedBy = (owner: Party) => new Set(hooks.find((h) => h.owner === owner)!.receiver.accepted().map((x) => JSON.parse(x.body).entityId));
      for (const h of hooks) {
        const ids = receivedBy(h.owner);
        expect([h.owner.kind, ids.has(d.openListingBid.id), ids.has(d.openTenderOffer.id), ids.has(d.openInterest.id)])
          .toEqual([h.owner.kind, h.owner === s.factory, h.owner === s.district, h.owner === s.baotou]);
      }
      // The tender's limit reaches its creator's webhook, and nobody else's.
      for (const h of hooks) {
        const created = h.receiver.accepted().map((x) => JSON.parse(x.body)).find((e) => e.type === 'auction.created' && e.entityId === d.tender.id);
        expect([h.owner.kind, created.data.limitPrice]).toEqual([h.owner.kind, h.owner === s.reserve ? '1.37' : null]);
      }
    });
  });

  it('pages by seq: after and limit, with lastSeq the last item\'s or after when there is none', async () => {
    const all = (await feed(t, s.district)).items;
    const paged: any[] = [];
    let after = 0;
    for (;;) {
      const page = expectStatus(await client(t, s.district.apiKey).get(`/v1/events?after=${after}&limit=7`), 200).body;
      if (page.items.length === 0) {
        expect(page.lastSeq).toBe(after);
        break;
      }
      expect(page.lastSeq).toBe(page.items[page.items.length - 1].seq);
      paged.push(...page.items);
      after = page.lastSeq;
    }
    expect(paged).toEqual(all);
    const head = log[log.length - 1].seq;
    expect(expectStatus(await client(t, s.operator.apiKey).get(`/v1/events?after=${head + 1000}`), 200).body).toEqual({ items: [], lastSeq: head + 1000, scannedTo: head + 1000 });
  });

  it('refuses out-of-range parameters and anonymous callers', async () => {
    for (const q of ['wait=31', 'wait=-1', 'limit=0', 'limit=501', 'after=-1', 'after=x', 'wait=1.5']) {
      expect([q, (await client(t, s.district.apiKey).get(`/v1/events?${q}`)).status]).toEqual([q, 400]);
    }
    expect((await request(t.http).get('/v1/events')).status).toBe(401);
  });

  it('lists every action it shows among the event types the OpenAPI document declares', async () => {
    const doc = (await request(t.http).get('/docs-json')).body;
    const declared: string[] = doc.components.schemas.EventView.properties.type.enum;
    expect([...new Set(log.map((e) => e.action))].filter((a) => !declared.includes(a))).toEqual([]);
  });

  describe('long polling', () => {
    const head = async () => (await feed(t, s.operator)).lastSeq;

    it('answers at once when something newer exists, and waits out `wait` when nothing does', async () => {
      const started = Date.now();
      expect(expectStatus(await client(t, s.district.apiKey).get('/v1/events?after=0&limit=1&wait=30'), 200).body.items).toHaveLength(1);
      expect(Date.now() - started).toBeLessThan(2000);
      const at = await head();
      const waitedFrom = Date.now();
      const waited = expectStatus(await client(t, s.district.apiKey).get(`/v1/events?after=${at}&wait=2`), 200).body;
      expect(waited).toMatchObject({ items: [], lastSeq: at });
      expect(waited.scannedTo).toBeGreaterThanOrEqual(at);
      expect(Date.now() - waitedFrom).toBeGreaterThanOrEqual(1900);
    });

    it('wakes for the first newer entry the caller may see, not for one it may not', async () => {
      const at = await head();
      const started = Date.now();
      let answeredAt = 0;
      const poll = client(t, s.bystander.apiKey).get(`/v1/events?after=${at}&wait=20`).then((r) => {
        answeredAt = Date.now();
        return r;
      });
      await new Promise((ok) => setTimeout(ok, 400));
      await fundCash(t, s.factory, '1.00'); // the bystander may not read the factory's ledger
      await new Promise((ok) => setTimeout(ok, 800));
      expect(answeredAt).toBe(0);
      await fundCash(t, s.bystander, '2.00');
      const res = expectStatus(await poll, 200);
      expect(answeredAt - started).toBeLessThan(8000);
      // The deposit's entries commit together: the ledger's issue, then the deposit's record.
      expect(res.body.items.map((e: any) => e.type)).toEqual(['deposit.issued', 'deposit.recorded']);
      expect(res.body.items[1]).toMatchObject({ entityType: 'deposit', data: { participantId: s.bystander.id, amount: '2.00' } });
    });

    it('holds no database connection while it waits: more long polls than the pool has connections, and the service still answers', async () => {
      const at = await head();
      const polls = Array.from({ length: 20 }, () => client(t, s.reserve.apiKey).get(`/v1/events?after=${at}&wait=4`));
      await new Promise((ok) => setTimeout(ok, 500));
      const started = Date.now();
      expectStatus(await client(t, s.district.apiKey).get('/v1/markets'), 200);
      expectStatus(await client(t, s.operator.apiKey).post(`/v1/participants/${s.reserve.id}/deposits`, { amount: '3.00', reference: 'long-poll-pool' }), 201);
      expect(Date.now() - started).toBeLessThan(2000);
      const answers = await Promise.all(polls);
      for (const a of answers) expect(a.body.items.map((e: any) => e.type)).toEqual(['deposit.issued', 'deposit.recorded']);
    });
  });
});
