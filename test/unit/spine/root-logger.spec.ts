import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

const LOGGER = resolve(__dirname, '../../../src/common/logging/logger.ts');

/** A process that logs through the service's root logger (JSON, not for a person), then runs `then`. */
function logger(lines: number, then: string) {
  const script = `
    const { createRootLogger } = require(${JSON.stringify(LOGGER)});
    const log = createRootLogger('info', false);
    for (let i = 0; i < ${lines}; i++) log.info({ i }, 'line');
    ${then}`;
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  // Whole lines only: a read may end inside one.
  const logged = () => out.split('\n').slice(0, -1).map((l) => JSON.parse(l) as { i: number; msg: string });
  const exited = new Promise<number | null>((ok) => child.on('close', (code) => ok(code)));
  return { child, logged, exited };
}

describe('the root logger', () => {
  it('writes every line before the process exits, however few', async () => {
    const run = logger(40, 'process.exit(0)');
    expect(await run.exited).toBe(0);
    expect(run.logged().map((l) => l.i)).toEqual([...Array(40).keys()]);
  });

  it('writes every line before the process dies of an uncaught error', async () => {
    const run = logger(3, `setImmediate(() => { throw new Error('boom'); })`);
    expect(await run.exited).toBe(1);
    expect(run.logged().map((l) => l.i)).toEqual([0, 1, 2]);
  });

  it('writes lines short of a block while the process runs on, without waiting for more', async () => {
    const run = logger(2, 'setTimeout(() => undefined, 30000)');
    try {
      const deadline = Date.now() + 5000;
      while (run.logged().length < 2 && Date.now() < deadline) await new Promise((ok) => setTimeout(ok, 50));
      expect(run.logged().map((l) => l.msg)).toEqual(['line', 'line']);
    } finally {
      run.child.kill('SIGKILL');
      await run.exited;
    }
  });
});
