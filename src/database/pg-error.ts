const codeOf = (value: unknown): unknown => (typeof value === 'object' && value !== null && 'code' in value ? value.code : undefined);

/**
 * The code of an error from the database: PostgreSQL's SQLSTATE (raw from pg, or wrapped by
 * TypeORM as `driverError`), else a socket error's code such as ECONNREFUSED.
 */
export function pgErrorCode(err: unknown): string | undefined {
  const driver = typeof err === 'object' && err !== null && 'driverError' in err ? err.driverError : undefined;
  const code = codeOf(driver) ?? codeOf(err);
  return typeof code === 'string' ? code : undefined;
}

export const PG = {
  /** Class 22: a number beyond its column's precision, e.g. an amount of 10^18 in numeric(20,2). */
  NUMERIC_VALUE_OUT_OF_RANGE: '22003',
  UNIQUE_VIOLATION: '23505',
  EXCLUSION_VIOLATION: '23P01',
  SERIALIZATION_FAILURE: '40001',
  DEADLOCK_DETECTED: '40P01',
  LOCK_NOT_AVAILABLE: '55P03',
  /** The service's own: a movement would take a participant balance below zero (ledger_refused, decision 0041). */
  LEDGER_REFUSED: 'WR001',
  /** The service's own: a hold is not as the instance last wrote it (ledger_hold_changed, decision 0045). */
  HOLD_CHANGED: 'WR002',
} as const;

/** The DETAIL field of an error from the database, raw or wrapped by TypeORM. */
export function pgErrorDetail(err: unknown): string | undefined {
  const driver = typeof err === 'object' && err !== null && 'driverError' in err ? err.driverError : err;
  const detail = typeof driver === 'object' && driver !== null && 'detail' in driver ? driver.detail : undefined;
  return typeof detail === 'string' ? detail : undefined;
}

/**
 * A conflict the database would settle by waiting, refused at once instead because the wait
 * could close a cycle PostgreSQL finds only after `deadlock_timeout` (a second by default):
 * the transaction rolls back, freeing what it holds, and may succeed if run again.
 */
export class TransientConflict extends Error {
  /** Its label on `db_transaction_retries_total`, beside PostgreSQL's SQLSTATEs. */
  readonly retryCode = 'transient';

  /**
   * `settled`: waits, holding nothing, until the conflicting work is over; the transaction
   * is run again after it instead of after a backoff, however long that work takes.
   */
  constructor(message: string, readonly settled?: () => Promise<void>) {
    super(message);
  }
}

/** A serialization failure, a deadlock or a TransientConflict: the transaction may succeed if run again. */
export const isRetryable = (err: unknown): boolean => {
  if (err instanceof TransientConflict) return true;
  const code = pgErrorCode(err);
  return code === PG.SERIALIZATION_FAILURE || code === PG.DEADLOCK_DETECTED;
};

/** Class 22, data exception: PostgreSQL refused a value's type or range. */
export const isDataException = (err: unknown): boolean => pgErrorCode(err)?.startsWith('22') ?? false;
