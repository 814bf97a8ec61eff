import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiResponse } from '@nestjs/swagger';
import { ERROR_STATUS, ErrorCode } from '../errors/error-codes';
import { problemResponse } from './finish-document';

class FieldErrorDoc {
  @ApiProperty({ example: 'volume' }) field: string;
  @ApiProperty({ example: 'volume must have at most 3 decimals' }) message: string;
}

/** RFC 9457 problem details, as every error response carries them. */
export class ProblemDoc {
  @ApiProperty({ example: 'https://water-exchange.example/problems/validation-failed' }) type: string;
  @ApiProperty({ example: 'The request is invalid' }) title: string;
  @ApiProperty({ type: 'integer', example: 400 }) status: number;
  @ApiProperty({ example: 'volume: volume must have at most 3 decimals' }) detail: string;
  @ApiProperty({ enum: Object.keys(ERROR_STATUS), example: 'VALIDATION_FAILED' }) code: ErrorCode;
  @ApiPropertyOptional({ type: [FieldErrorDoc] }) errors?: FieldErrorDoc[];
  @ApiPropertyOptional({ example: '/v1/participants' }) instance?: string;
  @ApiPropertyOptional({ example: '5b0f6d0e-3c1a-4c2e-9d55-7f1f0c3a9b11' }) requestId?: string;
}

/** Documents the problem+json responses particular to an endpoint; those every endpoint shares are added by finishDocument. */
export const ApiProblems = (...statuses: number[]) =>
  applyDecorators(...statuses.map((status) => ApiResponse({ status, ...problemResponse(status) })));
