import { Controller, Get, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { PrometheusController } from '@willsoto/nestjs-prometheus';
import type { Response } from 'express';
import { Public } from '../../common/auth/decorators';

/** Prometheus text format, no API key: serve it on an internal network in production. */
@ApiExcludeController()
@Controller()
export class MetricsController extends PrometheusController {
  @Get()
  @Public()
  override async index(@Res({ passthrough: true }) response: Response) {
    return super.index(response);
  }
}
