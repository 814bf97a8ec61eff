import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = resolve(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/**
 * The entry point of `npm run build` (dist/src/main.js), rebuilt first when any file under
 * src/ or migrations/ is newer than it: the benchmarks measure the service as deployed.
 */
export function builtService(log: (line: string) => void = () => undefined): string {
  const main = resolve(ROOT, 'dist/src/main.js');
  const sources = Math.max(newestSource(resolve(ROOT, 'src')), newestSource(resolve(ROOT, 'migrations')), statSync(resolve(ROOT, 'package-lock.json')).mtimeMs);
  if (existsSync(main) && statSync(main).mtimeMs >= sources) {
    log(`using the existing build ${main}`);
    return main;
  }
  log('building the service (npm run build)');
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  return main;
}
