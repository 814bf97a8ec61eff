export { INTEREST_PRICE_TICK, announcementProblems, interestPriceProblems, type RegionalTradeTerm } from './regional-trade-terms';
export { winningInterest, type RegionalInterest } from './winning-interest';
export { termAmount as regionalTradeAmount } from '../term-years';
export { INTEREST_STATUSES, REGIONAL_TRADE_STATUSES, type InterestStatus, type RegionalTradeStatus } from './regional-trade-status';
