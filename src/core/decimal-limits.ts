/**
 * Ceilings the service puts on request decimals beyond the contract's format (15 integer
 * digits). Each is a power of ten, so the OpenAPI document can state it as a pattern.
 *
 * - Prices: 10^8 CNY per m³, far above any price of water. Price columns hold 14 integer
 *   digits; the ceiling keeps every price (orders, transfers, ticks, project prices) where
 *   the database can store it, so a too-large price is a 400 on its own field.
 * - Order volumes: 10^12 m³, more than a year of China's water use.
 * - Deal values: 10^15 CNY, the most a request amount may carry (15 integer digits). The two
 *   ceilings above still let price × volume reach 10^20, past what an amount column
 *   (numeric(20,2), under 10^18) can store. Below 10^15 an amount reads back in the
 *   contract's own format, and its lock with the fee (under 2 × 10^15, a fee rate being
 *   below 1) fits the column with room to spare. The rule is `dealWorthProblem` (deal-worth.ts).
 */
export const PRICE_CEILING = '100000000';
export const ORDER_VOLUME_CEILING = '1000000000000';
export const VALUE_CEILING = '1000000000000000';
/** "10^15", as the refusals that name the value ceiling say it. */
export const VALUE_CEILING_TEXT = `10^${VALUE_CEILING.length - 1}`;
