/**
 * Thrown to send a stored response verbatim: a replay of an earlier request with the
 * same Idempotency-Key, or the first error response exactly as it was stored.
 */
export class IdempotentReplay extends Error {
  constructor(
    readonly status: number,
    /** The response body: a value to serialise, or (a stored replay) the exact JSON text. */
    readonly body: unknown,
    readonly replayed: boolean,
  ) {
    super('idempotent response');
  }
}
