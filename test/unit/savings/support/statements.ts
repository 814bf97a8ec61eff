import type { BaselineSpec, ContractModel, ProjectTerms, SavingsProject, SavingsStatement } from '../../../../src/core/savings';

/** Projects at 4.00 CNY/m³ that differ only in model and terms, so a case shows what its model changes. */
export const projectsAgainst = (baseline: BaselineSpec) =>
  (model: ContractModel, terms: ProjectTerms): SavingsProject => ({ model, waterPrice: '4.00', baseline, terms });

/**
 * A period without savings as every model reports it before its own amounts: the volumes as
 * measured, no value, no shortfall, no money moved. The volumes are spelled out rather than
 * derived, so a case still checks S = baseline − actual itself.
 */
export const nothingSaved = (baselineVolume: string, actualVolume: string, savedVolume: string): SavingsStatement => ({
  baselineVolume,
  actualVolume,
  savedVolume,
  savedValue: '0.00',
  serviceCompanyAmount: '0.00',
  waterUserAmount: '0.00',
  shortfallVolume: '0',
  compensation: '0.00',
});
