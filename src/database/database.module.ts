import { DynamicModule, Global, Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { Db } from './db.service';

@Global()
@Module({})
export class DatabaseModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: DatabaseModule,
      providers: [Db, { provide: AppConfig, useValue: config }],
      exports: [Db, AppConfig],
    };
  }
}
