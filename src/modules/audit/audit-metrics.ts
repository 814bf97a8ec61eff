import { counter, gauge } from '../../common/metrics/registry';

/** The most staged transactions the interval's look counts: past it, the figure says "at least". */
export const UNSEALED_COUNT_CAP = 100_000;

/**
 * Committed transactions whose audit entries are not chained yet, as the sealer's
 * once-a-second look counted them (at most UNSEALED_COUNT_CAP). Normally 0, or the few
 * writes of the moment that have committed and wait for their seal. The database's figure,
 * so every instance on it reports the same.
 */
export const auditUnsealed = gauge('audit_unsealed_transactions', 'Committed transactions whose audit entries wait to be chained (counted once a second, capped at 100000)');

/** Sealing rounds that failed; each leaves its entries staged for the next round. */
export const auditSealFailures = counter('audit_seal_failures_total', 'Audit sealing rounds that failed (their entries stay staged and the next round retries)');
