// File discovery and checked reading for the CLI.
//
// Inputs are files, directories (searched recursively for *.md / *.markdown, skipping node_modules, .git and other
// dot-directories) and globs (`*` within a path segment, `**` across segments, `?` one character, `{a,b}`
// alternatives), expanded without a shell so that quoted globs work on every platform. Directory walks are
// iterative (no recursion depth limit) and sorted, so output order is stable.
import fs, { promises as fsp } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import path from 'node:path';

/**
 * Largest file we lint: 50 MB. Linting holds the text, the markdown-it token stream (several times the text size)
 * and the findings in memory; at 50 MB that is already around a gigabyte, close to Node's default heap. A Markdown
 * writeup is a few hundred kilobytes, so anything this large is almost certainly a data dump or a mistake.
 */
export const MAX_FILE_BYTES = 50 * 1024 * 1024;

const MARKDOWN_EXT = new Set(['.md', '.markdown']);
const SKIP_DIRS = new Set(['node_modules', '.git']);

export interface ExpandResult {
  /** Paths as the user would recognise them: the input itself, or the input joined with the found relative path. */
  files: string[];
  /** One-line problems (missing input, glob matching nothing). */
  errors: string[];
}

function hasGlob(s: string): boolean {
  return /[*?{[]/.test(s);
}

function skipDir(name: string): boolean {
  return SKIP_DIRS.has(name) || name.startsWith('.');
}

/** Human reason for a Node file-system error. */
export function reason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT': return 'no such file or directory';
    case 'EACCES':
    case 'EPERM': return 'permission denied';
    case 'EISDIR': return 'is a directory';
    case 'ENOTDIR': return 'a component of the path is not a directory';
    case 'EMFILE':
    case 'ENFILE': return 'too many open files';
    case 'ELOOP': return 'too many symbolic links';
    default: return e instanceof Error ? e.message : String(e);
  }
}

/** Walk `root` iteratively, calling `visit` for every regular file (relative path with '/' separators). */
async function walk(root: string, visit: (rel: string) => void): Promise<void> {
  const stack: string[] = [''];
  while (stack.length > 0) {
    const rel = stack.pop() as string;
    const entries = await fsp.readdir(path.join(root, rel), { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? 1 : a.name > b.name ? -1 : 0)); // reversed: the stack pops in order
    const dirs: string[] = [];
    const files: string[] = [];
    for (const e of entries) {
      const r = rel === '' ? e.name : `${rel}/${e.name}`;
      if (e.isDirectory()) {
        if (!skipDir(e.name)) dirs.push(r);
      } else if (e.isFile()) files.push(r);
      else if (e.isSymbolicLink()) {
        // Follow links to files, not to directories (a link cycle would never end).
        const st = await fsp.stat(path.join(root, r)).catch(() => undefined);
        if (st?.isFile()) files.push(r);
      }
    }
    for (const f of files.reverse()) visit(f);
    for (const d of dirs) stack.push(d);
  }
}

/** Compile a glob (already split at '/') to a RegExp over '/'-separated relative paths. */
export function globToRegExp(pattern: string): RegExp {
  let re = '';
  let i = 0;
  let braces = 0;
  while (i < pattern.length) {
    const c = pattern[i];
    if (c === '*') {
      if (pattern[i + 1] === '*') {
        // `**/` matches zero or more whole segments; a trailing `**` matches the rest.
        if (pattern[i + 2] === '/') {
          re += '(?:[^/]*(?:/|$))*?';
          i += 3;
        } else {
          re += '.*';
          i += 2;
        }
        continue;
      }
      re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else if (c === '{') {
      braces++;
      re += '(?:';
    } else if (c === '}' && braces > 0) {
      braces--;
      re += ')';
    } else if (c === ',' && braces > 0) re += '|';
    else if (c === '[') {
      const close = pattern.indexOf(']', i + 1);
      if (close > i + 1) {
        const body = pattern.slice(i + 1, close).replace(/\\/g, '\\\\');
        re += `[${body.startsWith('!') ? '^' + body.slice(1) : body}]`;
        i = close + 1;
        continue;
      }
      re += '\\[';
    } else re += c.replace(/[.+^$()|\\\]]/g, '\\$&');
    i++;
  }
  return new RegExp(`^${re}$`);
}

