import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

const LOGGER = resolve(__dirname, '../../../src/common/logging/logger.ts');

interface Line {
  level: number;
  time?: number;
  msg: string;
  context?: string;
  trace?: string;
  params?: unknown[];
  err?: { type: string; message: string; stack: string };
  requestId?: string;
}

/**
 * The lines `calls` writes through Nest's Logger with the service's adapter in place, over a
 * pino logger on stdout. In a process of its own: Nest's packages are ES modules, which
 * node loads and jest's module system does not.
 */
function logged(calls: string): Line[] {
  const script = `
    const { Logger } = require('@nestjs/common');
    const pino = require('pino');
    const { PinoNestLogger } = require(${JSON.stringify(LOGGER)});
    const adapter = new PinoNestLogger(pino({ level: 'trace', base: null, timestamp: false }, pino.destination({ dest: 1, sync: true })));
    Logger.overrideLogger(adapter);
    ${calls}`;
  const out = execFileSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', script], { encoding: 'utf8' });
  return out.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Line);
}

describe("Nest's logger over the root logger", () => {
  it("takes pino's form through Nest's Logger: the fields in the line, the text as its message, the Logger's context", () => {
    const [line, ...more] = logged(`new Logger('AuditSignal').warn({ err: new Error('connection terminated') }, 'the audit notification connection dropped; reconnecting');`);
    expect(more).toEqual([]);
    expect(line).toMatchObject({ level: 40, context: 'AuditSignal', msg: 'the audit notification connection dropped; reconnecting' });
    expect(line.err).toMatchObject({ type: 'Error', message: 'connection terminated' });
    expect(line.err!.stack).toContain('connection terminated');
    expect(JSON.stringify(line)).not.toContain('[object Object]');
  });

  it("takes Nest's form: the message, an error's stack as its trace, the context last", () => {
    expect(logged(`
      new Logger('Jobs').error('fee sweep failed', 'Error: boom\\n    at sweep');
      new Logger('Jobs').error('auction close failed');
      Logger.log('Nest application successfully started', 'NestApplication');
    `)).toEqual([
      { level: 50, context: 'Jobs', msg: 'fee sweep failed', trace: 'Error: boom\n    at sweep' },
      { level: 50, context: 'Jobs', msg: 'auction close failed' },
      { level: 30, context: 'NestApplication', msg: 'Nest application successfully started' },
    ]);
  });

  it('logs an Error given as the message with its message and stack, and each level as its own', () => {
    const lines = logged(`
      adapter.log(new Error('unexpected'), 'Problem');
      adapter.debug('d', 'C');
      adapter.verbose('v', 'C');
      adapter.fatal('f', 'C');
    `);
    expect(lines[0]).toMatchObject({ level: 30, context: 'Problem', msg: 'unexpected', err: { type: 'Error', message: 'unexpected' } });
    expect(lines.slice(1).map((l) => [l.level, l.msg, l.context])).toEqual([[20, 'd', 'C'], [10, 'v', 'C'], [60, 'f', 'C']]);
  });

  it("keeps a 500's fields (the request id, the error) as the problem filter writes them", () => {
    const [line] = logged(`
      const err = new TypeError("Cannot read properties of undefined (reading 'id')");
      new Logger('Problem').error({ err, requestId: 'r-1' }, err.message);
    `);
    expect(line).toMatchObject({ level: 50, context: 'Problem', requestId: 'r-1', msg: "Cannot read properties of undefined (reading 'id')", err: { type: 'TypeError' } });
    expect(line.err!.stack).toContain('TypeError');
    expect(line.trace).toBeUndefined();
    expect(line.params).toBeUndefined();
  });
});
