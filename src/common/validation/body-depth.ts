/**
 * Far deeper than any body the API defines. Validation, the NUL check and the
 * idempotency hash all recurse, so a body nested thousands deep would overflow the
 * stack (a 500) instead of being refused.
 */
export const MAX_BODY_DEPTH = 32;

/**
 * Far more fields and array items than any body the API defines (the largest, a project,
 * has about twenty). Each is validated, hashed for idempotency and, when unknown, named in
 * the answer: a megabyte of `{"k0":0,"k1":0,…}` held the event loop for seconds.
 */
export const MAX_BODY_MEMBERS = 1000;

/**
 * Both bounds read off the raw bytes, before `JSON.parse` builds anything: a 1 KB gzip
 * body inflating to a megabyte of `[[[[…` or `[{},{},…]` cost the parser and the walks
 * after it up to 400 ms, answering only "too deep" at the end. One pass, no allocation:
 * depth counts `[` and `{` open outside strings, exactly as the levels of the parsed value;
 * members are counted as commas plus opened containers (a non-empty container has one
 * more member than commas), which counts each empty container once more than it holds, so
 * a body made of hundreds of `{}` is refused a little early; no request the API defines
 * comes near either bound.
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
      if (++members > maxMembers) return `must not hold more than ${maxMembers} fields and array items`;
    } else if (c === 0x5d /* ] */ || c === 0x7d /* } */) depth--;
    else if (c === 0x2c /* , */ && ++members > maxMembers) return `must not hold more than ${maxMembers} fields and array items`;
  }
  return null;
}
