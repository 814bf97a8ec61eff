import { DynamicModule, Global, Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { Clock } from '../common/clock';
import { Db } from './db.service';

@Global()
@Module({})
export class DatabaseModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: DatabaseModule,
      providers: [Db, Clock, { provide: AppConfig, useValue: config }],
      exports: [Db, Clock, AppConfig],
    };
  }
}
