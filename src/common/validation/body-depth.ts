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

/**
 * The same two bounds read off the raw bytes, before `JSON.parse` builds anything: a 1 KB
 * gzip body inflating to a megabyte of `[[[[…` or `[{},{},…]` cost the parser and the
 * walks above up to 400 ms each, answering only "too deep" at the end. One pass, no
 * allocation: depth counts `[` and `{` open outside strings; members are estimated by
 * commas and opened containers (a non-empty container has one more member than commas).
 * The estimate counts each empty container once more than the exact walk does, so a body
 * near the bound made mostly of `{}` or `[]` may be refused here that the walk would let
 * through to validation; no request the API defines comes near either.
 */
export function rawShapeProblem(body: Buffer, maxDepth = MAX_BODY_DEPTH, maxMembers = MAX_BODY_MEMBERS): string | null {
  let depth = 0;
  let members = 0;
  let inString = false;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (inString) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22 /* " */) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
      if (++depth > maxDepth) return `must not nest deeper than ${maxDepth} levels`;
      if (++members > maxMembers + maxDepth) return `must not hold more than ${maxMembers} fields and array items`;
    } else if (c === 0x5d /* ] */ || c === 0x7d /* } */) depth--;
    else if (c === 0x2c /* , */ && ++members > maxMembers + maxDepth) return `must not hold more than ${maxMembers} fields and array items`;
  }
  return null;
}
