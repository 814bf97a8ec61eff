import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A movement that would take a participant balance below zero raises its refusal as an
 * error of its own SQLSTATE (`WR001`, decision 0041), naming the account in DETAIL, where
 * it answered fewer rows. Every later statement of the transaction then fails behind it and
 * PostgreSQL answers the COMMIT with ROLLBACK, so a movement whose answer nothing else needs
 * may be sent ahead and never waited for: its refusal still reaches the caller, through the
 * transaction's end. VOLATILE (the default), so it is called only for a row that refuses.
 */
export class LedgerRefusalsRaise1764700000000 implements MigrationInterface {
  name = 'LedgerRefusalsRaise1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION ledger_refused(account bigint, shortfall numeric) RETURNS numeric LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'ledger account % would go below zero (%)', account, shortfall
          USING ERRCODE = 'WR001', DETAIL = account::text;
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP FUNCTION ledger_refused(bigint, numeric)');
  }
}
