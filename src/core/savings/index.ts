export * from './savings.types';
export { computeStatement } from './statement';
export { validateProjectTerms, validateReading } from './project-terms';
export { baselineVolumeM3 } from './baseline';
export { readingPeriodProblem } from './measured-periods';
export { statementLimitProblem } from './statement-limits';
