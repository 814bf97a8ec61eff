import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each market's fees collect in a fee book of its own (a system account named
 * `FEES:<marketId>`), swept to the operator's cash, so that settling a trade locks no row
 * every market shares. A fee book holds cash only, in its AVAILABLE bucket, and unlike the
 * bank and issuance never runs negative. Sweeps are their own reference type.
 */
export class MarketFeeBooks1764200000000 implements MigrationInterface {
  name = 'MarketFeeBooks1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ledger_accounts DROP CONSTRAINT ledger_accounts_system_name_check`);
    await q.query(`
      ALTER TABLE ledger_accounts ADD CONSTRAINT ledger_accounts_system_name_check
      CHECK (system_name IN ('ISSUANCE','BANK') OR system_name LIKE 'FEES:%')`);
    await q.query(`
      ALTER TABLE ledger_accounts ADD CONSTRAINT ledger_accounts_fee_book_check
      CHECK (system_name NOT LIKE 'FEES:%' OR (asset = 'CNY' AND bucket = 'AVAILABLE' AND balance >= 0))`);
    // The sweep and the operator's balances find the books without reading every account.
    await q.query(`CREATE INDEX ledger_accounts_fee_books_idx ON ledger_accounts (id) WHERE system_name LIKE 'FEES:%'`);
    await this.refTypes(q, `'feeSweep'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await this.refTypes(q, null);
    await q.query(`DROP INDEX ledger_accounts_fee_books_idx`);
    await q.query(`ALTER TABLE ledger_accounts DROP CONSTRAINT ledger_accounts_fee_book_check`);
    await q.query(`ALTER TABLE ledger_accounts DROP CONSTRAINT ledger_accounts_system_name_check`);
    await q.query(`ALTER TABLE ledger_accounts ADD CONSTRAINT ledger_accounts_system_name_check CHECK (system_name IN ('ISSUANCE','BANK'))`);
  }

  /** Every reference type of the ledger (core/ledger/ledger.types.ts, REF_TYPES), with `extra` or without. */
  private async refTypes(q: QueryRunner, extra: string | null): Promise<void> {
    await q.query(`ALTER TABLE ledger_postings DROP CONSTRAINT ledger_postings_ref_type_check`);
    await q.query(`
      ALTER TABLE ledger_postings ADD CONSTRAINT ledger_postings_ref_type_check CHECK (ref_type IN (
        'deposit','withdrawal','allocation','order','trade','transfer','statement',
        'auction','bid','rightTransfer','regionalTrade','regionalInterest'${extra ? `,${extra}` : ''}))`);
  }
}
