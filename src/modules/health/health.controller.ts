import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { TypeOrmHealthIndicator } from '@nestjs/terminus';
import type { Response } from 'express';
import { Public } from '../../common/auth/decorators';
import { HealthView } from './health.dto';
import { TAGS } from '../../common/openapi/tags';

@ApiTags(TAGS.operations.name)
@Controller()
export class HealthController {
  constructor(private readonly typeorm: TypeOrmHealthIndicator) {}

  @Get('health')
  @Public()
  @ApiOperation({ summary: 'Liveness with a database check; no API key' })
  @ApiOkResponse({ type: HealthView, description: 'The service and its database are up' })
  @ApiServiceUnavailableResponse({ type: HealthView, description: 'The database is down: `{ "status": "error", "db": "down" }`' })
  async health(@Res({ passthrough: true }) res: Response): Promise<HealthView> {
    // Terminus 12 reports a failed ping as a `down` result rather than by throwing.
    const result = await Promise.resolve(this.typeorm.pingCheck('db', { timeout: 2000 })).catch(() => null);
    if (result?.db?.status === 'up') return { status: 'ok', db: 'up' };
    res.status(503);
    return { status: 'error', db: 'down' };
  }
}
