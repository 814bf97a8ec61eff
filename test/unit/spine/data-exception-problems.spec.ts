import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

const PROBLEM = resolve(__dirname, '../../../src/common/errors/problem.ts');

/**
 * The problem a QueryFailedError of each SQLSTATE becomes. In a process of its own:
 * problem.ts imports Nest's packages, ES modules that node loads and jest's module system
 * does not.
 */
function problemsFor(sqlStates: string[]): Record<string, unknown> {
  const script = `
    const { QueryFailedError } = require('typeorm');
    const { toProblem } = require(${JSON.stringify(PROBLEM)});
    const refused = (code) => new QueryFailedError('INSERT …', [], Object.assign(new Error('refused'), { code }));
    const codes = ${JSON.stringify(sqlStates)};
    process.stdout.write(JSON.stringify(Object.fromEntries(codes.map((code) => [code, toProblem(refused(code))]))));`;
  return JSON.parse(execFileSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', script], { encoding: 'utf8' }));
}

// PostgreSQL refusing a client's value (class 22) is a 400; a number past its column says so.
describe('a value PostgreSQL refuses', () => {
  const OTHERS = ['22P02', '22007', '22008'];
  let problems: Record<string, unknown>;
  beforeAll(() => {
    problems = problemsFor(['22003', ...OTHERS]);
  });

  it('is out of the range the exchange can store when a number overflows its column (22003)', () => {
    expect(problems['22003']).toMatchObject({
      status: 400,
      code: 'VALIDATION_FAILED',
      detail: 'A value in the request is out of the range the exchange can store',
      errors: [{ field: 'request', message: 'out of range' }],
    });
  });

  it.each(OTHERS)('is not valid for its type for any other data exception (%s)', (sqlState) => {
    expect(problems[sqlState]).toMatchObject({
      status: 400,
      code: 'VALIDATION_FAILED',
      detail: 'A value in the request is not valid for its type',
      errors: [{ field: 'request', message: 'invalid value' }],
    });
  });
});
