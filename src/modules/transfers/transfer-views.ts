import { formatPrice, formatVolume } from '../../core/decimal';
import { TransferView } from './transfer.dto';
import { TransferRow } from './transfers.rows';

export const transferView = (t: TransferRow): TransferView => ({
  id: t.id,
  marketId: t.market_id,
  sellerId: t.seller_id,
  buyerId: t.buyer_id,
  volume: formatVolume(t.volume),
  price: formatPrice(t.price),
  note: t.note,
  status: t.status,
  tradeId: t.trade_id,
  createdAt: new Date(t.created_at).toISOString(),
});
