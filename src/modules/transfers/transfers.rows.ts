import type { TransferStatus } from '../../core/transfers/transfer-status';

/** A row of `transfers`: a negotiated offer (协议转让) of quota to a named buyer. */
export interface TransferRow {
  id: string;
  market_id: string;
  seller_id: string;
  buyer_id: string;
  volume: string;
  price: string;
  note: string | null;
  status: TransferStatus;
  /** The seller's quota lock while the offer stands. */
  hold_id: string;
  trade_id: string | null;
  created_at: Date;
  updated_at: Date;
}
