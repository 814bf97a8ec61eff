import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Auctions (挂牌竞价 listings and 收储/回购 tenders) and their sealed bids. Each holds its
 * lock as a ledger hold; the close turns allocations into ordinary trades, which record the
 * auction they came from. Timestamps that rank bids are stored to the millisecond, the
 * precision the API shows, so anyone holding the published bids ranks them as the close did.
 * (Ledger postings name `auction` and `bid` as references: LongTermDeals widens that check
 * to every v1.1 reference type.)
 */
const TRADER_KINDS = ['ENTERPRISE', 'IRRIGATION_DISTRICT', 'SERVICE_COMPANY', 'WATER_USER', 'RESERVE'];

const list = (values: readonly string[]) => values.map((v) => `'${v}'`).join(',');

export class Auctions1764000100000 implements MigrationInterface {
  name = 'Auctions1764000100000';

  async up(q: QueryRunner): Promise<void> {
    // A priority list names each trader kind at most once.
    await q.query(`
      CREATE FUNCTION auction_kinds_distinct(kinds text[]) RETURNS boolean LANGUAGE sql IMMUTABLE STRICT AS $$
        SELECT count(DISTINCT k) = count(*) FROM unnest(kinds) AS k
      $$`);

    await q.query(`
      CREATE TABLE auctions (
        id              uuid PRIMARY KEY,
        market_id       text NOT NULL REFERENCES markets(id),
        creator_id      uuid NOT NULL REFERENCES participants(id),
        side            text NOT NULL CHECK (side IN ('SELL','BUY')),
        volume          numeric(18,3) NOT NULL CHECK (volume > 0),
        limit_price     numeric(18,4) NOT NULL CHECK (limit_price > 0),
        closes_at       timestamptz NOT NULL,
        pricing         text NOT NULL CHECK (pricing IN ('UNIFORM','PAY_AS_BID')),
        priority_kinds  text[] NOT NULL DEFAULT '{}'
                        CHECK (priority_kinds <@ ARRAY[${list(TRADER_KINDS)}]::text[] AND auction_kinds_distinct(priority_kinds)),
        note            text,
        status          text NOT NULL DEFAULT 'OPEN' CHECK (status IN ('OPEN','CLOSED','CANCELLED')),
        hold_id         uuid NOT NULL UNIQUE REFERENCES ledger_holds(id),
        filled_volume   numeric(18,3) NOT NULL DEFAULT 0 CHECK (filled_volume >= 0 AND filled_volume <= volume),
        clearing_price  numeric(18,4) CHECK (clearing_price > 0),
        reason          text,
        created_at      timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        closed_at       timestamptz,
        UNIQUE (id, creator_id),
        CHECK (created_at = date_trunc('milliseconds', created_at)),
        CHECK (closes_at >= created_at),
        CHECK (side = 'BUY' OR cardinality(priority_kinds) = 0),
        CHECK ((status = 'OPEN') = (closed_at IS NULL)),
        CHECK (status <> 'CLOSED' OR closed_at >= closes_at),
        CHECK (status = 'CLOSED' OR filled_volume = 0),
        CHECK (clearing_price IS NULL OR (status = 'CLOSED' AND pricing = 'UNIFORM' AND filled_volume > 0)),
        CHECK (status = 'CANCELLED' OR reason IS NULL)
      )`);
    // The close job: open auctions by closing time.
    await q.query(`CREATE INDEX auctions_due_idx ON auctions (closes_at) WHERE status = 'OPEN'`);
    // Lists, newest first, by any of their filters.
    await q.query(`CREATE INDEX auctions_created_idx ON auctions (created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX auctions_market_idx ON auctions (market_id, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX auctions_status_idx ON auctions (status, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX auctions_creator_idx ON auctions (creator_id)`);

    await q.query(`
      CREATE TABLE auction_bids (
        id                  uuid PRIMARY KEY,
        auction_id          uuid NOT NULL,
        auction_creator_id  uuid NOT NULL,
        bidder_id           uuid NOT NULL REFERENCES participants(id),
        price               numeric(18,4) NOT NULL CHECK (price > 0),
        volume              numeric(18,3) NOT NULL CHECK (volume > 0),
        all_or_none         boolean NOT NULL DEFAULT false,
        status              text NOT NULL DEFAULT 'ACTIVE'
                            CHECK (status IN ('ACTIVE','WITHDRAWN','FILLED','PARTIALLY_FILLED','UNFILLED','CANCELLED')),
        filled_volume       numeric(18,3) NOT NULL DEFAULT 0,
        salt                text NOT NULL CHECK (salt ~ '^[0-9a-f]{32}$'),
        hold_id             uuid NOT NULL UNIQUE REFERENCES ledger_holds(id),
        trade_id            uuid UNIQUE REFERENCES trades(id),
        created_at          timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        updated_at          timestamptz NOT NULL DEFAULT now(),
        -- The creator never bids in its own auction (it would trade with itself).
        FOREIGN KEY (auction_id, auction_creator_id) REFERENCES auctions (id, creator_id),
        CHECK (bidder_id <> auction_creator_id),
        CHECK (created_at = date_trunc('milliseconds', created_at)),
        CHECK (CASE status
                 WHEN 'FILLED' THEN filled_volume = volume
                 WHEN 'PARTIALLY_FILLED' THEN filled_volume > 0 AND filled_volume < volume
                 ELSE filled_volume = 0 END),
        CHECK ((trade_id IS NOT NULL) = (status IN ('FILLED','PARTIALLY_FILLED')))
      )`);
    // An auction's bids in placement order (the close, the lists), its ACTIVE ones (bidCount), a bidder's own.
    await q.query(`CREATE INDEX auction_bids_auction_idx ON auction_bids (auction_id, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX auction_bids_active_idx ON auction_bids (auction_id) WHERE status = 'ACTIVE'`);
    await q.query(`CREATE INDEX auction_bids_bidder_idx ON auction_bids (bidder_id, auction_id, created_at DESC)`);

    // A trade comes from an order match, a transfer or an auction, never two of them.
    await q.query(`ALTER TABLE trades ADD COLUMN auction_id uuid REFERENCES auctions(id)`);
    await q.query(`ALTER TABLE trades ADD CONSTRAINT trades_one_origin_check
      CHECK (auction_id IS NULL OR (transfer_id IS NULL AND buy_order_id IS NULL AND sell_order_id IS NULL))`);
    await q.query(`CREATE INDEX trades_auction_idx ON trades (auction_id, exec_seq) WHERE auction_id IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX trades_auction_idx`);
    await q.query(`ALTER TABLE trades DROP CONSTRAINT trades_one_origin_check`);
    await q.query(`ALTER TABLE trades DROP COLUMN auction_id`);
    await q.query(`DROP TABLE auction_bids`);
    await q.query(`DROP TABLE auctions`);
    await q.query(`DROP FUNCTION auction_kinds_distinct(text[])`);
  }
}
