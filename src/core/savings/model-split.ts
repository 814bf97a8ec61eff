import type Decimal from 'decimal.js';

/**
 * Who owes whom for one period under one contract model. The model calculators return this;
 * statement.ts adds the measurement and formats the lot.
 */
export interface ModelSplit {
  serviceCompanyCny: Decimal;
  waterUserCny: Decimal;
  shortfallM3: Decimal;
  compensationCny: Decimal;
}
