import { LoggerService } from '@nestjs/common';
import pino, { Logger } from 'pino';
import pretty from 'pino-pretty';
import type { LogLevel } from '../../config/env.schema';

/**
 * Log lines are written in blocks of about this many bytes (a dozen request lines) rather
 * than one system call each, and at least every LOG_FLUSH_MS; on exit the rest is written at
 * once. A kill -9 loses at most that last fraction of a second of lines: the audit log,
 * not this one, is the record.
 */
const LOG_BUFFER_BYTES = 4096;
const LOG_FLUSH_MS = 200;

/**
 * JSON lines, one per event, for log collectors; on a terminal the same lines rendered for
 * a person (time, level, message, then the fields), so a developer running the service by
 * hand can read it. Piped or redirected output stays JSON.
 */
export const createRootLogger = (level: LogLevel, forPerson = process.stdout.isTTY === true): Logger => {
  const options = { level, base: { service: 'water-exchange' }, timestamp: pino.stdTimeFunctions.isoTime };
  if (!forPerson) return pino(options, pino.destination({ dest: 1, sync: false, minLength: LOG_BUFFER_BYTES, periodicFlush: LOG_FLUSH_MS }));
  return pino(options, pretty({ colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,service', singleLine: false, sync: true }));
};

/** Nest's own messages go through the same structured JSON logger as requests. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, context?: string) {
    this.logger.info({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string) {
    this.logger.error({ context, trace }, typeof message === 'string' ? message : JSON.stringify(message));
  }
  warn(message: unknown, context?: string) {
    this.logger.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string) {
    this.logger.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string) {
    this.logger.trace({ context }, String(message));
  }
}
