import 'reflect-metadata';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import type { Server } from 'node:http';
import { AppConfig } from './config/app-config';
import { envOrExit } from './config/env.schema';
import { StartRefused } from './config/start-refused';
import { bootstrapOperator, createApp } from './configure-app';
import { serviceStopping } from './common/service-stopping';
import { createRootLogger } from './common/logging/logger';
import { runMigrations } from './database/data-source';
import { resolveDatabase } from './database/resolve-database';

/** How long a stopping service lets its open requests finish before it cuts their connections. */
const SHUTDOWN_GRACE_MS = 10_000;

async function main(): Promise<void> {
  const env = envOrExit(process.env);
  const logger = createRootLogger(env.LOG_LEVEL);
  const { url, embedded } = await resolveDatabase(env, (m) => logger.info(m));

  let closing = false;
  const shutdown = async (signal: string, app?: NestExpressApplication) => {
    if (closing) return;
    closing = true;
    serviceStopping();
    logger.info({ signal }, 'shutting down');
    if (app) {
      // Closing the server waits for every connection to end, and a client that keeps its
      // keep-alive connection busy never lets it: from now on each answer closes its
      // connection, idle ones close at once, and whatever is still open after the grace
      // period is cut, so the process stops however its clients behave.
      const server = app.getHttpServer() as Server;
      server.closeIdleConnections();
      setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS).unref();
    }
    await app?.close().catch((err) => logger.error({ err }, 'error while closing'));
    await embedded?.stop().catch((err) => logger.error({ err }, 'error stopping embedded PostgreSQL'));
    process.exit(0);
  };

  const applied = await runMigrations(url);
  if (applied.length) logger.info({ applied }, 'applied migrations');

  const config = AppConfig.from(env, url);
  const app = await createApp(config, logger);
  app.use((_req: Request, res: Response, next: NextFunction) => {
    if (closing) res.setHeader('Connection', 'close');
    next();
  });
  // Our handler stops the embedded server after Nest has closed its pool.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.removeAllListeners(signal);
    process.on(signal, () => void shutdown(signal, app));
  }
  await app.init();
  await bootstrapOperator(app, config.adminApiKey);
  await app.listen(config.port);
  const port = (app.getHttpServer().address() as { port: number }).port;
  logger.info({ port, docs: `http://localhost:${port}/docs` }, 'water-rights exchange listening');
}

main().catch((err: unknown) => {
  const told = err instanceof StartRefused ? err.message : err instanceof Error ? err.stack : String(err);
  process.stderr.write(`Failed to start: ${told}\n`);
  process.exit(1);
});
