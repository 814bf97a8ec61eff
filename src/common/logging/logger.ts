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

type Level = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';

/**
 * Nest's own messages, and those the service writes through Nest's `Logger`, go through the
 * same structured JSON logger as requests, one line each with `context`, fields and `msg`.
 * Nest calls `method(message, ...params)` with the Logger's context last (and, for
 * `error`, a stack or `undefined` before it). The service's code also writes pino's form,
 * the fields first and the message after (`logger.warn({ err }, 'text')`): the fields then
 * go into the line, where `String()` would have made them "[object Object]".
 */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, ...params: unknown[]) {
    this.write('info', message, params);
  }
  error(message: unknown, ...params: unknown[]) {
    this.write('error', message, params);
  }
  warn(message: unknown, ...params: unknown[]) {
    this.write('warn', message, params);
  }
  debug(message: unknown, ...params: unknown[]) {
    this.write('debug', message, params);
  }
  verbose(message: unknown, ...params: unknown[]) {
    this.write('trace', message, params);
  }
  fatal(message: unknown, ...params: unknown[]) {
    this.write('fatal', message, params);
  }

  private write(level: Level, message: unknown, params: unknown[]): void {
    const rest = params.filter((p) => p !== undefined);
    const context = rest.length > 0 && typeof rest[rest.length - 1] === 'string' ? (rest.pop() as string) : undefined;
    const fields: Record<string, unknown> = { context };
    let msg: string;
    if (message instanceof Error) {
      fields.err = message;
      msg = message.message;
    } else if (message !== null && typeof message === 'object') {
      Object.assign(fields, message);
      msg = typeof rest[0] === 'string' ? (rest.shift() as string) : '';
    } else {
      msg = String(message);
    }
    if (level === 'error' && typeof rest[0] === 'string') fields.trace = rest.shift();
    if (rest.length > 0) fields.params = rest;
    this.logger[level](fields, msg);
  }
}
