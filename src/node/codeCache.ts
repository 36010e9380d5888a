// Loading a CommonJS bundle (dist/cli.js, the CLI's MathJax worker) with V8's code cache, so that a run after the
// first skips most of the parsing and compiling of the bundle (a few tens of milliseconds of every CLI run).
//
// The cache lives in the user's cache directory, never in the package: $MATH_WRITEUP_CODE_CACHE if set (a
// directory, or "0"/"off" to turn the cache off), else $XDG_CACHE_HOME/math-writeup/v8 (Linux, default
// ~/.cache), ~/Library/Caches/math-writeup/v8 (macOS) or %LOCALAPPDATA%\math-writeup\v8 (Windows).
// One file per bundle, named by a hash of the bundle's text, Node's version and the architecture, so a new build or
// a new Node never uses an old entry. Each file starts with a header holding a SHA-1 of its data (a check for damage, not a security measure): a truncated,
// corrupt or foreign file is ignored (and replaced), as is data V8 rejects. The cache is written once, when the
// process exits after a run without a usable entry (it then holds the functions that run compiled); a cache
// directory that cannot be created or written only means that the next run compiles again. Results never depend
// on the cache: it holds compiled code of the same text, which V8 checks against the source.
import { isAscii } from 'node:buffer';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import Module from 'node:module';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';

const MAGIC = 'mw-v8-cache-2\n';
const DIGEST_BYTES = 20;

/** Where compiled code is cached, or undefined when the cache is off. */
export function codeCacheDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home = os.homedir()): string | undefined {
  const set = env.MATH_WRITEUP_CODE_CACHE;
  if (set !== undefined && set !== '') {
    if (set === '0' || set.toLowerCase() === 'off') return undefined;
    return path.resolve(set);
  }
  if (platform === 'win32') {
    const base = env.LOCALAPPDATA || (home ? path.join(home, 'AppData', 'Local') : '');
    return base ? path.join(base, 'math-writeup', 'v8') : undefined;
  }
  if (platform === 'darwin') return home ? path.join(home, 'Library', 'Caches', 'math-writeup', 'v8') : undefined;
  const xdg = env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : home ? path.join(home, '.cache') : '';
  return xdg ? path.join(xdg, 'math-writeup', 'v8') : undefined;
}

/** What became of the cache in this load (for tests and the benchmark). */
export type CodeCacheState = 'off' | 'hit' | 'miss' | 'rejected';

/** The header-checked data of a cache file, or undefined when the file is missing or not intact. */
function readEntry(file: string): Buffer | undefined {
  let buf: Buffer;
  try {
    buf = fs.readFileSync(file);
  } catch {
    return undefined;
  }
  const head = MAGIC.length + DIGEST_BYTES;
  if (buf.length <= head || buf.toString('latin1', 0, MAGIC.length) !== MAGIC) return undefined;
  const data = buf.subarray(head);
  const digest = createHash('sha1').update(data).digest();
  return digest.equals(buf.subarray(MAGIC.length, head)) ? data : undefined;
}

/** Write atomically (temporary file, then rename); any failure leaves no partial entry and is not an error. */
function writeEntry(dir: string, file: string, data: Buffer): void {
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    fs.mkdirSync(dir, { recursive: true });
    const digest = createHash('sha1').update(data).digest();
    fs.writeFileSync(tmp, Buffer.concat([Buffer.from(MAGIC, 'latin1'), digest, data]), { mode: 0o600 });
    fs.renameSync(tmp, file);
  } catch {
    try {
      fs.rmSync(tmp, { force: true });
    } catch {
      /* nothing to clean */
    }
  }
}

/**
 * `require(file)` for a CommonJS bundle, compiled from the code cache when it holds this exact text. The module
 * gets the usual `exports`, `require`, `module`, `__filename` and `__dirname`; `require.main` is the caller's.
 */
export function requireCached<T = unknown>(
  file: string,
  dir: string | undefined = codeCacheDir(),
  /** Write a missing entry when the process exits (the main thread); else call `save()` when the work is done. */
  saveOnExit = true,
): { exports: T; state: CodeCacheState; save(): void } {
  const bytes = fs.readFileSync(file);
  // esbuild's bundles are ASCII (it escapes the rest), which decodes faster as Latin-1 and gives the same text
  const source = bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8');
  const wrapped = Module.wrap(source);
  let entry: string | undefined;
  let cachedData: Buffer | undefined;
  if (dir !== undefined) {
    const key = createHash('sha1').update(`${process.version}\0${process.arch}\0${file}\0`).update(bytes).digest('hex');
    entry = path.join(dir, `${path.basename(file, '.js')}-${key}.bin`);
    cachedData = readEntry(entry);
  }
  const script = new vm.Script(wrapped, { filename: file, cachedData });
  const state: CodeCacheState = dir === undefined ? 'off' : cachedData === undefined ? 'miss' : script.cachedDataRejected ? 'rejected' : 'hit';
  const mod = new Module(file, module);
  mod.filename = file;
  mod.paths = (Module as unknown as { _nodeModulePaths(d: string): string[] })._nodeModulePaths(path.dirname(file));
  const fn = script.runInThisContext() as (e: unknown, r: NodeJS.Require, m: Module, f: string, d: string) => void;
  fn.call(mod.exports, mod.exports, Module.createRequire(file), mod, file, path.dirname(file));
  mod.loaded = true;
  let saved = false;
  const save = (): void => {
    if (saved || entry === undefined || dir === undefined || state === 'hit') return;
    saved = true;
    writeEntry(dir, entry, script.createCachedData());
  };
  // After the run: the data then also holds the functions the run compiled (most of the time saved).
  if (saveOnExit && entry !== undefined && state !== 'hit') process.once('exit', save);
  return { exports: mod.exports as T, state, save };
}
