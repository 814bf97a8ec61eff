import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Water rights and their yearly allocations, and the double-entry ledger of cash and
 * quota: accounts with cached balances, immutable postings, and holds (two-phase
 * escrow locks that are later posted or voided by new postings).
 */
export class RightsAndLedger1763900100000 implements MigrationInterface {
  name = 'RightsAndLedger1763900100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE rights (
        id             uuid PRIMARY KEY,
        holder_id      uuid NOT NULL REFERENCES participants(id),
        region_code    char(6) NOT NULL REFERENCES regions(code),
        source         text NOT NULL CHECK (source IN ('SURFACE','GROUNDWATER','RECLAIMED','MINE_WATER','RAINWATER')),
        use_type       text NOT NULL CHECK (use_type IN ('AGRICULTURE','INDUSTRY','SERVICE','DOMESTIC','ECOLOGY')),
        annual_volume  numeric(18,3) NOT NULL CHECK (annual_volume > 0),
        valid_from     date NOT NULL,
        valid_to       date NOT NULL CHECK (valid_to >= valid_from),
        permit_no      text NOT NULL UNIQUE,
        created_by     uuid NOT NULL REFERENCES participants(id),
        created_at     timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX rights_holder_idx ON rights (holder_id)`);
    await q.query(`CREATE INDEX rights_region_idx ON rights (region_code)`);
    await q.query(`CREATE INDEX rights_created_idx ON rights (created_at DESC, id DESC)`);

    await q.query(`
      CREATE TABLE allocations (
        id          uuid PRIMARY KEY,
        right_id    uuid NOT NULL REFERENCES rights(id),
        year        integer NOT NULL,
        volume      numeric(18,3) NOT NULL CHECK (volume > 0),
        market_id   text NOT NULL,
        created_by  uuid NOT NULL REFERENCES participants(id),
        created_at  timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX allocations_right_year_idx ON allocations (right_id, year)`);

    await q.query(`
      CREATE TABLE deposits (
        id             uuid PRIMARY KEY,
        participant_id uuid NOT NULL REFERENCES participants(id),
        amount         numeric(20,2) NOT NULL CHECK (amount > 0),
        reference      text NOT NULL,
        created_by     uuid NOT NULL REFERENCES participants(id),
        created_at     timestamptz NOT NULL DEFAULT now(),
        UNIQUE (participant_id, reference)
      )`);
    await q.query(`
      CREATE TABLE withdrawals (
        id             uuid PRIMARY KEY,
        participant_id uuid NOT NULL REFERENCES participants(id),
        amount         numeric(20,2) NOT NULL CHECK (amount > 0),
        created_at     timestamptz NOT NULL DEFAULT now()
      )`);

    // An account is (owner, asset, bucket). System accounts (no owner) are the books'
    // sources and sinks and may run negative; a participant's never may, and the
    // database refuses it even if a code path forgot to check.
    await q.query(`
      CREATE TABLE ledger_accounts (
        id          bigserial PRIMARY KEY,
        owner_id    uuid REFERENCES participants(id),
        system_name text CHECK (system_name IN ('ISSUANCE','BANK')),
        asset       text NOT NULL,
        bucket      text NOT NULL CHECK (bucket IN ('AVAILABLE','LOCKED')),
        balance     numeric(24,3) NOT NULL DEFAULT 0,
        CHECK ((owner_id IS NULL) <> (system_name IS NULL)),
        CHECK (owner_id IS NULL OR balance >= 0)
      )`);
    await q.query(`CREATE UNIQUE INDEX ledger_accounts_owner_uq ON ledger_accounts (owner_id, asset, bucket) WHERE owner_id IS NOT NULL`);
    await q.query(`CREATE UNIQUE INDEX ledger_accounts_system_uq ON ledger_accounts (system_name, asset, bucket) WHERE system_name IS NOT NULL`);

    await q.query(`
      CREATE TABLE ledger_postings (
        seq           bigserial PRIMARY KEY,
        id            uuid NOT NULL UNIQUE,
        movement_id   uuid NOT NULL,
        account_id    bigint NOT NULL REFERENCES ledger_accounts(id),
        asset         text NOT NULL,
        delta         numeric(24,3) NOT NULL CHECK (delta <> 0),
        balance_after numeric(24,3) NOT NULL,
        reason        text NOT NULL CHECK (reason IN ('DEPOSIT','WITHDRAWAL','ALLOCATION','CERTIFICATION','LOCK','UNLOCK','SETTLEMENT','FEE')),
        ref_type      text NOT NULL CHECK (ref_type IN ('deposit','withdrawal','allocation','order','trade','transfer','statement')),
        ref_id        uuid NOT NULL,
        hold_id       uuid,
        created_at    timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX ledger_postings_account_idx ON ledger_postings (account_id, seq DESC)`);
    await q.query(`CREATE INDEX ledger_postings_movement_idx ON ledger_postings (movement_id)`);
    await q.query(`CREATE INDEX ledger_postings_ref_idx ON ledger_postings (ref_type, ref_id)`);
    await q.query(`
      CREATE FUNCTION ledger_postings_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'ledger postings are immutable: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`
      CREATE TRIGGER ledger_postings_no_update_delete BEFORE UPDATE OR DELETE ON ledger_postings
      FOR EACH ROW EXECUTE FUNCTION ledger_postings_immutable()`);

    // A hold is the pending half of a two-phase transfer: value sits in the owner's
    // LOCKED bucket until postings settle it to others or return it.
    await q.query(`
      CREATE TABLE ledger_holds (
        id             uuid PRIMARY KEY,
        owner_id       uuid NOT NULL REFERENCES participants(id),
        asset          text NOT NULL,
        amount         numeric(24,3) NOT NULL CHECK (amount > 0),
        remaining      numeric(24,3) NOT NULL CHECK (remaining >= 0 AND remaining <= amount),
        status         text NOT NULL CHECK (status IN ('PENDING','POSTED','VOIDED')),
        ref_type       text NOT NULL,
        ref_id         uuid NOT NULL,
        parent_hold_id uuid REFERENCES ledger_holds(id),
        created_at     timestamptz NOT NULL DEFAULT now(),
        CHECK ((status = 'PENDING') = (remaining > 0))
      )`);
    await q.query(`CREATE INDEX ledger_holds_ref_idx ON ledger_holds (ref_type, ref_id)`);
    await q.query(`CREATE INDEX ledger_holds_owner_idx ON ledger_holds (owner_id, asset) WHERE status = 'PENDING'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE ledger_holds`);
    await q.query(`DROP TABLE ledger_postings`);
    await q.query(`DROP FUNCTION ledger_postings_immutable()`);
    for (const t of ['ledger_accounts', 'withdrawals', 'deposits', 'allocations', 'rights']) await q.query(`DROP TABLE ${t}`);
  }
}
