import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Hot paths that grew with the number of stored trades (bench:growth): an order's trades
 * (cancel, order detail) were found by scanning every trade, and a market's tape was sorted
 * by exec_seq after reading all of the market's trades.
 */
export class TradeLookupIndexes1764000050000 implements MigrationInterface {
  name = 'TradeLookupIndexes1764000050000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX trades_buy_order_idx ON trades (buy_order_id) WHERE buy_order_id IS NOT NULL`);
    await q.query(`CREATE INDEX trades_sell_order_idx ON trades (sell_order_id) WHERE sell_order_id IS NOT NULL`);
    await q.query(`CREATE INDEX trades_tape_idx ON trades (market_id, exec_seq DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX trades_tape_idx`);
    await q.query(`DROP INDEX trades_sell_order_idx`);
    await q.query(`DROP INDEX trades_buy_order_idx`);
  }
}
