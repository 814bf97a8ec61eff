import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiResponse } from '@nestjs/swagger';
import { ERROR_STATUS, ErrorCode } from '../errors/error-codes';

class FieldErrorDoc {
  @ApiProperty({ example: 'volume' }) field: string;
  @ApiProperty({ example: 'volume must have at most 3 decimals' }) message: string;
}

/** RFC 9457 problem details, as every error response carries them. */
export class ProblemDoc {
  @ApiProperty({ example: 'https://water-exchange.example/problems/validation-failed' }) type: string;
  @ApiProperty({ example: 'The request is invalid' }) title: string;
  @ApiProperty({ example: 400 }) status: number;
  @ApiProperty({ example: 'volume: volume must have at most 3 decimals' }) detail: string;
  @ApiProperty({ enum: Object.keys(ERROR_STATUS), example: 'VALIDATION_FAILED' }) code: ErrorCode;
  @ApiPropertyOptional({ type: [FieldErrorDoc] }) errors?: FieldErrorDoc[];
  @ApiPropertyOptional({ example: '/v1/participants' }) instance?: string;
  @ApiPropertyOptional({ example: '5b0f6d0e-3c1a-4c2e-9d55-7f1f0c3a9b11' }) requestId?: string;
}

const DESCRIPTIONS: Record<number, string> = {
  400: 'VALIDATION_FAILED: malformed JSON, invalid or unknown fields',
  401: 'UNAUTHENTICATED: no, unknown or revoked API key',
  403: 'FORBIDDEN: role, jurisdiction or ownership does not allow this',
  404: 'NOT_FOUND: no such object, or the caller may not read it',
  409: 'Business conflict (see `code`)',
  413: 'PAYLOAD_TOO_LARGE',
  429: 'RATE_LIMITED',
  503: 'UNAVAILABLE: the database is unreachable',
};

/** Documents the problem+json responses an endpoint can return. */
export const ApiProblems = (...statuses: number[]) =>
  applyDecorators(
    ...[...new Set([401, 429, 503, ...statuses])].map((status) =>
      ApiResponse({ status, description: DESCRIPTIONS[status] ?? 'Error', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/ProblemDoc' } } } }),
    ),
  );
