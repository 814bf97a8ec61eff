import { ApiEnum } from '../../common/openapi/view-props';

export class HealthView {
  @ApiEnum(['ok', 'error'], { example: 'ok' }) status: 'ok' | 'error';
  @ApiEnum(['up', 'down'], { example: 'up', description: 'the database' }) db: 'up' | 'down';
}
