// `JSON.stringify(value, null, 2) + '\n'` produced in pieces (one per element of the outer arrays and objects), so the
// JSON output of a large writeup (a 50 MB file's scan is about 190 MB of JSON) is never built as one string. Each
// piece is written as it comes (`writePieces` gathers them into writes of about a megabyte).
import type { CliIO } from '../io';

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  if (typeof (v as { toJSON?: unknown }).toJSON === 'function') return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

/** What JSON.stringify leaves out of an object (and writes as null in an array). */
const omitted = (v: unknown): boolean => v === undefined || typeof v === 'function' || typeof v === 'symbol';

function* pieces(value: unknown, indent: string, levels: number): Generator<string> {
  if (levels > 0 && Array.isArray(value)) {
    if (value.length === 0) {
      yield '[]';
      return;
    }
    const inner = indent + '  ';
    for (let i = 0; i < value.length; i++) {
      yield (i === 0 ? '[\n' : ',\n') + inner;
      const v: unknown = value[i];
      if (omitted(v)) yield 'null';
      else yield* pieces(v, inner, levels - 1);
    }
    yield '\n' + indent + ']';
    return;
  }
  if (levels > 0 && isPlainObject(value)) {
    const keys = Object.keys(value).filter((k) => !omitted(value[k]));
    if (keys.length === 0) {
      yield '{}';
      return;
    }
    const inner = indent + '  ';
    for (let i = 0; i < keys.length; i++) {
      yield `${i === 0 ? '{\n' : ',\n'}${inner}${JSON.stringify(keys[i])}: `;
      yield* pieces(value[keys[i]], inner, levels - 1);
    }
    yield '\n' + indent + '}';
    return;
  }
  // Newlines inside strings are escaped by JSON.stringify, so every newline here is layout.
  // (Only a top-level value can stringify to undefined; `JSON.stringify(v) + '\n'` prints it as "undefined".)
  const s = JSON.stringify(value, null, 2) as string | undefined;
  if (s === undefined) yield 'undefined';
  else yield indent === '' ? s : s.replace(/\n/g, '\n' + indent);
}

/** `JSON.stringify(value, null, 2) + '\n'`, the same characters, in pieces down to `levels` levels of nesting. */
export function* prettyJsonPieces(value: unknown, levels = 3): Generator<string> {
  yield* pieces(value, '', levels);
  yield '\n';
}

/** Write `parts` to standard output in writes of about a megabyte. */
export function writePieces(io: CliIO, parts: Iterable<string>): void {
  let pending: string[] = [];
  let size = 0;
  for (const piece of parts) {
    pending.push(piece);
    size += piece.length;
    if (size >= 1 << 20) {
      io.stdout(pending.join(''));
      pending = [];
      size = 0;
    }
  }
  if (size > 0) io.stdout(pending.join(''));
}
