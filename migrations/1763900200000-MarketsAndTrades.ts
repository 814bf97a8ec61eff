import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Markets (one per instrument), orders, trades awaiting approval, and negotiated
 * transfers. `book_version` changes with every committed change to a market's book, so an
 * instance can tell whether its in-memory copy is current (a token, not a counter: a
 * rolled-back change must never be mistaken for a committed one); `order_seq` gives time
 * priority across restarts.
 */
export class MarketsAndTrades1763900200000 implements MigrationInterface {
  name = 'MarketsAndTrades1763900200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE markets (
        id                       text PRIMARY KEY,
        region_code              char(6) NOT NULL REFERENCES regions(code),
        source                   text NOT NULL,
        year                     integer NOT NULL,
        fee_rate                 numeric(12,8) NOT NULL CHECK (fee_rate >= 0 AND fee_rate < 1),
        min_volume               numeric(18,3) NOT NULL CHECK (min_volume > 0),
        price_tick               numeric(18,4) NOT NULL CHECK (price_tick > 0),
        approval_mode            text NOT NULL CHECK (approval_mode IN ('APPROVAL','FILING')),
        approval_deadline_days   integer NOT NULL CHECK (approval_deadline_days BETWEEN 1 AND 365),
        auto_approve_max_volume  numeric(18,3) CHECK (auto_approve_max_volume > 0),
        status                   text NOT NULL CHECK (status IN ('OPEN','HALTED')),
        book_version             uuid NOT NULL DEFAULT gen_random_uuid(),
        order_seq                bigint NOT NULL DEFAULT 0,
        created_by               uuid NOT NULL REFERENCES participants(id),
        created_at               timestamptz NOT NULL DEFAULT now(),
        UNIQUE (region_code, source, year)
      )`);

    await q.query(`
      CREATE TABLE orders (
        id               uuid PRIMARY KEY,
        market_id        text NOT NULL REFERENCES markets(id),
        participant_id   uuid NOT NULL REFERENCES participants(id),
        side             text NOT NULL CHECK (side IN ('BUY','SELL')),
        price            numeric(18,4) NOT NULL CHECK (price > 0),
        volume           numeric(18,3) NOT NULL CHECK (volume > 0),
        filled_volume    numeric(18,3) NOT NULL DEFAULT 0 CHECK (filled_volume >= 0 AND filled_volume <= volume),
        status           text NOT NULL CHECK (status IN ('OPEN','PARTIALLY_FILLED','FILLED','CANCELLED')),
        time_in_force    text NOT NULL CHECK (time_in_force IN ('GTC','IOC','FOK')),
        client_order_id  text,
        seq              bigint NOT NULL,
        hold_id          uuid NOT NULL REFERENCES ledger_holds(id),
        cancel_reason    text,
        created_at       timestamptz NOT NULL DEFAULT now(),
        updated_at       timestamptz NOT NULL DEFAULT now(),
        UNIQUE (participant_id, client_order_id),
        UNIQUE (market_id, seq)
      )`);
    await q.query(`CREATE INDEX orders_open_idx ON orders (market_id, side, price, seq) WHERE status IN ('OPEN','PARTIALLY_FILLED')`);
    await q.query(`CREATE INDEX orders_participant_idx ON orders (participant_id, created_at DESC, id DESC)`);

    await q.query(`
      CREATE TABLE transfers (
        id          uuid PRIMARY KEY,
        market_id   text NOT NULL REFERENCES markets(id),
        seller_id   uuid NOT NULL REFERENCES participants(id),
        buyer_id    uuid NOT NULL REFERENCES participants(id),
        volume      numeric(18,3) NOT NULL CHECK (volume > 0),
        price       numeric(18,4) NOT NULL CHECK (price > 0),
        note        text,
        status      text NOT NULL CHECK (status IN ('PROPOSED','ACCEPTED','DECLINED','CANCELLED')),
        hold_id     uuid NOT NULL REFERENCES ledger_holds(id),
        trade_id    uuid,
        created_at  timestamptz NOT NULL DEFAULT now(),
        updated_at  timestamptz NOT NULL DEFAULT now(),
        CHECK (seller_id <> buyer_id)
      )`);
    await q.query(`CREATE INDEX transfers_seller_idx ON transfers (seller_id, created_at DESC)`);
    await q.query(`CREATE INDEX transfers_buyer_idx ON transfers (buyer_id, created_at DESC)`);

    await q.query(`
      CREATE TABLE trades (
        id               uuid PRIMARY KEY,
        market_id        text NOT NULL REFERENCES markets(id),
        buyer_id         uuid NOT NULL REFERENCES participants(id),
        seller_id        uuid NOT NULL REFERENCES participants(id),
        buy_order_id     uuid REFERENCES orders(id),
        sell_order_id    uuid REFERENCES orders(id),
        transfer_id      uuid REFERENCES transfers(id),
        price            numeric(18,4) NOT NULL CHECK (price > 0),
        volume           numeric(18,3) NOT NULL CHECK (volume > 0),
        amount           numeric(20,2) NOT NULL CHECK (amount >= 0),
        buyer_fee        numeric(20,2) NOT NULL CHECK (buyer_fee >= 0),
        seller_fee       numeric(20,2) NOT NULL CHECK (seller_fee >= 0),
        status           text NOT NULL CHECK (status IN ('PENDING_APPROVAL','SETTLED','REJECTED')),
        decision         text CHECK (decision IN ('APPROVED','AUTO_APPROVED','FILED','REJECTED','EXPIRED')),
        checks           jsonb NOT NULL,
        seller_hold_id   uuid NOT NULL REFERENCES ledger_holds(id),
        buyer_hold_id    uuid REFERENCES ledger_holds(id),  -- null when amount and fee round to 0.00
        seller_region_code char(6) NOT NULL,
        buyer_region_code  char(6) NOT NULL,
        created_at       timestamptz NOT NULL DEFAULT now(),
        approval_due_at  timestamptz NOT NULL,
        decided_by       uuid REFERENCES participants(id),
        decided_at       timestamptz,
        reason           text,
        exec_seq         bigserial,
        CHECK (buyer_id <> seller_id),
        CHECK ((status = 'PENDING_APPROVAL') = (decision IS NULL))
      )`);
    await q.query(`CREATE INDEX trades_market_idx ON trades (market_id, created_at DESC, exec_seq DESC)`);
    await q.query(`CREATE INDEX trades_pending_due_idx ON trades (approval_due_at) WHERE status = 'PENDING_APPROVAL'`);
    await q.query(`CREATE INDEX trades_buyer_idx ON trades (buyer_id, created_at DESC)`);
    await q.query(`CREATE INDEX trades_seller_idx ON trades (seller_id, created_at DESC)`);
    await q.query(`CREATE INDEX trades_settled_idx ON trades (market_id, decided_at DESC) WHERE status = 'SETTLED'`);
    await q.query(`ALTER TABLE transfers ADD CONSTRAINT transfers_trade_fk FOREIGN KEY (trade_id) REFERENCES trades(id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE transfers DROP CONSTRAINT transfers_trade_fk`);
    for (const t of ['trades', 'transfers', 'orders', 'markets']) await q.query(`DROP TABLE ${t}`);
  }
}
