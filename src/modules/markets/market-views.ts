import { formatPlain, formatPrice, formatVolume } from '../../core/decimal';
import { BookView, MarketView, TapeEntry } from './market.dto';
import { BookLevelRow, MarketRow, MarketWithStatsRow, TapeRow } from './markets.rows';

/** A market's terms as the audit log records them. */
export const marketState = (m: MarketRow) => ({
  id: m.id,
  regionCode: m.region_code,
  source: m.source,
  year: m.year,
  feeRate: formatPlain(m.fee_rate),
  minVolume: formatVolume(m.min_volume),
  priceTick: formatPrice(m.price_tick),
  approvalMode: m.approval_mode,
  approvalDeadlineDays: m.approval_deadline_days,
  autoApproveMaxVolume: m.auto_approve_max_volume === null ? null : formatVolume(m.auto_approve_max_volume),
  status: m.status,
});

/** A market without stats yet (just opened) shows no last price and no volume. */
export const marketView = (m: MarketRow & Partial<Pick<MarketWithStatsRow, 'last_price' | 'volume_24h'>>): MarketView => ({
  ...marketState(m),
  lastPrice: m.last_price === null || m.last_price === undefined ? null : formatPrice(m.last_price),
  volume24h: formatVolume(m.volume_24h ?? 0),
  createdAt: new Date(m.created_at).toISOString(),
});

/** Best price first on each side, `depth` levels each; no participant identities. */
export function bookView(levels: BookLevelRow[], depth: number): BookView {
  const level = (r: BookLevelRow) => ({ price: formatPrice(r.price), volume: formatVolume(r.volume), orders: r.orders });
  // Each side comes best first from the repository (MarketsRepository.bookLevels).
  const bids = levels.filter((r) => r.side === 'BUY');
  const asks = levels.filter((r) => r.side === 'SELL');
  return { bids: bids.slice(0, depth).map(level), asks: asks.slice(0, depth).map(level) };
}

export const tapeEntry = (r: TapeRow): TapeEntry => ({
  id: r.id,
  price: formatPrice(r.price),
  volume: formatVolume(r.volume),
  at: new Date(r.created_at).toISOString(),
  status: r.status,
});
