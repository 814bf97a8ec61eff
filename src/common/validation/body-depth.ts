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

/**
 * Far more fields and array items than any body the API defines (the largest, a project,
 * has about twenty). Each is validated, hashed for idempotency and, when unknown, named in
 * the answer: a megabyte of `{"k0":0,"k1":0,…}` held the event loop for seconds.
 */
export const MAX_BODY_MEMBERS = 1000;

/** Counts object fields and array items, all levels together; iterative, and stops at `max`. */
export function hasMoreMembersThan(value: unknown, max: number): boolean {
  const pending: unknown[] = [value];
  let members = 0;
  while (pending.length > 0) {
    const current = pending.pop();
    if (current === null || typeof current !== 'object') continue;
    const children = Array.isArray(current) ? current : Object.values(current);
    members += children.length;
    if (members > max) return true;
    for (const child of children) if (child !== null && typeof child === 'object') pending.push(child);
  }
  return false;
}
