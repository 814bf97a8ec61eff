import { histogram } from './registry';

/**
 * Where a write request spends its time, stage by stage (docs/performance-log.md, "Where a
 * write's time goes"): waiting for its turn to be handled (`admission`, decision 0030;
 * every request passes it), in its placement queue (`group_queue`, decisions 0026 and 0044), for a
 * turn at the database (`write_gate`, decision 0029), in its transaction from BEGIN to
 * COMMIT or ROLLBACK (`transaction`; a batch is one), and after the commit until it may
 * answer (`after_commit`: the hooks that follow a commit, such as a revoked key forgotten;
 * the audit sealing round is started there and not waited for, decision 0043). The sealing
 * rounds' own transactions are not counted.
 */
export type RequestStage = 'admission' | 'group_queue' | 'write_gate' | 'transaction' | 'after_commit';

const stages = histogram(
  'request_stage_seconds',
  'Time in each stage of a write: admission, group_queue, write_gate, transaction (BEGIN to COMMIT or ROLLBACK), after_commit (the hooks after a commit)',
  ['stage'],
  [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5],
);

/** Records the time since `startedAt` (a `performance.now()` reading) as spent in `stage`. */
export function stageEnded(stage: RequestStage, startedAt: number): void {
  stages.observe({ stage }, (performance.now() - startedAt) / 1000);
}
