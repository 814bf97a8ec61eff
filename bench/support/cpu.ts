import { existsSync, readFileSync } from 'node:fs';
import { withClient } from '../../test/support/postgres';

/** Linux's USER_HZ: /proc reports CPU time in these ticks (100 on every mainstream kernel). */
const TICKS_PER_SECOND = 100;

/** User and system (kernel) CPU of one process in milliseconds, or null when it is not on this machine. */
function processTimes(pid: number): { user: number; system: number } | null {
  const path = `/proc/${pid}/stat`;
  if (!existsSync(path)) return null;
  // Fields after the command name, which sits in parentheses and may hold spaces.
  const fields = readFileSync(path, 'utf8').split(') ')[1].split(' ');
  return { user: (Number(fields[11]) * 1000) / TICKS_PER_SECOND, system: (Number(fields[12]) * 1000) / TICKS_PER_SECOND };
}

/** User plus system CPU of one process in milliseconds, or null when it is not on this machine. */
export function processCpuMs(pid: number): number | null {
  const t = processTimes(pid);
  return t === null ? null : t.user + t.system;
}

/** The machine's CPU ticks so far, all cores together: idle (iowait included) and in all; null off Linux. */
function machineTicks(): { idle: number; total: number } | null {
  if (!existsSync('/proc/stat')) return null;
  // The first line sums every core: user nice system idle iowait irq softirq steal (guest time is inside user).
  const ticks = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1, 9).map(Number);
  return { idle: ticks[3] + ticks[4], total: ticks.reduce((a, b) => a + b, 0) };
}

const servicesCpuMs = (pids: readonly number[]) => pids.reduce((sum, pid) => sum + (processCpuMs(pid) ?? 0), 0);
const servicesSystemMs = (pids: readonly number[]) => pids.reduce((sum, pid) => sum + (processTimes(pid)?.system ?? 0), 0);

/** CPU so far of a database's backends, by pid (none when the server is not on this machine). */
export async function backendsCpuMs(databaseUrl: string): Promise<Map<number, number>> {
  const name = decodeURIComponent(new URL(databaseUrl).pathname.slice(1));
  const pids = await withClient(databaseUrl, (c) => c.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name]));
  const cpu = new Map<number, number>();
  for (const { pid } of pids.rows) {
    const ms = processCpuMs(pid);
    if (ms !== null) cpu.set(pid, ms);
  }
  return cpu;
}

/**
 * Where a load spent CPU: the service process and the database's backends, between two
 * readings. Throughput moves with whatever else the machine runs; CPU per order moves far
 * less, so it is the figure to compare across runs (docs/performance.md).
 */
export class CpuMeter {
  private constructor(
    private readonly servicePids: readonly number[],
    private readonly databaseUrl: string,
    private readonly service0: number,
    private readonly serviceSystem0: number,
    private readonly backends0: Map<number, number>,
    private readonly generator0: NodeJS.CpuUsage = process.cpuUsage(),
    private readonly machine0 = machineTicks(),
  ) {}

  /** `servicePids`: the service's processes (one per instance), counted together. */
  static async start(servicePids: readonly number[], databaseUrl: string): Promise<CpuMeter> {
    return new CpuMeter(servicePids, databaseUrl, servicesCpuMs(servicePids), servicesSystemMs(servicePids), await backendsCpuMs(databaseUrl));
  }

  /**
   * Also the load generator's own CPU (this process), which shares the machine's cores with
   * the two, and the share of the machine's CPU left idle (null off Linux): a load that
   * leaves much of it idle is bound by waiting, not by CPU.
   */
  async read(): Promise<{ serviceMs: number; serviceSystemMs: number; databaseMs: number; generatorMs: number; machineIdle: number | null }> {
    const generator = process.cpuUsage(this.generator0);
    const machine = machineTicks();
    const machineIdle = machine && this.machine0 && machine.total > this.machine0.total
      ? (machine.idle - this.machine0.idle) / (machine.total - this.machine0.total)
      : null;
    const serviceMs = servicesCpuMs(this.servicePids) - this.service0;
    const serviceSystemMs = servicesSystemMs(this.servicePids) - this.serviceSystem0;
    let databaseMs = 0;
    for (const [pid, ms] of await backendsCpuMs(this.databaseUrl)) databaseMs += ms - (this.backends0.get(pid) ?? 0);
    return { serviceMs, serviceSystemMs, databaseMs, generatorMs: (generator.user + generator.system) / 1000, machineIdle };
  }
}
