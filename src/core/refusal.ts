/**
 * Refusals as values. A core never throws for something a client did; it returns one of
 * these and the service maps `code` to the contract's status (API.md, Errors). Throwing is
 * kept for inputs only a bug in the caller can produce.
 */

/** One invalid field, shaped like an entry of a problem+json `errors[]`. */
export interface FieldError {
  field: string;
  message: string;
}

/** The 409 conflicts (and the one 403) the v1.1 cores decide. */
export type ConflictCode = 'INVALID_STATE' | 'MARKET_HALTED' | 'CAP_EXCEEDED' | 'CHECK_FAILED' | 'FORBIDDEN';

export type Refusal =
  | { code: 'VALIDATION_FAILED'; errors: FieldError[] }
  | { code: ConflictCode; detail: string };

/** Every field error at once, or nothing: 400 carries them all. */
export const invalidFields = (errors: FieldError[]): Refusal | null =>
  errors.length === 0 ? null : { code: 'VALIDATION_FAILED', errors };
