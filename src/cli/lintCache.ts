// `lint --cache`: results of unchanged files are reused, as ESLint's --cache does. The cache file (default
// .math-writeup-cache in the working directory, `--cache-location` to move it) maps each linted file to the hash
// of its content and of everything that decides its findings (CLI version, rules, configuration, target, the
// MathJax pass), plus the findings. A warm run reads and hashes the files and prints the stored findings: it loads
// no rules, starts no MathJax and no KaTeX. Configuration files are cached by content too (their parsed form), so
// an unchanged configuration is not validated again. A corrupt or foreign cache file is ignored and rewritten.
import { createHash } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import type { Finding } from '../core/types';
import type { ConfigDocument } from '../node/configFile';

const FORMAT = 1;

interface Stored {
  format: number;
  version: string;
  files: Record<string, { key: string; findings: Finding[] }>;
  configs: Record<string, { hash: string; doc: ConfigDocument }>;
}

export function hash(...parts: string[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(p).update('\0');
  return h.digest('hex');
}

export class LintCache {
  #data: Stored;
  #dirty = false;
  readonly #seen = new Set<string>();

  private constructor(
    readonly file: string,
    readonly version: string,
    data: Stored | undefined,
  ) {
    this.#data = data && data.format === FORMAT && data.version === version ? data : { format: FORMAT, version, files: {}, configs: {} };
    if (this.#data !== data) this.#dirty = true;
  }

  static async open(file: string, version: string): Promise<LintCache> {
    let data: Stored | undefined;
    try {
      const parsed = JSON.parse(await fsp.readFile(file, 'utf8')) as unknown;
      if (parsed && typeof parsed === 'object' && 'files' in parsed && 'configs' in parsed) data = parsed as Stored;
    } catch {
      // missing or unreadable: start empty
    }
    return new LintCache(file, version, data);
  }

  /** A configuration file's parsed form, if its text is unchanged. */
  config(abs: string, text: string): ConfigDocument | undefined {
    const c = this.#data.configs[abs];
    return c && c.hash === hash(text) ? c.doc : undefined;
  }

  setConfig(abs: string, text: string, doc: ConfigDocument): void {
    this.#data.configs[abs] = { hash: hash(text), doc };
    this.#dirty = true;
  }

  /** Stored findings of `abs` for this key (content + settings), if any. */
  findings(abs: string, key: string): Finding[] | undefined {
    this.#seen.add(abs);
    const e = this.#data.files[abs];
    return e && e.key === key ? e.findings : undefined;
  }

  set(abs: string, key: string, findings: Finding[]): void {
    this.#seen.add(abs);
    this.#data.files[abs] = { key, findings };
    this.#dirty = true;
  }

  /** Forget a file (it could not be read, or was rewritten by --fix). */
  drop(abs: string): void {
    if (abs in this.#data.files) {
      delete this.#data.files[abs];
      this.#dirty = true;
    }
  }

  /** Write the cache if it changed (atomically; a failure is reported, not fatal). */
  async save(): Promise<string | undefined> {
    if (!this.#dirty) return undefined;
    const tmp = `${this.file}.${process.pid}.tmp`;
    try {
      await fsp.mkdir(path.dirname(this.file), { recursive: true });
      await fsp.writeFile(tmp, JSON.stringify(this.#data));
      await fsp.rename(tmp, this.file);
      return undefined;
    } catch (e) {
      await fsp.rm(tmp, { force: true });
      return `math-writeup: cannot write the cache ${this.file}: ${e instanceof Error ? e.message : String(e)}`;
    }
  }
}
