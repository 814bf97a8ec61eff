import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Long-term deals (v1.1): transfers of rights (取水权交易) for several years and regional
 * water-rights trades (区域水权交易) that move cap between regions.
 *
 * - `right_years` keeps, per right and year, what the right has allocated, reserved for
 *   pending transfers and transferred out. Its CHECK is the registry's invariant: a
 *   right's allocations in a year plus its transfers and reservations out that year never
 *   exceed its annual volume. Every writer holds the right's row lock (lock order, rank 3),
 *   and the constraint refuses a breach even if a path forgot to check.
 * - `rights.parent_right_id` links a right created by a transfer to its original.
 * - `right_transfers`, `regional_trades` and `regional_interests` hold the deals.
 * - `regional_cap_trades` is the cap accounting of regional trades (owned by the regions
 *   module, like `quota_issuances` and `quota_transfers`): what the cap view sums as
 *   capTransferredIn, capTransferredOut and capReservedOut.
 */
export class LongTermDeals1764000200000 implements MigrationInterface {
  name = 'LongTermDeals1764000200000';

  async up(q: QueryRunner): Promise<void> {
    // Every reference type of the v1.1 ledger (core/ledger/ledger.types.ts, REF_TYPES).
    await q.query(`ALTER TABLE ledger_postings DROP CONSTRAINT IF EXISTS ledger_postings_ref_type_check`);
    await q.query(`
      ALTER TABLE ledger_postings ADD CONSTRAINT ledger_postings_ref_type_check CHECK (ref_type IN (
        'deposit','withdrawal','allocation','order','trade','transfer','statement',
        'auction','bid','rightTransfer','regionalTrade','regionalInterest'))`);

    await q.query(`ALTER TABLE rights ADD COLUMN parent_right_id uuid REFERENCES rights(id)`);
    await q.query(`CREATE INDEX rights_parent_idx ON rights (parent_right_id) WHERE parent_right_id IS NOT NULL`);

    // annual_volume is the right's, copied so the CHECK can read it: rights never change it.
    await q.query(`
      CREATE TABLE right_years (
        right_id         uuid NOT NULL REFERENCES rights(id),
        year             integer NOT NULL CHECK (year BETWEEN 1900 AND 9999),
        annual_volume    numeric(18,3) NOT NULL CHECK (annual_volume > 0),
        allocated        numeric(18,3) NOT NULL DEFAULT 0 CHECK (allocated >= 0),
        reserved_out     numeric(18,3) NOT NULL DEFAULT 0 CHECK (reserved_out >= 0),
        transferred_out  numeric(18,3) NOT NULL DEFAULT 0 CHECK (transferred_out >= 0),
        PRIMARY KEY (right_id, year),
        CONSTRAINT right_years_within_annual_volume CHECK (allocated + reserved_out + transferred_out <= annual_volume)
      )`);
    await q.query(`
      INSERT INTO right_years (right_id, year, annual_volume, allocated)
      SELECT a.right_id, a.year, r.annual_volume, sum(a.volume)
        FROM allocations a JOIN rights r ON r.id = a.right_id
       GROUP BY a.right_id, a.year, r.annual_volume`);

    await q.query(`
      CREATE TABLE right_transfers (
        id                 uuid PRIMARY KEY,
        seq                bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
        right_id           uuid NOT NULL REFERENCES rights(id),
        seller_id          uuid NOT NULL REFERENCES participants(id),
        buyer_id           uuid NOT NULL REFERENCES participants(id),
        region_code        char(6) NOT NULL REFERENCES regions(code),
        buyer_region_code  char(6) NOT NULL REFERENCES regions(code),
        volume_per_year    numeric(18,3) NOT NULL CHECK (volume_per_year > 0),
        from_year          integer NOT NULL CHECK (from_year BETWEEN 1900 AND 9999),
        to_year            integer NOT NULL CHECK (to_year BETWEEN 1900 AND 9999),
        price              numeric(18,4) NOT NULL CHECK (price > 0),
        amount             numeric(20,2) NOT NULL CHECK (amount >= 0),
        note               text,
        status             text NOT NULL CHECK (status IN ('PROPOSED','PENDING_APPROVAL','SETTLED','REJECTED','DECLINED','CANCELLED')),
        decision           text CHECK (decision IN ('APPROVED','REJECTED','EXPIRED')),
        checks             jsonb NOT NULL DEFAULT '[]',
        buyer_hold_id      uuid REFERENCES ledger_holds(id),
        new_right_id       uuid REFERENCES rights(id),
        accepted_at        timestamptz,
        approval_due_at    timestamptz,
        decided_by         uuid REFERENCES participants(id),
        decided_at         timestamptz,
        reason             text,
        created_at         timestamptz NOT NULL DEFAULT now(),
        updated_at         timestamptz NOT NULL DEFAULT now(),
        CHECK (seller_id <> buyer_id),
        CHECK (to_year >= from_year AND to_year - from_year < 30),
        CHECK ((decision IS NULL) = (status IN ('PROPOSED','PENDING_APPROVAL','DECLINED','CANCELLED'))),
        CHECK ((status = 'SETTLED') = (new_right_id IS NOT NULL)),
        CHECK ((accepted_at IS NULL) = (approval_due_at IS NULL)),
        CHECK (status IN ('PROPOSED','DECLINED','CANCELLED') OR accepted_at IS NOT NULL)
      )`);
    await q.query(`CREATE INDEX right_transfers_seller_idx ON right_transfers (seller_id, seq)`);
    await q.query(`CREATE INDEX right_transfers_buyer_idx ON right_transfers (buyer_id, seq)`);
    await q.query(`CREATE INDEX right_transfers_right_idx ON right_transfers (right_id)`);
    await q.query(`CREATE INDEX right_transfers_due_idx ON right_transfers (approval_due_at) WHERE status = 'PENDING_APPROVAL'`);

    await q.query(`
      CREATE TABLE regional_trades (
        id                    uuid PRIMARY KEY,
        seq                   bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
        seller_region_code    char(6) NOT NULL REFERENCES regions(code),
        seller_id             uuid NOT NULL REFERENCES participants(id),
        buyer_region_code     char(6) REFERENCES regions(code),
        buyer_id              uuid REFERENCES participants(id),
        volume_per_year       numeric(18,3) NOT NULL CHECK (volume_per_year > 0),
        from_year             integer NOT NULL CHECK (from_year BETWEEN 1900 AND 9999),
        to_year               integer NOT NULL CHECK (to_year BETWEEN 1900 AND 9999),
        asking_price          numeric(18,4) NOT NULL CHECK (asking_price > 0),
        price                 numeric(18,4) CHECK (price > 0),
        amount                numeric(20,2) CHECK (amount >= 0),
        note                  text,
        status                text NOT NULL CHECK (status IN ('ANNOUNCED','PENDING_APPROVAL','SETTLED','REJECTED','UNSOLD','WITHDRAWN')),
        decision              text CHECK (decision IN ('APPROVED','REJECTED','EXPIRED')),
        closes_at             timestamptz NOT NULL,
        closed_at             timestamptz,
        approver_region_code  char(6) REFERENCES regions(code),
        approval_due_at       timestamptz,
        escrow_hold_id        uuid REFERENCES ledger_holds(id),
        decided_by            uuid REFERENCES participants(id),
        decided_at            timestamptz,
        reason                text,
        created_at            timestamptz NOT NULL DEFAULT now(),
        updated_at            timestamptz NOT NULL DEFAULT now(),
        CHECK (to_year >= from_year AND to_year - from_year < 30),
        CHECK ((buyer_id IS NULL) = (status IN ('ANNOUNCED','UNSOLD','WITHDRAWN'))),
        CHECK ((buyer_id IS NULL) = (buyer_region_code IS NULL)),
        CHECK ((buyer_id IS NULL) = (price IS NULL) AND (price IS NULL) = (amount IS NULL)),
        CHECK ((buyer_id IS NULL) = (approval_due_at IS NULL) AND (buyer_id IS NULL) = (approver_region_code IS NULL)),
        CHECK ((closed_at IS NULL) = (status IN ('ANNOUNCED','WITHDRAWN'))),
        CHECK ((decision IS NULL) = (status IN ('ANNOUNCED','PENDING_APPROVAL','UNSOLD','WITHDRAWN'))),
        CHECK (buyer_region_code IS NULL OR buyer_region_code <> seller_region_code)
      )`);
    await q.query(`CREATE INDEX regional_trades_closing_idx ON regional_trades (closes_at) WHERE status = 'ANNOUNCED'`);
    await q.query(`CREATE INDEX regional_trades_due_idx ON regional_trades (approval_due_at) WHERE status = 'PENDING_APPROVAL'`);
    await q.query(`CREATE INDEX regional_trades_seller_idx ON regional_trades (seller_region_code, seq)`);
    await q.query(`CREATE INDEX regional_trades_buyer_idx ON regional_trades (buyer_region_code, seq)`);

    await q.query(`
      CREATE TABLE regional_interests (
        id                 uuid PRIMARY KEY,
        regional_trade_id  uuid NOT NULL REFERENCES regional_trades(id),
        buyer_region_code  char(6) NOT NULL REFERENCES regions(code),
        buyer_id           uuid NOT NULL REFERENCES participants(id),
        price              numeric(18,4) NOT NULL CHECK (price > 0),
        amount             numeric(20,2) NOT NULL CHECK (amount >= 0),
        salt               text NOT NULL CHECK (salt ~ '^[0-9a-f]{32}$'),
        commitment         text NOT NULL CHECK (commitment ~ '^[0-9a-f]{64}$'),
        status             text NOT NULL CHECK (status IN ('ACTIVE','WITHDRAWN','WON','LOST','CANCELLED')),
        hold_id            uuid REFERENCES ledger_holds(id),
        created_at         timestamptz NOT NULL DEFAULT now(),
        withdrawn_at       timestamptz,
        CHECK ((status = 'WITHDRAWN') = (withdrawn_at IS NOT NULL))
      )`);
    // One interest per region at a time (409 DUPLICATE).
    await q.query(`CREATE UNIQUE INDEX regional_interests_one_per_region ON regional_interests (regional_trade_id, buyer_region_code) WHERE status = 'ACTIVE'`);
    await q.query(`CREATE INDEX regional_interests_trade_idx ON regional_interests (regional_trade_id, created_at)`);

    await q.query(`
      CREATE TABLE regional_cap_trades (
        regional_trade_id   uuid PRIMARY KEY REFERENCES regional_trades(id),
        seller_region_code  char(6) NOT NULL REFERENCES regions(code),
        buyer_region_code   char(6) REFERENCES regions(code),
        from_year           integer NOT NULL,
        to_year             integer NOT NULL CHECK (to_year >= from_year),
        volume_per_year     numeric(18,3) NOT NULL CHECK (volume_per_year > 0),
        status              text NOT NULL CHECK (status IN ('ANNOUNCED','PENDING_APPROVAL','SETTLED','REJECTED','UNSOLD','WITHDRAWN')),
        CHECK (status NOT IN ('PENDING_APPROVAL','SETTLED') OR buyer_region_code IS NOT NULL)
      )`);
    await q.query(`CREATE INDEX regional_cap_trades_live_idx ON regional_cap_trades (from_year, to_year) WHERE status IN ('ANNOUNCED','PENDING_APPROVAL','SETTLED')`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['regional_cap_trades', 'regional_interests', 'regional_trades', 'right_transfers', 'right_years']) await q.query(`DROP TABLE ${t}`);
    await q.query(`ALTER TABLE rights DROP COLUMN parent_right_id`);
    await q.query(`ALTER TABLE ledger_postings DROP CONSTRAINT ledger_postings_ref_type_check`);
    await q.query(`
      ALTER TABLE ledger_postings ADD CONSTRAINT ledger_postings_ref_type_check
      CHECK (ref_type IN ('deposit','withdrawal','allocation','order','trade','transfer','statement'))`);
  }
}