/** Expand inputs into files. Missing inputs and globs without a match become errors; duplicates are removed. */
export async function expandInputs(inputs: readonly string[], cwd: string): Promise<ExpandResult> {
  const files: string[] = [];
  const errors: string[] = [];
  const seen = new Set<string>();
  const add = (shown: string): void => {
    const key = path.resolve(cwd, shown);
    if (!seen.has(key)) {
      seen.add(key);
      files.push(shown);
    }
  };
  for (const input of inputs) {
    const abs = path.resolve(cwd, input);
    let st;
    try {
      st = await fsp.stat(abs);
    } catch (e) {
      if (hasGlob(input)) {
        const before = files.length;
        try {
          await expandGlob(input, cwd, add);
        } catch (err) {
          errors.push(`math-writeup: cannot read ${escapeFileName(input)}: ${reason(err)}`);
          continue;
        }
        if (files.length === before) errors.push(`math-writeup: no files match ${escapeFileName(input)}`);
        continue;
      }
      errors.push(`math-writeup: cannot read ${escapeFileName(input)}: ${reason(e)}`);
      continue;
    }
    if (st.isDirectory()) {
      try {
        await walk(abs, (rel) => {
          if (MARKDOWN_EXT.has(path.extname(rel).toLowerCase())) add(path.join(input, rel));
        });
      } catch (e) {
        errors.push(`math-writeup: cannot read ${escapeFileName(input)}: ${reason(e)}`);
      }
    } else add(input);
  }
  return { files, errors };
}

async function expandGlob(input: string, cwd: string, add: (shown: string) => void): Promise<void> {
  const norm = input.split(path.sep).join('/');
  const segments = norm.split('/');
  const firstGlob = segments.findIndex(hasGlob);
  const baseSegs = segments.slice(0, firstGlob);
  const base = baseSegs.length === 0 ? '' : baseSegs.join('/') || '/';
  const re = globToRegExp(segments.slice(firstGlob).join('/'));
  const root = path.resolve(cwd, base === '' ? '.' : base);
  await walk(root, (rel) => {
    if (re.test(rel)) add(base === '' ? rel : path.join(base, rel));
  });
}

/** How a text file is stored, so that a rewritten file keeps it: encoding, byte-order mark and line endings. */
export interface TextFormat {
  encoding: 'utf-8' | 'utf-16le' | 'utf-16be';
  /** A leading byte-order mark (always true for UTF-16, which is only accepted with one). */
  bom: boolean;
  /** `crlf` when every line break is CRLF, `lf` when every one is LF, `mixed`, or `none` (a single line). */
  eol: 'lf' | 'crlf' | 'mixed' | 'none';
}

export type ReadResult =
  | {
      ok: true;
      /** The text, without its byte-order mark (offsets and columns are then counted as VS Code counts them). */
      text: string;
      bom: boolean;
      /** Bytes read from disk. */
      bytes: number;
      format: TextFormat;
      /** SHA-256 of the bytes read: a later write refuses to replace the file if its bytes changed meanwhile. */
      digest: string;
    }
  | { ok: false; error: string };

export interface ReadOptions {
  /** Size limit in bytes (default MAX_FILE_BYTES); tests use a small one. */
  maxBytes?: number;
}

