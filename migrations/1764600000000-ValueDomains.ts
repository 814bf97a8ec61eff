import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A rule about one value of a table a placement writes (orders, trades, markets and the
 * ledger's accounts, holds and postings) moves from a table CHECK into a domain: the
 * column's type (decision 0040). PostgreSQL reads every table CHECK back from its stored
 * text and prepares it again in every statement that inserts or updates the table, even
 * one that changes only a balance; a domain's rule is read once per connection and runs
 * only where its column is written. Rules across columns stay table CHECKs.
 *
 * Attached without a rewrite: each domain is created empty, the columns take it (the
 * same base type and modifier, so the rows stay as they are), then its rule is added,
 * which checks the stored rows once, and the table CHECK it replaces is dropped.
 */
export class ValueDomains1764600000000 implements MigrationInterface {
  name = 'ValueDomains1764600000000';

  async up(q: QueryRunner): Promise<void> {
    for (const d of DOMAINS) await q.query(`CREATE DOMAIN ${d.name} AS ${d.base}`);
    for (const [table, columns] of byTable()) {
      await q.query(`ALTER TABLE ${table} ${columns.map((c) => `ALTER COLUMN ${c.column} TYPE ${c.domain.name}`).join(', ')}`);
    }
    for (const d of DOMAINS) await q.query(`ALTER DOMAIN ${d.name} ADD CONSTRAINT ${d.name}_check CHECK (${d.rule})`);
    for (const [table, columns] of byTable()) {
      await q.query(`ALTER TABLE ${table} ${columns.map((c) => `DROP CONSTRAINT ${c.replaces}`).join(', ')}`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const [table, columns] of byTable()) {
      await q.query(`ALTER TABLE ${table} ${columns.map((c) => `ALTER COLUMN ${c.column} TYPE ${c.domain.base}`).join(', ')}`);
      await q.query(`ALTER TABLE ${table} ${columns.map((c) => `ADD CONSTRAINT ${c.replaces} CHECK (${c.domain.rule.replace(/\bVALUE\b/g, c.column)})`).join(', ')}`);
    }
    for (const d of DOMAINS) await q.query(`DROP DOMAIN ${d.name}`);
  }
}

interface Domain {
  name: string;
  base: string;
  rule: string;
}

/** The value rules, as the tables held them (the lists are the code's: core/*'s `as const` arrays). */
const D = {
  orderSide: { name: 'order_side', base: 'text', rule: `VALUE IN ('BUY','SELL')` },
  orderStatus: { name: 'order_status', base: 'text', rule: `VALUE IN ('OPEN','PARTIALLY_FILLED','FILLED','CANCELLED')` },
  timeInForce: { name: 'time_in_force', base: 'text', rule: `VALUE IN ('GTC','IOC','FOK')` },
  tradeStatus: { name: 'trade_status', base: 'text', rule: `VALUE IN ('PENDING_APPROVAL','SETTLED','REJECTED')` },
  tradeDecision: { name: 'trade_decision', base: 'text', rule: `VALUE IN ('APPROVED','AUTO_APPROVED','FILED','REJECTED','EXPIRED')` },
  marketStatus: { name: 'market_status', base: 'text', rule: `VALUE IN ('OPEN','HALTED')` },
  approvalMode: { name: 'approval_mode', base: 'text', rule: `VALUE IN ('APPROVAL','FILING')` },
  ledgerBucket: { name: 'ledger_bucket', base: 'text', rule: `VALUE IN ('AVAILABLE','LOCKED')` },
  systemAccount: { name: 'system_account', base: 'text', rule: `VALUE IN ('ISSUANCE','BANK') OR VALUE LIKE 'FEES:%'` },
  holdStatus: { name: 'hold_status', base: 'text', rule: `VALUE IN ('PENDING','POSTED','VOIDED')` },
  postingReason: { name: 'posting_reason', base: 'text', rule: `VALUE IN ('DEPOSIT','WITHDRAWAL','ALLOCATION','CERTIFICATION','LOCK','UNLOCK','SETTLEMENT','FEE')` },
  postingRefType: {
    name: 'posting_ref_type',
    base: 'text',
    rule: `VALUE IN ('deposit','withdrawal','allocation','order','trade','transfer','statement','auction','bid','rightTransfer','regionalTrade','regionalInterest','feeSweep')`,
  },
  price: { name: 'positive_price', base: 'numeric(18,4)', rule: 'VALUE > 0' },
  volume: { name: 'positive_volume', base: 'numeric(18,3)', rule: 'VALUE > 0' },
  money: { name: 'money_amount', base: 'numeric(20,2)', rule: 'VALUE >= 0' },
  ledgerAmount: { name: 'positive_ledger_amount', base: 'numeric(24,3)', rule: 'VALUE > 0' },
  postingDelta: { name: 'posting_delta', base: 'numeric(24,3)', rule: 'VALUE <> 0' },
  feeRate: { name: 'fee_rate', base: 'numeric(12,8)', rule: 'VALUE >= 0 AND VALUE < 1' },
  deadlineDays: { name: 'approval_deadline_days', base: 'integer', rule: 'VALUE BETWEEN 1 AND 365' },
} satisfies Record<string, Domain>;

const DOMAINS: Domain[] = Object.values(D);

/** Which column takes which domain, and the table CHECK the domain replaces. */
const COLUMNS: ReadonlyArray<{ table: string; column: string; domain: Domain; replaces: string }> = [
  { table: 'orders', column: 'side', domain: D.orderSide, replaces: 'orders_side_check' },
  { table: 'orders', column: 'status', domain: D.orderStatus, replaces: 'orders_status_check' },
  { table: 'orders', column: 'time_in_force', domain: D.timeInForce, replaces: 'orders_time_in_force_check' },
  { table: 'orders', column: 'price', domain: D.price, replaces: 'orders_price_check' },
  { table: 'orders', column: 'volume', domain: D.volume, replaces: 'orders_volume_check' },
  { table: 'trades', column: 'status', domain: D.tradeStatus, replaces: 'trades_status_check' },
  { table: 'trades', column: 'decision', domain: D.tradeDecision, replaces: 'trades_decision_check' },
  { table: 'trades', column: 'price', domain: D.price, replaces: 'trades_price_check' },
  { table: 'trades', column: 'volume', domain: D.volume, replaces: 'trades_volume_check' },
  { table: 'trades', column: 'amount', domain: D.money, replaces: 'trades_amount_check' },
  { table: 'trades', column: 'buyer_fee', domain: D.money, replaces: 'trades_buyer_fee_check' },
  { table: 'trades', column: 'seller_fee', domain: D.money, replaces: 'trades_seller_fee_check' },
  { table: 'markets', column: 'status', domain: D.marketStatus, replaces: 'markets_status_check' },
  { table: 'markets', column: 'approval_mode', domain: D.approvalMode, replaces: 'markets_approval_mode_check' },
  { table: 'markets', column: 'fee_rate', domain: D.feeRate, replaces: 'markets_fee_rate_check' },
  { table: 'markets', column: 'approval_deadline_days', domain: D.deadlineDays, replaces: 'markets_approval_deadline_days_check' },
  { table: 'markets', column: 'min_volume', domain: D.volume, replaces: 'markets_min_volume_check' },
  { table: 'markets', column: 'auto_approve_max_volume', domain: D.volume, replaces: 'markets_auto_approve_max_volume_check' },
  { table: 'markets', column: 'price_tick', domain: D.price, replaces: 'markets_price_tick_check' },
  { table: 'ledger_accounts', column: 'bucket', domain: D.ledgerBucket, replaces: 'ledger_accounts_bucket_check' },
  { table: 'ledger_accounts', column: 'system_name', domain: D.systemAccount, replaces: 'ledger_accounts_system_name_check' },
  { table: 'ledger_holds', column: 'status', domain: D.holdStatus, replaces: 'ledger_holds_status_check' },
  { table: 'ledger_holds', column: 'amount', domain: D.ledgerAmount, replaces: 'ledger_holds_amount_check' },
  { table: 'ledger_postings', column: 'reason', domain: D.postingReason, replaces: 'ledger_postings_reason_check' },
  { table: 'ledger_postings', column: 'ref_type', domain: D.postingRefType, replaces: 'ledger_postings_ref_type_check' },
  { table: 'ledger_postings', column: 'delta', domain: D.postingDelta, replaces: 'ledger_postings_delta_check' },
];

function byTable(): Map<string, typeof COLUMNS> {
  const tables = new Map<string, Array<(typeof COLUMNS)[number]>>();
  for (const c of COLUMNS) tables.set(c.table, [...(tables.get(c.table) ?? []), c]);
  return tables;
}
