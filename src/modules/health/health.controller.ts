import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { TypeOrmHealthIndicator } from '@nestjs/terminus';
import type { Response } from 'express';
import { Public } from '../../common/auth/decorators';

@ApiTags('operations')
@Controller()
export class HealthController {
  constructor(private readonly typeorm: TypeOrmHealthIndicator) {}

  @Get('health')
  @Public()
  @ApiOperation({ summary: 'Liveness with a database check; no API key' })
  @ApiOkResponse({ schema: { example: { status: 'ok', db: 'up' } } })
  @ApiServiceUnavailableResponse({ schema: { example: { status: 'error', db: 'down' } } })
  async health(@Res({ passthrough: true }) res: Response) {
    try {
      await this.typeorm.pingCheck('db', { timeout: 2000 });
      return { status: 'ok', db: 'up' };
    } catch {
      res.status(503);
      return { status: 'error', db: 'down' };
    }
  }
}
