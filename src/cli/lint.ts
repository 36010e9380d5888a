// `math-writeup lint <files|dirs|globs…> [--format text|json] [--fix] [--target github|vscode|both] [--config FILE]`
//
// Output (text): one line per finding, `path:line:col severity RULE message` with 1-based line and column (UTF-16
// code units, as VS Code counts them), on stdout; `--fix` reports and the summary line go to stderr, so stdout
// holds only findings in both formats. JSON keeps the 0-based data of the findings.
// Exit code: 2 on a usage, configuration or I/O problem (after linting everything else), else 1 when an
// error-level finding remains, else 0.
import path from 'node:path';
import type { CliIO } from './io';
import { parseArgs, UsageError, type OptionSpec } from './args';
import { defaultRegistry, type Registry } from '../core/lint/registry';
import { mergeConfigs, TARGETS } from '../core/lint/config';
import { lintText, lintTextAsync } from '../core/lint/engine';
import { fixAll } from '../core/lint/edits';
import type { LintConfig } from '../core/lint/types';
import type { Finding, Target } from '../core/types';
import { encodeText, escapeFileName, expandInputs, mapLimit, readTextFile, reason } from '../node/files';
import { safeWriteFile } from '../node/safeWrite';
import { ConfigFileError, findConfigFile, loadConfigFile } from '../node/configFile';

export const LINT_USAGE = `Usage: math-writeup lint <files|dirs|globs…> [options]

Lint Markdown math for GitHub (and VS Code's preview). Directories are searched for *.md and *.markdown files
(node_modules and dot-directories skipped); globs like "docs/**/*.md" are expanded without a shell.

Options:
  --format text|json   output format (default text: "path:line:col severity RULE message")
  --no-mathjax         skip GitHub's MathJax pass (rule MW053: TeX errors and undefined macros); faster
  --fix                apply the fixable findings in place (atomic write), report them, then lint the result
  --target T           github | vscode | both: which renderer to check for (default both, or the config file's)
  --config FILE        use this configuration file instead of the nearest .math-writeup.json
  --debug              print stack traces of internal errors
  -h, --help           show this help

Exit code: 0 no error-level finding, 1 at least one, 2 usage, configuration or file errors.`;

const SPEC: Record<string, OptionSpec> = {
  format: { type: 'string', choices: ['text', 'json'] },
  fix: { type: 'flag' },
  'no-mathjax': { type: 'flag' },
  target: { type: 'string', choices: TARGETS },
  config: { type: 'string' },
  debug: { type: 'flag' },
  help: { type: 'flag', short: 'h' },
};

/** Concurrent file reads; enough to hide I/O latency without exhausting file descriptors. */
const CONCURRENCY = 16;

interface FileResult {
  file: string;
  error?: string;
  findings: Finding[];
  fixed?: { count: number; byRule: Record<string, number> };
}

function oneLine(s: string): string {
  return s.replace(/\r\n|\r|\n/g, ' ');
}

