// Which files of a directory or glob argument the CLI leaves out: those `.gitignore` excludes (every .gitignore
// from the repository root down to the file, later ones overriding earlier ones, negations included, and nothing
// inside an ignored directory), the `ignores` patterns of the configuration file that applies (relative to that
// file's directory), and `--ignore-pattern` patterns (relative to the working directory). Patterns use .gitignore
// syntax (the `ignore` package).
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import ignore, { type Ignore } from 'ignore';

/** Ignore rules anchored at a directory. */
interface Anchored {
  dir: string;
  ig: Ignore;
}

function toPosix(rel: string): string {
  return rel.split(path.sep).join('/');
}

async function exists(p: string): Promise<boolean> {
  return fsp.stat(p).then(
    () => true,
    () => false,
  );
}

export class IgnoreFilter {
  readonly #gitignore = new Map<string, Promise<Ignore | undefined>>();
  readonly #repoRoot = new Map<string, Promise<string | undefined>>();
  readonly #extra: Anchored[];

  /** `patterns`: --ignore-pattern values, relative to `cwd`. */
  constructor(
    readonly cwd: string,
    patterns: readonly string[] = [],
  ) {
    this.#extra = patterns.length > 0 ? [{ dir: path.resolve(cwd), ig: ignore().add([...patterns]) }] : [];
  }

  /** The .gitignore of `dir`, parsed once (undefined when there is none). */
  #gitignoreOf(dir: string): Promise<Ignore | undefined> {
    let p = this.#gitignore.get(dir);
    if (!p) {
      p = fsp.readFile(path.join(dir, '.gitignore'), 'utf8').then(
        (text) => ignore().add(text),
        () => undefined,
      );
      this.#gitignore.set(dir, p);
    }
    return p;
  }

  /** The nearest directory at or above `dir` holding `.git` (undefined outside a repository). */
  #rootOf(dir: string): Promise<string | undefined> {
    let p = this.#repoRoot.get(dir);
    if (!p) {
      p = (async () => {
        if (await exists(path.join(dir, '.git'))) return dir;
        const parent = path.dirname(dir);
        return parent === dir ? undefined : this.#rootOf(parent);
      })();
      this.#repoRoot.set(dir, p);
    }
    return p;
  }

  /** Whether .gitignore files exclude `abs` (a file) or one of its directories. */
  async #gitIgnored(abs: string): Promise<boolean> {
    const root = await this.#rootOf(path.dirname(abs));
    if (root === undefined) return false;
    const rel = toPosix(path.relative(root, abs));
    const parts = rel.split('/');
    // Each ancestor directory first: once a directory is ignored, nothing inside it can be re-included.
    for (let depth = 1; depth <= parts.length; depth++) {
      const isFile = depth === parts.length;
      let ignored = false;
      for (let d = 0; d < depth; d++) {
        const dir = path.join(root, ...parts.slice(0, d));
        const ig = await this.#gitignoreOf(dir);
        if (!ig) continue;
        const t = ig.test(parts.slice(d, depth).join('/') + (isFile ? '' : '/'));
        if (t.ignored) ignored = true;
        else if (t.unignored) ignored = false;
      }
      if (ignored) return true;
    }
    return false;
  }

  /**
   * Why `file` (relative to cwd or absolute) is left out, or undefined when it is linted.
   * `configIgnores` are the applying configuration file's `ignores`, anchored at its directory.
   */
  async reason(file: string, configIgnores?: { dir: string; patterns: readonly string[] }): Promise<string | undefined> {
    const abs = path.resolve(this.cwd, file);
    const anchored = [...this.#extra];
    if (configIgnores && configIgnores.patterns.length > 0) {
      anchored.push({ dir: configIgnores.dir, ig: ignore().add([...configIgnores.patterns]) });
    }
    for (const a of anchored) {
      const rel = path.relative(a.dir, abs);
      if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) continue;
      if (a.ig.ignores(toPosix(rel))) return a === this.#extra[0] ? '--ignore-pattern' : '"ignores" of the configuration';
    }
    if (await this.#gitIgnored(abs)) return '.gitignore';
    return undefined;
  }
}
