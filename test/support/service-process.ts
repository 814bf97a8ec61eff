import { ChildProcess, spawn } from 'node:child_process';
import { serviceNodeFlags } from './service-node-flags';

/** The line the service logs once it accepts requests; it carries the port it bound. */
const LISTENING = /"port":(\d+)[^\n]*"msg":"water-rights exchange listening"/;

export interface ServiceProcess {
  baseUrl: string;
  port: number;
  process: ChildProcess;
  /** The tail of what the service printed (request logs of a long run would otherwise pile up). */
  logs: () => string;
  running: () => boolean;
  /** Resolves once the process has exited, however it ended. */
  exited: Promise<void>;
  /** kill -9: no shutdown hook runs, in-flight transactions die with their connections. */
  kill: () => Promise<void>;
  /** SIGTERM: Nest closes its pool first. */
  stop: () => Promise<void>;
}

export interface ServiceProcessOptions {
  /** The built entry point (`…/src/main.js`). */
  main: string;
  /** The service's whole environment besides PATH. */
  env: Record<string, string>;
  /** Options for node itself besides those production starts it with (e.g. `--cpu-prof`, which NODE_OPTIONS may not carry). */
  nodeArgs?: string[];
  startTimeoutMs?: number;
  logTailChars?: number;
}

/**
 * Starts the built service in a child process, as in production, and resolves once it
 * listens. The tests, the crash suite and the benchmarks all start it this way, so what
 * they measure or kill is the real process.
 */
export async function startServiceProcess(options: ServiceProcessOptions): Promise<ServiceProcess> {
  const timeoutMs = options.startTimeoutMs ?? 30000;
  const tail = options.logTailChars ?? 200_000;
  const child = spawn(process.execPath, ['--no-warnings', ...serviceNodeFlags(), ...(options.nodeArgs ?? []), options.main], {
    env: { PATH: process.env.PATH ?? '', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // The tail is kept as chunks and cut only once it has grown to twice its size: a long run
  // logs a line per request, and copying the whole tail for each would cost the process
  // driving the load more than its requests do.
  const chunks: string[] = [];
  let kept = 0;
  const output = () => chunks.join('').slice(-tail);
  const keep = (chunk: Buffer) => {
    const text = chunk.toString();
    chunks.push(text);
    kept += text.length;
    if (kept > 2 * tail) {
      const rest = output();
      chunks.splice(0, chunks.length, rest);
      kept = rest.length;
    }
  };
  const exited = new Promise<void>((ok) => child.once('exit', () => ok()));
  const port = await new Promise<number>((ok, fail) => {
    const timer = setTimeout(() => {
      // A service that never said it listens must not outlive the caller's attempt.
      child.kill('SIGKILL');
      fail(new Error(`service did not start in ${timeoutMs / 1000} s:\n${output()}`));
    }, timeoutMs);
    let listening = false;
    const onData = (chunk: Buffer) => {
      keep(chunk);
      if (listening) return;
      const m = LISTENING.exec(output());
      if (m) {
        listening = true;
        clearTimeout(timer);
        ok(Number(m[1]));
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      fail(new Error(`service exited (${code ?? signal}) before listening:\n${output()}`));
    });
  });
  const running = () => child.exitCode === null && child.signalCode === null;
  const signal = (name: NodeJS.Signals) => async () => {
    if (running()) child.kill(name);
    await exited;
  };
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    port,
    process: child,
    logs: output,
    running,
    exited,
    kill: signal('SIGKILL'),
    stop: signal('SIGTERM'),
  };
}
