import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { PrometheusController } from '@willsoto/nestjs-prometheus';
import type { Response } from 'express';
import { Public } from '../../common/auth/decorators';
import { TAGS } from '../../common/openapi/tags';

/** Prometheus text format, no API key: serve it on an internal network in production. */
@ApiTags(TAGS.operations.name)
@Controller()
export class MetricsController extends PrometheusController {
  @Get()
  @Public()
  @ApiOperation({ summary: 'Prometheus metrics: HTTP latency by method, route and status, plus process metrics; no API key' })
  @ApiProduces('text/plain')
  @ApiOkResponse({
    description: 'Prometheus text exposition format',
    content: { 'text/plain': { schema: { type: 'string', example: 'http_request_duration_seconds_count{method="GET",route="/v1/participants/me",status="200"} 1' } } },
  })
  override async index(@Res({ passthrough: true }) response: Response) {
    return super.index(response);
  }
}
