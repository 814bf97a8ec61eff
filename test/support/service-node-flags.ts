import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const root = resolve(__dirname, '../..');

/** The tokens of a command line that are node's own options (those before the entry point). */
function optionsOf(command: string): string[] {
  return command.split(/\s+/).filter((token) => token.startsWith('--'));
}

/**
 * Node's options for the service, as `npm run start:prod` gives them (package.json is their
 * one home; `nest-cli.json`'s `exec`, used by `npm start`, repeats them and a unit test
 * keeps the two alike). The tests, the crash suite and the benchmarks start the service
 * with them, so they run it as production does.
 */
export function serviceNodeFlags(): string[] {
  const pkg = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  return optionsOf(pkg.scripts['start:prod']);
}

/** Node's options `npm start` runs the service with (`exec` in nest-cli.json). */
export function nestStartNodeFlags(): string[] {
  const cli = JSON.parse(readFileSync(resolve(root, 'nest-cli.json'), 'utf8')) as { exec?: string };
  return optionsOf(cli.exec ?? 'node');
}
