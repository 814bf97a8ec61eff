import { HttpException } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import { QueryFailedError, QueryRunnerAlreadyReleasedError, QueryRunnerProviderAlreadyReleasedError } from 'typeorm';
import { isDataException, isRetryable, PG, pgErrorCode } from '../../database/pg-error';
import { WriteGateTimeout } from '../../database/write-gate';
import { DomainError, FieldError } from './domain-error';
import { ERROR_STATUS, ERROR_TITLE, ErrorCode } from './error-codes';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode;
  errors?: FieldError[];
  instance?: string;
  requestId?: string;
}

export function problemOf(code: ErrorCode, detail?: string, errors?: FieldError[]): Problem {
  const problem: Problem = {
    type: `https://water-exchange.example/problems/${code.toLowerCase().replace(/_/g, '-')}`,
    title: ERROR_TITLE[code],
    status: ERROR_STATUS[code],
    detail: detail ?? ERROR_TITLE[code],
    code,
  };
  if (errors && errors.length > 0) problem.errors = errors;
  return problem;
}

const PG_UNAVAILABLE = new Set(['57P01', '57P02', '57P03', '53300', '08000', '08001', '08003', '08004', '08006']);
const NET_UNAVAILABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND']);

/** The fields of a thrown value this mapping reads; anything may be thrown, so each is checked where used. */
const fieldsOf = (err: unknown): Record<string, unknown> => (typeof err === 'object' && err !== null ? (err as Record<string, unknown>) : {});

function isUnavailable(err: unknown): boolean {
  if (err instanceof WriteGateTimeout) return true;
  // TypeORM releases a query runner whose connection failed (a backend terminated, the
  // server gone); a transaction's next statement on it, a rollback included, raises this
  // instead of the connection's own error, which it hides.
  if (err instanceof QueryRunnerProviderAlreadyReleasedError || err instanceof QueryRunnerAlreadyReleasedError) return true;
  const code = pgErrorCode(err) ?? '';
  if (PG_UNAVAILABLE.has(code) || NET_UNAVAILABLE.has(code)) return true;
  const message = String(fieldsOf(err).message ?? '');
  return /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(message);
}

/** Maps anything thrown while serving a request to the problem the client sees. */
export function toProblem(err: unknown): Problem {
  if (err instanceof DomainError) return problemOf(err.code, err.detail, err.errors);
  if (err instanceof ThrottlerException) return problemOf('RATE_LIMITED', 'Rate limit exceeded for this API key; retry after a minute');
  const e = fieldsOf(err);
  // Errors raised by the body parser before any route runs.
  if (e.type === 'entity.too.large') return problemOf('PAYLOAD_TOO_LARGE', `The body exceeds the limit of ${e.limit} bytes`);
  if (e.type === 'entity.parse.failed') return problemOf('VALIDATION_FAILED', 'The body is not valid JSON', [{ field: 'body', message: 'malformed JSON' }]);
  if (e.type === 'encoding.unsupported' || e.type === 'charset.unsupported') return problemOf('UNSUPPORTED_MEDIA_TYPE', String(e.message));
  // Any other client error the body parser raises (a corrupt gzip or brotli body) says so with `expose`.
  if (e.expose === true && typeof e.status === 'number' && Number.isInteger(e.status) && e.status >= 400 && e.status < 500) {
    const code = codeForStatus(e.status);
    // A 400 names what was wrong (API.md): here it is always the body as sent.
    return problemOf(code, String(e.message), code === 'VALIDATION_FAILED' ? [{ field: 'body', message: String(e.message) }] : undefined);
  }
  if (err instanceof HttpException) return fromHttpException(err);
  if (err instanceof QueryFailedError && pgErrorCode(err) === PG.UNIQUE_VIOLATION) {
    return problemOf('DUPLICATE', 'An object with the same unique value already exists');
  }
  // Every client value reaches SQL as a parameter, so PostgreSQL refusing one (class 22,
  // data exception: a forged cursor's uuid, number or timestamp) is the client's error.
  // The core's ceilings keep request figures within the columns; a number past one anyway
  // is too large, not of the wrong type, and the client should hear which.
  if (err instanceof QueryFailedError && pgErrorCode(err) === PG.NUMERIC_VALUE_OUT_OF_RANGE) {
    return problemOf('VALIDATION_FAILED', 'A value in the request is out of the range the exchange can store', [{ field: 'request', message: 'out of range' }]);
  }
  if (err instanceof QueryFailedError && isDataException(err)) {
    return problemOf('VALIDATION_FAILED', 'A value in the request is not valid for its type', [{ field: 'request', message: 'invalid value' }]);
  }
  if (isRetryable(err)) {
    return problemOf('UNAVAILABLE', 'The request met concurrent changes too many times; retry it');
  }
  if (isUnavailable(err)) return problemOf('UNAVAILABLE', 'The database is unreachable or too busy; retry later');
  return problemOf('INTERNAL', 'An unexpected error occurred; it has been logged');
}

const CODE_BY_STATUS: Record<number, ErrorCode> = {
  400: 'VALIDATION_FAILED',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
  431: 'HEADERS_TOO_LARGE',
  503: 'UNAVAILABLE',
};

const codeForStatus = (status: number): ErrorCode => CODE_BY_STATUS[status] ?? (status >= 500 ? 'INTERNAL' : 'VALIDATION_FAILED');

function fromHttpException(err: HttpException): Problem {
  const code = codeForStatus(err.getStatus());
  const detail = code === 'UNAUTHENTICATED' ? 'Missing, unknown or revoked API key' : err.message;
  return problemOf(code, detail);
}
