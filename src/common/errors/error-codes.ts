/**
 * Every error code of the public contract (API.md, Conventions → Errors) and its HTTP
 * status. `satisfies` makes a forgotten or misspelt code a compile error.
 */
export const ERROR_STATUS = {
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  INSUFFICIENT_QUOTA: 409,
  INSUFFICIENT_FUNDS: 409,
  CAP_EXCEEDED: 409,
  INVALID_STATE: 409,
  CHECK_FAILED: 409,
  MARKET_HALTED: 409,
  IDEMPOTENCY_KEY_REUSED: 409,
  DUPLICATE: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  HEADERS_TOO_LARGE: 431,
  INTERNAL: 500,
  UNAVAILABLE: 503,
} as const satisfies Record<string, number>;

export type ErrorCode = keyof typeof ERROR_STATUS;

export const ERROR_TITLE: Record<ErrorCode, string> = {
  VALIDATION_FAILED: 'The request is invalid',
  UNAUTHENTICATED: 'A valid API key is required',
  FORBIDDEN: 'The caller may not do this',
  NOT_FOUND: 'Not found',
  METHOD_NOT_ALLOWED: 'Method not allowed',
  INSUFFICIENT_QUOTA: 'Not enough quota available',
  INSUFFICIENT_FUNDS: 'Not enough cash available',
  CAP_EXCEEDED: 'The water-use cap would be exceeded',
  INVALID_STATE: 'The object is not in a state that allows this',
  CHECK_FAILED: 'A blocking check failed',
  MARKET_HALTED: 'The market is halted',
  IDEMPOTENCY_KEY_REUSED: 'The Idempotency-Key was used with a different request',
  DUPLICATE: 'It already exists',
  PAYLOAD_TOO_LARGE: 'The request body is too large',
  UNSUPPORTED_MEDIA_TYPE: 'The request body must be application/json',
  RATE_LIMITED: 'Too many requests',
  HEADERS_TOO_LARGE: 'The request line and headers are too large',
  INTERNAL: 'Internal error',
  UNAVAILABLE: 'The service is temporarily unavailable',
};
