// File discovery and checked reading for the CLI.
//
// Inputs are files, directories (searched recursively for *.md / *.markdown, skipping node_modules, .git and other
// dot-directories) and globs (`*` within a path segment, `**` across segments, `?` one character, `{a,b}`
// alternatives), expanded without a shell so that quoted globs work on every platform. Directory walks are
// iterative (no recursion depth limit) and sorted, so output order is stable.
import { promises as fsp } from 'node:fs';
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
          errors.push(`math-writeup: cannot read ${input}: ${reason(err)}`);
          continue;
        }
        if (files.length === before) errors.push(`math-writeup: no files match ${input}`);
        continue;
      }
      errors.push(`math-writeup: cannot read ${input}: ${reason(e)}`);
      continue;
    }
    if (st.isDirectory()) {
      try {
        await walk(abs, (rel) => {
          if (MARKDOWN_EXT.has(path.extname(rel).toLowerCase())) add(path.join(input, rel));
        });
      } catch (e) {
        errors.push(`math-writeup: cannot read ${input}: ${reason(e)}`);
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

export type ReadResult =
  | { ok: true; text: string; bom: boolean; bytes: number }
  | { ok: false; error: string };

/**
 * Read a file as UTF-8 text with the checks the CLI promises: refuse files over MAX_FILE_BYTES, binary files (a NUL
 * byte) and invalid UTF-8, each with one line naming the file. A leading byte-order mark is removed from `text`
 * (`bom` remembers it, so a fixed file is written back with it); offsets and columns are then counted as VS Code
 * counts them, which also hides the BOM.
 */
export async function readTextFile(file: string, cwd: string): Promise<ReadResult> {
  const abs = path.resolve(cwd, file);
  let handle;
  try {
    handle = await fsp.open(abs, 'r');
  } catch (e) {
    return { ok: false, error: `math-writeup: cannot read ${file}: ${reason(e)}` };
  }
  try {
    const st = await handle.stat();
    if (st.isDirectory()) return { ok: false, error: `math-writeup: cannot read ${file}: is a directory` };
    if (st.size > MAX_FILE_BYTES) {
      return {
        ok: false,
        error: `math-writeup: ${file}: refused, ${st.size} bytes is over the ${MAX_FILE_BYTES / 1024 / 1024} MB limit for one document`,
      };
    }
    const buf = await handle.readFile();
    if (buf.length > MAX_FILE_BYTES) {
      return { ok: false, error: `math-writeup: ${file}: refused, over the ${MAX_FILE_BYTES / 1024 / 1024} MB limit for one document` };
    }
    const nul = buf.indexOf(0);
    if (nul >= 0) return { ok: false, error: `math-writeup: ${file}: skipped, binary file (NUL byte at byte ${nul})` };
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(buf);
    } catch {
      const at = firstInvalidUtf8(buf);
      const line = countLines(buf, at);
      return { ok: false, error: `math-writeup: ${file}: skipped, not valid UTF-8 (byte ${at}, line ${line})` };
    }
    const bom = text.charCodeAt(0) === 0xfeff;
    return { ok: true, text: bom ? text.slice(1) : text, bom, bytes: buf.length };
  } catch (e) {
    return { ok: false, error: `math-writeup: cannot read ${file}: ${reason(e)}` };
  } finally {
    await handle.close();
  }
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

/**
 * Write `text` to `file` atomically: a temporary file in the same directory, given the original file's mode,
 * then renamed over it. Readers see the old or the new content, never a partial write.
 */
export async function writeFileAtomic(file: string, text: string, cwd: string): Promise<void> {
  const abs = path.resolve(cwd, file);
  const st = await fsp.stat(abs);
  const tmp = path.join(path.dirname(abs), `.${path.basename(abs)}.math-writeup-${process.pid}-${Date.now().toString(36)}.tmp`);
  try {
    await fsp.writeFile(tmp, text, { encoding: 'utf8', mode: st.mode & 0o7777, flag: 'wx' });
    await fsp.chmod(tmp, st.mode & 0o7777);
    await fsp.rename(tmp, abs);
  } catch (e) {
    await fsp.rm(tmp, { force: true });
    throw e;
  }
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