/** What a non-regular file is, for the message that refuses it. */
function kindOf(st: { isDirectory(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean; isFIFO(): boolean; isSocket(): boolean }): string {
  if (st.isDirectory()) return 'is a directory';
  if (st.isCharacterDevice()) return 'refused, not a regular file (a character device)';
  if (st.isBlockDevice()) return 'refused, not a regular file (a block device)';
  if (st.isFIFO()) return 'refused, not a regular file (a named pipe)';
  if (st.isSocket()) return 'refused, not a regular file (a socket)';
  return 'refused, not a regular file';
}

function megabytes(n: number): string {
  return n % (1024 * 1024) === 0 ? `${n / 1024 / 1024} MB` : `${n} bytes`;
}

/**
 * Read a file as text with the checks the CLI promises, each failure one line naming the file:
 * - only regular files: directories, devices (also behind a symbolic link), named pipes and sockets are refused
 *   without opening them for reading (and the open itself never blocks);
 * - the size limit is enforced on the bytes actually read (at most limit + 1 are read), not on the reported size;
 * - UTF-8 (with or without a byte-order mark) and UTF-16 with a byte-order mark are read as text; a file without a
 *   BOM holding NUL bytes is refused as binary, invalid UTF-8 is reported with its byte offset and line.
 */
export async function readTextFile(file: string, cwd: string, opts: ReadOptions = {}): Promise<ReadResult> {
  const abs = path.resolve(cwd, file);
  const shown = escapeFileName(file);
  const limit = opts.maxBytes ?? MAX_FILE_BYTES;
  const fail = (what: string): ReadResult => ({ ok: false, error: `math-writeup: ${shown}: ${what}` });
  let pre;
  try {
    pre = await fsp.stat(abs);
  } catch (e) {
    return { ok: false, error: `math-writeup: cannot read ${shown}: ${reason(e)}` };
  }
  if (pre.isDirectory()) return { ok: false, error: `math-writeup: cannot read ${shown}: is a directory` };
  if (!pre.isFile()) return fail(kindOf(pre));
  let handle;
  try {
    // O_NONBLOCK: if the path was swapped for a named pipe after the stat, the open returns instead of waiting.
    handle = await fsp.open(abs, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
  } catch (e) {
    return { ok: false, error: `math-writeup: cannot read ${shown}: ${reason(e)}` };
  }
  try {
    const st = await handle.stat();
    if (st.isDirectory()) return { ok: false, error: `math-writeup: cannot read ${shown}: is a directory` };
    if (!st.isFile()) return fail(kindOf(st));
    if (st.size > limit) return fail(`refused, ${st.size} bytes is over the ${megabytes(limit)} limit for one document`);
    const buf = await readAtMost(handle, limit + 1, st.size);
    if (buf.length > limit) return fail(`refused, over the ${megabytes(limit)} limit for one document`);
    return decodeText(buf, fail);
  } catch (e) {
    return { ok: false, error: `math-writeup: cannot read ${shown}: ${reason(e)}` };
  } finally {
    await handle.close();
  }
}

/** Read up to `max` bytes (fewer at end of file), whatever size the file claims. */
async function readAtMost(handle: FileHandle, max: number, sizeHint: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  let want = Math.min(max, Math.max(sizeHint + 1, 64 * 1024));
  for (;;) {
    const chunk = Buffer.allocUnsafe(Math.min(want, max - total));
    if (chunk.length === 0) break;
    const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
    if (bytesRead === 0) break;
    chunks.push(bytesRead === chunk.length ? chunk : chunk.subarray(0, bytesRead));
    total += bytesRead;
    if (total >= max) break;
    want = 1024 * 1024;
  }
  return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, total);
}

function decodeText(buf: Buffer, fail: (what: string) => ReadResult): ReadResult {
  const digest = createHash('sha256').update(buf).digest('hex');
  let encoding: TextFormat['encoding'] = 'utf-8';
  if (buf.length >= 2 && buf[0] === 0xff && buf[1] === 0xfe) encoding = 'utf-16le';
  else if (buf.length >= 2 && buf[0] === 0xfe && buf[1] === 0xff) encoding = 'utf-16be';
  let text: string;
  let bom: boolean;
  if (encoding === 'utf-8') {
    const nul = buf.indexOf(0);
    if (nul >= 0) return fail(`skipped, binary file (NUL byte at byte ${nul})`);
    try {
      text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(buf);
    } catch {
      const at = firstInvalidUtf8(buf);
      return fail(`skipped, not valid UTF-8 (byte ${at}, line ${countLines(buf, at)})`);
    }
    bom = text.charCodeAt(0) === 0xfeff;
    if (bom) text = text.slice(1);
  } else {
    bom = true;
    const body = buf.subarray(2);
    const at = firstInvalidUtf16(body, encoding === 'utf-16be');
    if (at < body.length) return fail(`skipped, not valid ${encoding === 'utf-16be' ? 'UTF-16BE' : 'UTF-16LE'} (byte ${at + 2})`);
    text = encoding === 'utf-16le' ? body.toString('utf16le') : Buffer.from(body).swap16().toString('utf16le');
    const nul = text.indexOf('\0');
    if (nul >= 0) return fail(`skipped, binary file (NUL character at byte ${2 + 2 * nul})`);
  }
  return { ok: true, text, bom, bytes: buf.length, format: { encoding, bom, eol: lineEndings(text) }, digest };
}

/** Byte offset (in `b`) of the first code unit that is not part of well-formed UTF-16 (b.length if none). */
export function firstInvalidUtf16(b: Uint8Array, bigEndian: boolean): number {
  const n = b.length - (b.length % 2);
  const unit = (i: number): number => (bigEndian ? (b[i] << 8) | b[i + 1] : b[i] | (b[i + 1] << 8));
  for (let i = 0; i < n; i += 2) {
    const u = unit(i);
    if (u >= 0xd800 && u <= 0xdbff) {
      if (i + 2 >= n) return i;
      const v = unit(i + 2);
      if (v < 0xdc00 || v > 0xdfff) return i;
      i += 2;
    } else if (u >= 0xdc00 && u <= 0xdfff) return i;
  }
  return n;
}

/** Which line breaks `text` uses. */
export function lineEndings(text: string): TextFormat['eol'] {
  let crlf = 0;
  let lf = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
    if (i > 0 && text.charCodeAt(i - 1) === 13) crlf++;
    else lf++;
  }
  if (crlf === 0 && lf === 0) return 'none';
  return crlf === 0 ? 'lf' : lf === 0 ? 'crlf' : 'mixed';
}

