import { counter, gauge } from '../../common/metrics/registry';

/**
 * Sealed audit entries the event feed's index has not filed yet (decision 0037), as the
 * index job last saw the log's head: a few at most a second after each write while it
 * keeps up. While it is behind, feeds scan the log past it; one that only grows means its
 * steps fail (`event_index_failures_total`, and the log line `the event index failed: …`).
 */
export const eventIndexBehind = gauge('event_index_behind_entries', 'Sealed audit entries the event feed index has not filed yet, as of the index job\'s last step');

/** Runs of the index job that stopped on an error; the next tick tries again from where the index ends. */
export const eventIndexFailures = counter('event_index_failures_total', 'Runs of the event feed index job that failed (retried at the next tick)');
