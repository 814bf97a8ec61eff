import type { Refusal } from '../../core/refusal';
import { DomainError } from './domain-error';

/** A core's refusal, as the exception the problem filter answers with the contract's status. */
export const refusalError = (refusal: Refusal): DomainError =>
  refusal.code === 'VALIDATION_FAILED' ? DomainError.validation(refusal.errors) : new DomainError(refusal.code, refusal.detail);
