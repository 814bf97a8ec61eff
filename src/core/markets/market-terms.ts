import { Dec, DecimalInput, formatPrice, formatVolume } from '../decimal';
import { dealWorthProblem } from '../deal-worth';

/** A halted market takes no new orders or transfers; cancels still work (API.md, Markets). */
export const MARKET_STATUSES = ['OPEN', 'HALTED'] as const;
export type MarketStatus = (typeof MARKET_STATUSES)[number];

export interface MarketTerms {
  id: string;
  status: MarketStatus;
  priceTick: DecimalInput;
  minVolume: DecimalInput;
}

export type HaltProblem = { code: 'MARKET_HALTED'; detail: string };

export type TermsProblem = HaltProblem | { code: 'VALIDATION_FAILED'; field: 'price' | 'volume'; message: string };

/** The halt rule: nothing new trades in a halted market. */
export function haltProblem(market: Pick<MarketTerms, 'id' | 'status'>): HaltProblem | null {
  return market.status === 'HALTED' ? { code: 'MARKET_HALTED', detail: `Market ${market.id} is halted; only cancels are accepted` } : null;
}

/**
 * What an order or a negotiated transfer must respect in a market (API.md): the market is
 * open, the price is a multiple of its tick, the volume at least its minimum, and the whole
 * is worth what every deal must be (`dealWorthProblem`): a dust order could only rest on the
 * book as noise, and one worth 10^15 CNY or more an amount beyond the contract's decimals.
 */
export function termsProblem(market: MarketTerms, price: DecimalInput, volume: DecimalInput): TermsProblem | null {
  const halted = haltProblem(market);
  if (halted) return halted;
  if (!new Dec(price).mod(market.priceTick).isZero()) {
    return { code: 'VALIDATION_FAILED', field: 'price', message: `must be a multiple of the price tick ${formatPrice(market.priceTick)}` };
  }
  if (new Dec(volume).lt(market.minVolume)) {
    return { code: 'VALIDATION_FAILED', field: 'volume', message: `must be at least the minimum volume ${formatVolume(market.minVolume)}` };
  }
  const worth = dealWorthProblem('volume', price, volume);
  return worth === null ? null : { code: 'VALIDATION_FAILED', ...worth };
}