/** `MW003 ×2, MW005` from a per-rule count. */
function ruleCounts(byRule: Record<string, number>): string {
  return Object.keys(byRule)
    .sort()
    .map((id) => (byRule[id] > 1 ? `${id} ×${byRule[id]}` : id))
    .join(', ');
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** `registry` replaces the project's rules (tests use small rules of their own). */
export async function runLintCommand(args: string[], io: CliIO, registry: Registry = defaultRegistry()): Promise<number> {
  const parsed = parseArgs(args, SPEC, 'lint');
  if (parsed.flags.has('help')) {
    io.stdout(LINT_USAGE + '\n');
    return 0;
  }
  if (parsed.positionals.length === 0) {
    throw new UsageError('lint needs at least one file, directory or glob; run "math-writeup lint --help" for usage');
  }
  const format = parsed.values.get('format') ?? 'text';
  const fix = parsed.flags.has('fix');
  const cliLayer: Partial<LintConfig> = {};
  const target = parsed.values.get('target');
  if (target) cliLayer.target = target as Target;

  let explicit: Partial<LintConfig> | undefined;
  const configArg = parsed.values.get('config');
  if (configArg !== undefined) {
    try {
      explicit = await loadConfigFile(path.resolve(io.cwd, configArg), registry, configArg);
    } catch (e) {
      if (e instanceof ConfigFileError) {
        io.stderr(e.message + '\n');
        return 2;
      }
      throw e;
    }
  }

  const { files, errors } = await expandInputs(parsed.positionals, io.cwd);
  const configs = new ConfigCache(registry, io.cwd);
  const results = await mapLimit(files, CONCURRENCY, (file) =>
    lintOne(file, io.cwd, registry, explicit ?? configs, cliLayer, fix, !parsed.flags.has('no-mathjax')),
  );

  let nErrors = 0;
  let nWarnings = 0;
  let nInfos = 0;
  let nFixable = 0;
  let ioProblems = errors.length;
  for (const e of errors) io.stderr(e + '\n');
  for (const r of results) {
    if (r.error) {
      ioProblems++;
      io.stderr(r.error + '\n');
    }
    if (r.fixed && r.fixed.count > 0) {
      io.stderr(`${escapeFileName(r.file)}: fixed ${plural(r.fixed.count, 'problem')} (${ruleCounts(r.fixed.byRule)})\n`);
    }
    for (const f of r.findings) {
      if (f.severity === 'error') nErrors++;
      else if (f.severity === 'warning') nWarnings++;
      else nInfos++;
      if (f.fixes.length > 0) nFixable++;
    }
    if (format === 'text' && r.findings.length > 0) {
      io.stdout(
        r.findings
          .map((f) => `${escapeFileName(r.file)}:${f.range.start.line + 1}:${f.range.start.character + 1} ${f.severity} ${f.ruleId} ${oneLine(f.message)}\n`)
          .join(''),
      );
    }
  }
  const linted = results.filter((r) => !r.error).length;
  const summary = {
    files: linted,
    errors: nErrors,
    warnings: nWarnings,
    infos: nInfos,
    fixable: nFixable,
    fixed: results.reduce((s, r) => s + (r.fixed?.count ?? 0), 0),
    problems: ioProblems,
  };
  if (format === 'json') {
    const out = {
      files: results
        .filter((r) => !r.error)
        .map((r) => ({ file: r.file, findings: r.findings, ...(r.fixed ? { fixed: r.fixed } : {}) })),
      errors: [...errors, ...results.flatMap((r) => (r.error ? [r.error] : []))],
      summary,
    };
    io.stdout(JSON.stringify(out, null, 2) + '\n');
  }
  const parts = [plural(linted, 'file'), plural(nErrors, 'error'), plural(nWarnings, 'warning'), plural(nInfos, 'info')];
  let line = `math-writeup: ${parts.join(', ')}`;
  if (nFixable > 0 && !fix) line += ` (${nFixable} fixable with --fix)`;
  if (ioProblems > 0) line += `; ${plural(ioProblems, 'file problem')}`;
  io.stderr(line + '\n');
  if (ioProblems > 0) return 2;
  return nErrors > 0 ? 1 : 0;
}

/** Nearest `.math-writeup.json` per directory, loaded once. */
class ConfigCache {
  readonly #byDir = new Map<string, Promise<Partial<LintConfig> | ConfigFileError>>();
  readonly #byFile = new Map<string, Promise<Partial<LintConfig> | ConfigFileError>>();
  constructor(
    readonly registry: Registry,
    readonly cwd: string,
  ) {}

  forFile(file: string): Promise<Partial<LintConfig> | ConfigFileError> {
    const dir = path.dirname(path.resolve(this.cwd, file));
    let p = this.#byDir.get(dir);
    if (!p) {
      p = findConfigFile(dir).then((cfg) => {
        if (!cfg) return {};
        let q = this.#byFile.get(cfg);
        if (!q) {
          const shown = path.relative(this.cwd, cfg) || cfg;
          q = loadConfigFile(cfg, this.registry, shown).catch((e: unknown) =>
            e instanceof ConfigFileError ? e : new ConfigFileError(`math-writeup: cannot read config ${shown}: ${reason(e)}`),
          );
          this.#byFile.set(cfg, q);
        }
        return q;
      });
      this.#byDir.set(dir, p);
    }
    return p;
  }
}

async function lintOne(
  file: string,
  cwd: string,
  registry: Registry,
  configSource: Partial<LintConfig> | ConfigCache,
  cliLayer: Partial<LintConfig>,
  fix: boolean,
  mathjax: boolean,
): Promise<FileResult> {
  const layer = configSource instanceof ConfigCache ? await configSource.forFile(file) : configSource;
  if (layer instanceof ConfigFileError) return { file, error: `${layer.message} (needed for ${escapeFileName(file)})`, findings: [] };
  const config = mergeConfigs(registry, layer, cliLayer);
  const read = await readTextFile(file, cwd);
  if (!read.ok) return { file, error: read.error, findings: [] };
  const lint = (t: string): Finding[] => lintText(t, config, { registry });
  const lintFull = async (t: string): Promise<Finding[]> => (mathjax ? lintTextAsync(t, config, { registry }) : lint(t));
  let findings = await lintFull(read.text);
  if (!fix || !findings.some((f) => f.fixes.length > 0)) return { file, findings };

  const result = fixAll(read.text, lint);
  const byRule: Record<string, number> = {};
  for (const f of result.applied) byRule[f.ruleId] = (byRule[f.ruleId] ?? 0) + 1;
  if (result.text !== read.text) {
    try {
      await safeWriteFile(path.resolve(cwd, file), encodeText(result.text, read.format), { expectedDigest: read.digest });
    } catch (e) {
      return { file, error: `math-writeup: cannot write ${escapeFileName(file)}: ${reason(e)} (file left unchanged)`, findings };
    }
    findings = await lintFull(result.text);
    return { file, findings, fixed: { count: result.applied.length, byRule } };
  }
  return { file, findings, fixed: { count: 0, byRule: {} } };
}
