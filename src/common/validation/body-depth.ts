/**
 * Far deeper than any body the API defines. Validation, the NUL check and the
 * idempotency hash all recurse, so a body nested thousands deep would overflow the
 * stack (a 500) instead of being refused.
 */
export const MAX_BODY_DEPTH = 32;

/** Iterative, so that measuring a hostile body cannot overflow the stack itself. */
export function nestsDeeperThan(value: unknown, maxDepth: number): boolean {
  const pending: Array<{ value: unknown; depth: number }> = [{ value, depth: 1 }];
  while (pending.length > 0) {
    const { value: current, depth } = pending.pop()!;
    if (current === null || typeof current !== 'object') continue;
    if (depth > maxDepth) return true;
    for (const child of Object.values(current)) pending.push({ value: child, depth: depth + 1 });
  }
  return false;
}
