/**
 * Plain data shapes of contract water-saving (合同节水管理, GB/T 34149-2017). Decimals stay
 * strings at this boundary, exactly as API.md carries them; the calculators turn them into
 * decimal.js values and back, so no float ever touches a volume or an amount.
 */

export const CONTRACT_MODELS = ['BENEFIT_SHARING', 'GUARANTEED_SAVING', 'COST_HOSTING'] as const;
export type ContractModel = (typeof CONTRACT_MODELS)[number];

export const BASELINE_METHODS = ['FIXED', 'INTENSITY'] as const;
export type BaselineMethod = (typeof BASELINE_METHODS)[number];

export const PROJECT_STATUSES = ['ACTIVE'] as const;
export type ProjectStatus = (typeof PROJECT_STATUSES)[number];

/** DRAFT until both parties confirm; a regulator then certifies a CONFIRMED statement, once. */
export const STATEMENT_STATUSES = ['DRAFT', 'CONFIRMED', 'CERTIFIED'] as const;
export type StatementStatus = (typeof STATEMENT_STATUSES)[number];

/** 用水基准: what the water user would have used without the project. */
export interface BaselineSpec {
  method: BaselineMethod;
  /** m³ per settlement period, FIXED only. */
  volumePerPeriod?: string | null;
  /** m³ per unit of output, INTENSITY only. */
  intensity?: string | null;
}

/** Contract terms; which ones a project needs depends on its model (see project-terms.ts). */
export interface ProjectTerms {
  serviceShare?: string | null;
  guaranteedSaving?: string | null;
  shortfallPrice?: string | null;
  excessServiceShare?: string | null;
  hostingFeePerPeriod?: string | null;
  investment?: string | null;
}

export interface SavingsProject {
  model: ContractModel;
  /** CNY per m³. */
  waterPrice: string;
  baseline: BaselineSpec;
  terms: ProjectTerms;
}

/** One meter reading: the water used in one settlement period, and output for INTENSITY. */
export interface MeterReading {
  volume: string;
  output?: string | null;
}

/**
 * The figures of one statement as API.md publishes them: volumes in shortest exact form
 * ("20000", "-10000"), amounts with exactly two decimals ("56000.00").
 */
export interface SavingsStatement {
  baselineVolume: string;
  actualVolume: string;
  savedVolume: string;
  savedValue: string;
  serviceCompanyAmount: string;
  waterUserAmount: string;
  shortfallVolume: string;
  compensation: string;
}

/** A validation error as a value, shaped like an entry of a problem+json `errors[]`. */
export interface FieldError {
  field: string;
  message: string;
}
