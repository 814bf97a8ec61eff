import type Decimal from 'decimal.js';
import { AMOUNT_SCALE, Dec, PRICE_SCALE, VOLUME_SCALE } from '../decimal';
import type {
  BaselineMethod,
  BaselineSpec,
  ContractModel,
  FieldError,
  MeterReading,
  ProjectTerms,
} from './savings.types';

/**
 * The business rules on a project's baseline and terms, returned as values so the service
 * can answer 400 VALIDATION_FAILED with every field at once. Figures arrive as syntactically
 * valid decimal strings (the DTO layer checks the format); here we check what each model
 * needs and the range and unit scale of each figure.
 *
 * Terms a model does not use are accepted and ignored: a client may keep one terms object
 * across models, and an unused share harms no statement. A baseline field of the other
 * method is refused instead, because it is ambiguous which baseline the parties agreed on,
 * and the baseline decides every figure of every statement.
 */

interface FigureRule {
  field: string;
  /** The message when the figure is out of range. */
  range: string;
  inRange: (value: Decimal) => boolean;
  /** Decimals allowed by the figure's unit (API.md, Conventions); none for plain ratios. */
  maxScale?: number;
}

const positive = (value: Decimal): boolean => value.gt(0);
const nonNegative = (value: Decimal): boolean => value.gte(0);

const SERVICE_SHARE: FigureRule = {
  field: 'serviceShare',
  range: 'must be greater than 0 and at most 1',
  inRange: (v) => v.gt(0) && v.lte(1),
};
const GUARANTEED_SAVING: FigureRule = {
  field: 'guaranteedSaving',
  range: 'must be greater than 0 and less than 1',
  inRange: (v) => v.gt(0) && v.lt(1),
};
const SHORTFALL_PRICE: FigureRule = {
  field: 'shortfallPrice',
  range: 'must be 0 or more',
  inRange: nonNegative,
  maxScale: PRICE_SCALE,
};
const EXCESS_SERVICE_SHARE: FigureRule = {
  field: 'excessServiceShare',
  range: 'must be between 0 and 1 inclusive',
  inRange: (v) => v.gte(0) && v.lte(1),
};
const HOSTING_FEE_PER_PERIOD: FigureRule = {
  field: 'hostingFeePerPeriod',
  range: 'must be 0 or more',
  inRange: nonNegative,
  maxScale: AMOUNT_SCALE,
};
const INVESTMENT: FigureRule = {
  field: 'investment',
  range: 'must be 0 or more',
  inRange: nonNegative,
  maxScale: AMOUNT_SCALE,
};
const VOLUME_PER_PERIOD: FigureRule = {
  field: 'volumePerPeriod',
  range: 'must be greater than 0',
  inRange: positive,
  maxScale: VOLUME_SCALE,
};
const INTENSITY: FigureRule = {
  field: 'intensity',
  range: 'must be greater than 0',
  inRange: positive,
};

interface ModelRules {
  required: FigureRule[];
  optional: FigureRule[];
}

const MODEL_RULES: Record<ContractModel, ModelRules> = {
  BENEFIT_SHARING: { required: [SERVICE_SHARE], optional: [INVESTMENT] },
  GUARANTEED_SAVING: {
    required: [GUARANTEED_SAVING, SHORTFALL_PRICE],
    optional: [EXCESS_SERVICE_SHARE, INVESTMENT],
  },
  COST_HOSTING: { required: [HOSTING_FEE_PER_PERIOD], optional: [INVESTMENT] },
};

const BASELINE_RULES: Record<BaselineMethod, { own: FigureRule; foreign: FigureRule }> = {
  FIXED: { own: VOLUME_PER_PERIOD, foreign: INTENSITY },
  INTENSITY: { own: INTENSITY, foreign: VOLUME_PER_PERIOD },
};

type Figures = Partial<Record<string, string | null>>;

const isPresent = (value: string | null | undefined): value is string => value !== undefined && value !== null;

const checkFigure = (prefix: string, rule: FigureRule, value: string): FieldError[] => {
  const field = `${prefix}.${rule.field}`;
  const figure = new Dec(value);
  if (!rule.inRange(figure)) return [{ field, message: rule.range }];
  if (rule.maxScale !== undefined && figure.decimalPlaces() > rule.maxScale) {
    return [{ field, message: `must have at most ${rule.maxScale} decimals` }];
  }
  return [];
};

const checkRequired = (prefix: string, rule: FigureRule, figures: Figures, owner: string): FieldError[] => {
  const value = figures[rule.field];
  if (!isPresent(value)) return [{ field: `${prefix}.${rule.field}`, message: `is required for ${owner}` }];
  return checkFigure(prefix, rule, value);
};

const checkOptional = (prefix: string, rule: FigureRule, figures: Figures): FieldError[] => {
  const value = figures[rule.field];
  return isPresent(value) ? checkFigure(prefix, rule, value) : [];
};

const validateBaseline = (baseline: BaselineSpec): FieldError[] => {
  const { own, foreign } = BASELINE_RULES[baseline.method];
  const figures: Figures = { volumePerPeriod: baseline.volumePerPeriod, intensity: baseline.intensity };
  const errors = checkRequired('baseline', own, figures, `${baseline.method} baselines`);
  if (isPresent(figures[foreign.field])) {
    errors.push({ field: `baseline.${foreign.field}`, message: `does not apply to ${baseline.method} baselines` });
  }
  return errors;
};

const validateTerms = (model: ContractModel, terms: ProjectTerms): FieldError[] => {
  const { required, optional } = MODEL_RULES[model];
  const figures: Figures = { ...terms };
  return [
    ...required.flatMap((rule) => checkRequired('terms', rule, figures, `${model} projects`)),
    ...optional.flatMap((rule) => checkOptional('terms', rule, figures)),
  ];
};

/** Every problem with a project's baseline and terms; empty when the project is valid. */
export const validateProjectTerms = (
  model: ContractModel,
  baseline: BaselineSpec,
  terms: ProjectTerms,
): FieldError[] => [...validateBaseline(baseline), ...validateTerms(model, terms)];

/**
 * Every problem with a reading for a project of this baseline; empty when valid. Output may
 * be "0" (a plant that stood still), which makes an INTENSITY baseline 0. Output on a FIXED
 * baseline is kept for the record and does not change the statement.
 */
export const validateReading = (baseline: BaselineSpec, reading: MeterReading): FieldError[] => {
  const errors: FieldError[] = [];
  if (new Dec(reading.volume).decimalPlaces() > VOLUME_SCALE) {
    errors.push({ field: 'volume', message: `must have at most ${VOLUME_SCALE} decimals` });
  }
  if (baseline.method === 'INTENSITY' && !isPresent(reading.output)) {
    errors.push({ field: 'output', message: 'is required for INTENSITY baselines' });
  }
  return errors;
};
