import type { Refusal } from '../../core/refusal';
import { ErrorCode } from './error-codes';

export interface FieldError {
  field: string;
  message: string;
}

/**
 * The one exception services throw. It carries a contract error code, never an HTTP
 * status: the problem filter owns that mapping.
 */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly detail?: string,
    readonly errors?: FieldError[],
    /** Response headers the problem carries (405: Allow). */
    readonly headers?: Record<string, string>,
  ) {
    super(detail ?? code);
    this.name = 'DomainError';
  }

  static validation(errors: FieldError[], detail = errors.map((e) => `${e.field}: ${e.message}`).join('; ')): DomainError {
    return new DomainError('VALIDATION_FAILED', detail, errors);
  }

  static notFound(what: string): DomainError {
    return new DomainError('NOT_FOUND', `${what} not found`);
  }

  static forbidden(detail: string): DomainError {
    return new DomainError('FORBIDDEN', detail);
  }

  /** What a core refused, as the error its code maps to (core/refusal.ts). */
  static fromRefusal(refusal: Refusal): DomainError {
    return refusal.code === 'VALIDATION_FAILED' ? DomainError.validation(refusal.errors) : new DomainError(refusal.code, refusal.detail);
  }
}
