import { formatAmount, formatVolume } from '../decimal';
import { benefitSharing } from './benefit-sharing';
import { costHosting } from './cost-hosting';
import { guaranteedSaving } from './guaranteed-saving';
import { type Measurement, measure } from './measurement';
import type { ModelSplit } from './model-split';
import type { ContractModel, MeterReading, ProjectTerms, SavingsProject, SavingsStatement } from './savings.types';

type ModelCalculator = (measurement: Measurement, terms: ProjectTerms) => ModelSplit;

// A Record keyed by the model union makes the compiler flag a model without a calculator.
const CALCULATORS: Record<ContractModel, ModelCalculator> = {
  BENEFIT_SHARING: benefitSharing,
  GUARANTEED_SAVING: guaranteedSaving,
  COST_HOSTING: costHosting,
};

/**
 * The statement one reading produces (DOMAIN.md, Contract water-saving). Call it with a
 * project that passed validateProjectTerms and a reading that passed validateReading;
 * anything missing after that is a programming error and throws.
 */
export const computeStatement = (project: SavingsProject, reading: MeterReading): SavingsStatement => {
  const measurement = measure(project, reading);
  const split = CALCULATORS[project.model](measurement, project.terms);
  return {
    baselineVolume: formatVolume(measurement.baselineM3),
    actualVolume: formatVolume(measurement.actualM3),
    savedVolume: formatVolume(measurement.savedM3),
    savedValue: formatAmount(measurement.savedValueCny),
    serviceCompanyAmount: formatAmount(split.serviceCompanyCny),
    waterUserAmount: formatAmount(split.waterUserCny),
    shortfallVolume: formatVolume(split.shortfallM3),
    compensation: formatAmount(split.compensationCny),
  };
};
