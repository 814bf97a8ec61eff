import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A hold that is not as the instance last wrote it raises an error of its own SQLSTATE
 * (`WR002`, decision 0045), naming the hold in DETAIL. A sweep that trusts the holds it
 * kept beside its book locks them with this check in the same statement, sent ahead and
 * not waited for: should one differ, the statement fails, and with it the transaction or
 * the batch member, which then runs again reading the holds.
 */
export class LedgerHoldsAsKnown1764800000000 implements MigrationInterface {
  name = 'LedgerHoldsAsKnown1764800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION ledger_hold_changed(hold uuid) RETURNS boolean LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'hold % is not as this instance last wrote it', hold
          USING ERRCODE = 'WR002', DETAIL = hold::text;
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP FUNCTION ledger_hold_changed(uuid)');
  }
}
