import { formatAmount, formatVolume } from '../../core/decimal';
import { isCash, parseInstrument } from '../../core/ledger/assets';
import { BalancesView, LedgerEntryView } from './ledger.dto';
import { LedgerAccountRow, LedgerEntryRow } from './ledger.rows';

/** Cash always with two decimals, quota in its shortest exact form (API.md). */
export const formatAsset = (asset: string, value: string | { toString(): string }): string =>
  isCash(asset) ? formatAmount(String(value)) : formatVolume(String(value));

/** What a ledger line shows of a posting and its account. */
export type LedgerEntryFields = Pick<LedgerEntryRow, 'id' | 'created_at' | 'asset' | 'bucket' | 'delta' | 'balance_after' | 'reason' | 'ref_type' | 'ref_id'>;

export const ledgerEntryView = (row: LedgerEntryFields): LedgerEntryView => ({
  id: row.id,
  at: new Date(row.created_at).toISOString(),
  asset: row.asset,
  account: row.bucket,
  delta: formatAsset(row.asset, row.delta),
  balanceAfter: formatAsset(row.asset, row.balance_after),
  reason: row.reason,
  refType: row.ref_type,
  refId: row.ref_id,
});

export function balancesView(rows: Pick<LedgerAccountRow, 'asset' | 'bucket' | 'balance'>[]): BalancesView {
  let cash = { available: formatAmount(0), locked: formatAmount(0) };
  const quota = new Map<string, { marketId: string; regionCode: string; source: string; year: number; available: string; locked: string }>();
  for (const r of rows) {
    const key = r.bucket === 'AVAILABLE' ? 'available' : 'locked';
    if (isCash(r.asset)) {
      cash = { ...cash, [key]: formatAmount(r.balance) };
      continue;
    }
    const i = parseInstrument(r.asset);
    if (!i) continue;
    const entry = quota.get(r.asset) ?? { marketId: r.asset, regionCode: i.regionCode, source: i.source, year: i.year, available: '0', locked: '0' };
    entry[key] = formatVolume(r.balance);
    quota.set(r.asset, entry);
  }
  return { cash, quota: [...quota.values()].sort((a, b) => a.marketId.localeCompare(b.marketId)) };
}
