let stopping = false;

/**
 * The service has begun to stop (main.ts, on SIGINT or SIGTERM). What fails from then on
 * fails because the service is going away, not because something needs mending: the pool is
 * closing and, from a terminal, Ctrl-C reaches the embedded PostgreSQL too, which starts its
 * own shutdown at once. Background jobs and listeners then log one warning without a stack.
 */
export function serviceStopping(): void {
  stopping = true;
}

export function isServiceStopping(): boolean {
  return stopping;
}
