/**
 * JSON lets an object name a field twice (RFC 8259: names "SHOULD be unique") and leaves
 * what it means to the parser: `JSON.parse` keeps the last value, other parsers the first.
 * A gateway that checked `{"price":"1","price":"9"}` one way would pass the service a body
 * it reads the other way. The idempotency hash's canonical JSON (RFC 8785) is defined on
 * I-JSON (RFC 7493), whose names MUST be unique. So such a body is refused (400), naming
 * the repeated field.
 */
export const REPEATED_FIELD = 'is given more than once in its object (field names must be unique)';

interface Frame {
  readonly object: boolean;
  readonly path: string;
  /** Objects: the names seen so far, whether the next string is a name, and the last name. */
  names?: Set<string>;
  expectName: boolean;
  lastName: string;
  /** Arrays: the index of the current item. */
  index: number;
}

const childPath = (parent: Frame | undefined): string => {
  if (!parent) return '';
  if (!parent.object) return `${parent.path || 'body'}[${parent.index}]`;
  return parent.path ? `${parent.path}.${parent.lastName}` : parent.lastName;
};

/**
 * The path of the first field named twice in one object (`price`, `terms.serviceShare`,
 * `items[2].name`), or null. Read off the raw bytes in one pass, run after the depth and
 * width bounds (body-depth.ts), so the stack and the sets stay small. Names are compared as
 * decoded (`"a"` and `"\u0061"` are one name). Bytes that are not JSON give null: the
 * parser refuses them with its own message.
 */
export function repeatedFieldPath(body: Buffer): string | null {
  const stack: Frame[] = [];
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    const top = stack[stack.length - 1];
    if (c === 0x22 /* " */) {
      const start = i;
      let escaped = false;
      for (i++; i < body.length && body[i] !== 0x22; i++) {
        if (body[i] === 0x5c /* \ */) {
          escaped = true;
          i++;
        }
      }
      if (i >= body.length) return null;
      if (!top?.object || !top.expectName) continue;
      const name = decodeName(body, start, i, escaped);
      if (name === null) return null;
      top.names ??= new Set();
      if (top.names.has(name)) return top.path ? `${top.path}.${name}` : name;
      top.names.add(name);
      top.lastName = name;
      top.expectName = false;
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      stack.push({ object: c === 0x7b, path: childPath(top), expectName: c === 0x7b, lastName: '', index: 0 });
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      stack.pop();
    } else if (c === 0x2c /* , */ && top) {
      if (top.object) top.expectName = true;
      else top.index++;
    }
  }
  return null;
}

function decodeName(body: Buffer, start: number, end: number, escaped: boolean): string | null {
  if (!escaped) return body.toString('utf8', start + 1, end);
  try {
    const decoded: unknown = JSON.parse(body.toString('utf8', start, end + 1));
    return typeof decoded === 'string' ? decoded : null;
  } catch {
    return null;
  }
}
