import { isUtf8 } from 'node:buffer';
import { DomainError, type FieldError } from '../errors/domain-error';

/**
 * JSON's `\uXXXX` escapes can spell half of a surrogate pair alone (`"\ud800x"`): valid
 * JSON, but no Unicode text. Stored, the half becomes U+FFFD in one column and a database
 * error in another, so such a string is refused wherever it sits, a field name included.
 */
export const ILL_FORMED_VALUE = 'must be well-formed Unicode (no lone surrogate such as \\ud800)';
export const ILL_FORMED_KEY = 'must not have a field name that is ill-formed Unicode (a lone surrogate such as \\ud800)';

/** More would only lengthen the answer: a client fixing its encoder needs a few examples. */
export const MAX_ILL_FORMED_REPORTED = 20;

/** ES2024's String.prototype.isWellFormed, which Node 20 has; the project's lib is ES2023. */
const isWellFormed = (s: string): boolean => (s as string & { isWellFormed(): boolean }).isWellFormed();

/**
 * Every string of a parsed JSON body that is not well-formed UTF-16, named by its path the
 * way validation names fields (`note`, `items[2].name`); a field name that is ill-formed
 * names the object holding it; the body itself is `body`. In document order, at most
 * MAX_ILL_FORMED_REPORTED. Iterative, so a hostile body cannot overflow the stack.
 */
export function illFormedStrings(body: unknown): FieldError[] {
  const found: FieldError[] = [];
  const pending: Array<{ value: unknown; path: string }> = [{ value: body, path: '' }];
  const named = (path: string) => path || 'body';
  while (pending.length > 0 && found.length < MAX_ILL_FORMED_REPORTED) {
    const { value, path } = pending.pop()!;
    if (typeof value === 'string') {
      if (!isWellFormed(value)) found.push({ field: named(path), message: ILL_FORMED_VALUE });
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    const children: Array<{ value: unknown; path: string }> = [];
    if (Array.isArray(value)) {
      value.forEach((item, i) => children.push({ value: item, path: `${named(path)}[${i}]` }));
    } else {
      const entries = Object.entries(value);
      if (entries.some(([key]) => !isWellFormed(key))) found.push({ field: named(path), message: ILL_FORMED_KEY });
      for (const [key, item] of entries) if (isWellFormed(key)) children.push({ value: item, path: path ? `${path}.${key}` : key });
    }
    // Pushed last child first, so that the first child is looked at next: document order.
    for (let i = children.length - 1; i >= 0; i--) pending.push(children[i]);
  }
  return found;
}

export const MALFORMED_UTF8 = 'must be well-formed UTF-8 (it holds a byte sequence that is not)';

/**
 * The JSON parser's `verify` hook, on the raw bytes: the decoder would put U+FFFD in place
 * of a byte sequence that is not UTF-8, so `"u\xff"` and `"u\xfe"` would both be stored as
 * `u�`, two bank references or names becoming one. Such a body is refused instead (400).
 */
export function refuseMalformedUtf8(_req: unknown, _res: unknown, body: Buffer): void {
  if (!isUtf8(body)) throw DomainError.validation([{ field: 'body', message: MALFORMED_UTF8 }]);
}