/**
 * The bytes of `text` stored the way `format` says: in a CRLF file every line break the text gained as a lone LF
 * (a fix inserting a line) becomes CRLF; LF and mixed files are written as the text has them. BOM and encoding are
 * kept.
 */
export function encodeText(text: string, format: TextFormat): Buffer {
  const t = format.eol === 'crlf' ? text.replace(/\r?\n/g, '\r\n') : text;
  if (format.encoding === 'utf-8') return Buffer.from((format.bom ? '\ufeff' : '') + t, 'utf8');
  const le = Buffer.from('\ufeff' + t, 'utf16le');
  return format.encoding === 'utf-16le' ? le : le.swap16();
}

/**
 * A file name as text output shows it: control characters (a newline could forge an output line, an escape
 * sequence could repaint the terminal) as `\n`, `\t`, `\xHH` or `\uHHHH`. JSON output carries names verbatim.
 */
export function escapeFileName(name: string): string {
  // eslint-disable-next-line no-control-regex
  return name.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => {
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    if (c === '\t') return '\\t';
    const code = c.charCodeAt(0);
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

function countLines(buf: Uint8Array, end: number): number {
  let n = 1;
  for (let i = 0; i < end; i++) if (buf[i] === 10) n++;
  return n;
}

/** Offset of the first byte that does not belong to a well-formed UTF-8 sequence (buf.length if none). */
export function firstInvalidUtf8(buf: Uint8Array): number {
  let i = 0;
  while (i < buf.length) {
    const b = buf[i];
    let n: number;
    let min: number;
    if (b < 0x80) {
      i++;
      continue;
    } else if (b >= 0xc2 && b <= 0xdf) {
      n = 1;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      n = 2;
      min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
      n = 3;
      min = 0x10000;
    } else return i;
    let cp = b & (0x3f >> n);
    for (let k = 1; k <= n; k++) {
      const c = buf[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += n + 1;
  }
  return buf.length;
}

/** Run `fn` on every item with at most `limit` in flight; results keep the input order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
