import { DataSource } from 'typeorm';
import type { AppConfig } from '../../../src/config/app-config';
import { dataSourceOptions } from '../../../src/database/data-source';
import { Db } from '../../../src/database/db.service';
import { createTestDatabase } from './test-database';

/**
 * The transaction helper on a database of its own, without Nest (whose ESM build jest
 * cannot load: a suite using this mocks `@nestjs/common`'s decorators as inert).
 */
export async function standaloneDb(poolSize: number, config?: Partial<AppConfig>): Promise<{ dataSource: DataSource; db: Db; close: () => Promise<void> }> {
  const database = await createTestDatabase();
  const dataSource = new DataSource(dataSourceOptions(database.url, { poolSize }));
  await dataSource.initialize();
  return {
    dataSource,
    db: new Db(dataSource, config as AppConfig | undefined),
    close: async () => {
      await dataSource.destroy();
      await database.drop();
    },
  };
}
