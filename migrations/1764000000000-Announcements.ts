import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Public announcements (交易信息公开): what the exchange publishes to everyone — auctions
 * opened and closed, regional trades announced and settled, transfers of rights settled,
 * savings certified, halts. Written in the same transaction as the change they announce,
 * never edited; `seq` orders them newest first without ties.
 */
export class Announcements1764000000000 implements MigrationInterface {
  name = 'Announcements1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE announcements (
        id    uuid PRIMARY KEY,
        seq   bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
        type  text NOT NULL CHECK (type IN ('AUCTION_OPENED','AUCTION_CLOSED','REGIONAL_TRADE_ANNOUNCED','REGIONAL_TRADE_SETTLED',
                                            'RIGHT_TRANSFER_SETTLED','SAVINGS_CERTIFIED','MARKET_HALTED','MARKET_RESUMED')),
        at    timestamptz NOT NULL DEFAULT now(),
        title text NOT NULL CHECK (length(title) BETWEEN 1 AND 500),
        data  jsonb NOT NULL
      )`);
    await q.query(`CREATE INDEX announcements_type_seq ON announcements (type, seq DESC)`);
    await q.query(`
      CREATE FUNCTION announcements_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'announcements are append-only'; END $$`);
    await q.query(`
      CREATE TRIGGER announcements_append_only BEFORE UPDATE OR DELETE ON announcements
      FOR EACH ROW EXECUTE FUNCTION announcements_append_only()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE announcements`);
    await q.query(`DROP FUNCTION announcements_append_only()`);
  }
}
