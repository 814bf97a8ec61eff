import { DynamicModule, Global, Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { Clock } from '../common/clock';
import { Db } from './db.service';
import { ReferenceCache } from './reference-cache';

@Global()
@Module({})
export class DatabaseModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: DatabaseModule,
      providers: [Db, Clock, ReferenceCache, { provide: AppConfig, useValue: config }],
      exports: [Db, Clock, AppConfig, ReferenceCache],
    };
  }
}
