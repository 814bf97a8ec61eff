import type { Refusal } from '../../core/refusal';
import { ErrorCode } from './error-codes';

/** The most field errors one answer lists (DomainError.validation). */
export const MAX_FIELD_ERRORS = 50;

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

  /**
   * At most MAX_FIELD_ERRORS of them are reported, the first ones, and the detail says how
   * many more there were: a body of 90 000 unknown fields would otherwise be answered with
   * megabytes. A client fixing its request needs the first few.
   */
  static validation(errors: FieldError[], detail?: string): DomainError {
    const shown = errors.slice(0, MAX_FIELD_ERRORS);
    const more = errors.length - shown.length;
    const text = detail ?? shown.map((e) => `${e.field}: ${e.message}`).join('; ') + (more > 0 ? `; and ${more} more` : '');
    return new DomainError('VALIDATION_FAILED', text, shown);
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
