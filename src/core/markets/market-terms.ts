import { Dec, DecimalInput, formatPrice, formatVolume } from '../decimal';

export interface MarketTerms {
  id: string;
  status: 'OPEN' | 'HALTED';
  priceTick: DecimalInput;
  minVolume: DecimalInput;
}

export type TermsProblem =
  | { code: 'MARKET_HALTED'; detail: string }
  | { code: 'VALIDATION_FAILED'; field: 'price' | 'volume'; message: string };

/**
 * What an order or a negotiated transfer must respect in a market (API.md): the market is
 * open, the price is a multiple of its tick, the volume at least its minimum.
 */
export function termsProblem(market: MarketTerms, price: DecimalInput, volume: DecimalInput): TermsProblem | null {
  if (market.status === 'HALTED') return { code: 'MARKET_HALTED', detail: `Market ${market.id} is halted; only cancels are accepted` };
  if (!new Dec(price).mod(market.priceTick).isZero()) {
    return { code: 'VALIDATION_FAILED', field: 'price', message: `must be a multiple of the price tick ${formatPrice(market.priceTick)}` };
  }
  if (new Dec(volume).lt(market.minVolume)) {
    return { code: 'VALIDATION_FAILED', field: 'volume', message: `must be at least the minimum volume ${formatVolume(market.minVolume)}` };
  }
  return null;
}
