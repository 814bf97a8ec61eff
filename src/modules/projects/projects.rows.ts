import type { BaselineMethod, ContractModel, ProjectStatus, StatementStatus } from '../../core/savings';
import type { WaterSource } from '../../core/water';

/*
 * Rows as the SQL of this module selects them: dates as 'YYYY-MM-DD' text (a pg `date`
 * becomes a local-midnight Date otherwise, which shifts with the host's time zone) and
 * numerics as the strings pg returns.
 */

/** A row of `projects`, its dates as `start_day` and `end_day`. */
export interface ProjectRow {
  id: string;
  name: string;
  model: ContractModel;
  service_company_id: string;
  water_user_id: string;
  region_code: string;
  source: WaterSource;
  start_day: string;
  end_day: string;
  water_price: string;
  baseline_method: BaselineMethod;
  baseline_volume_per_period: string | null;
  baseline_intensity: string | null;
  /** Only the terms the parties sent, as decimal strings. */
  terms: Record<string, string>;
  status: ProjectStatus;
  created_by: string;
  created_at: Date;
}

/** A project's running totals over the statements that count. */
export interface TotalsRow {
  saved_volume: string;
  saved_value: string;
  service_company_amount: string;
  water_user_amount: string;
  compensation: string;
  certified_volume: string;
}

/** A row of `readings` with its period as days and the id of its statement. */
export interface ReadingRow {
  id: string;
  project_id: string;
  start_day: string;
  end_day: string;
  volume: string;
  output: string | null;
  supersedes: string | null;
  superseded_by: string | null;
  statement_id: string;
  created_by: string;
  created_at: Date;
  seq: string;
}

/** A row of `statements` with its reading's period and whether that reading was corrected. */
export interface StatementRow {
  id: string;
  project_id: string;
  reading_id: string;
  start_day: string;
  end_day: string;
  baseline_volume: string;
  actual_volume: string;
  saved_volume: string;
  saved_value: string;
  service_company_amount: string;
  water_user_amount: string;
  shortfall_volume: string;
  compensation: string;
  status: StatementStatus;
  confirmed_by: string[];
  certified_volume: string | null;
  certified_year: number | null;
  certified_by: string | null;
  certified_at: Date | null;
  superseded: boolean;
  created_at: Date;
  seq: string;
}

/** One contract model's line of the savings report. */
export interface SavingsByModelRow {
  model: ContractModel;
  projects: number;
  statements: number;
  saved_volume: string;
  saved_value: string;
  certified_volume: string;
}
