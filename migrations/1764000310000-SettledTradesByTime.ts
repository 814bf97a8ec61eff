import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The price index and the regulators' reports read settled trades by settlement time
 * across markets; the per-market index does not serve a range over all of them.
 */
export class SettledTradesByTime1764000310000 implements MigrationInterface {
  name = 'SettledTradesByTime1764000310000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX trades_settled_at_idx ON trades (decided_at) WHERE status = 'SETTLED'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX trades_settled_at_idx`);
  }
}
