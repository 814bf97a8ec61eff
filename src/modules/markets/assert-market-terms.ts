import { DomainError } from '../../common/errors/domain-error';
import { DecimalInput } from '../../core/decimal';
import { haltProblem, termsProblem } from '../../core/markets/market-terms';
import { MarketRow } from './markets.rows';

/** Orders and transfers share the market's terms; a breach becomes the contract's error. */
export function assertMarketTerms(market: MarketRow, price: DecimalInput, volume: DecimalInput): void {
  const problem = termsProblem({ id: market.id, status: market.status, priceTick: market.price_tick, minVolume: market.min_volume }, price, volume);
  if (!problem) return;
  if (problem.code === 'MARKET_HALTED') throw new DomainError('MARKET_HALTED', problem.detail);
  throw DomainError.validation([{ field: problem.field, message: problem.message }]);
}

/** Nothing new trades in a halted market: accepting a transfer opens a trade. */
export function assertMarketOpen(market: MarketRow): void {
  const halted = haltProblem(market);
  if (halted) throw new DomainError('MARKET_HALTED', halted.detail);
}
