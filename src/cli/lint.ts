// `math-writeup lint <files|dirs|globs…|-> [--format text|json|sarif|github] [--fix] [--quiet] [--max-warnings N] …`
//
// Output (text): one line per finding, `path:line:col severity RULE message` with 1-based line and column (UTF-16
// code units, as VS Code counts them), on stdout; `--fix` reports and the summary line go to stderr, so stdout
// holds only findings in both formats. JSON keeps the 0-based data of the findings.
// Exit code: 2 on a usage, configuration or I/O problem (after linting everything else), else 1 when an
// error-level finding remains, else 0.
import path from 'node:path';
import type { CliIO } from './io';
import { parseArgs, UsageError, type OptionSpec } from './args';
import type { Registry } from '../core/lint/registry';
import { mergeConfigs, TARGETS } from '../core/lint/config';
import type { LintConfig } from '../core/lint/types';
import type { GithubValidator } from '../core/tex/mathjax';
import type { GithubFormula } from '../core/lint/engine';
import type { Finding, Target } from '../core/types';
import { encodeText, escapeFileName, expandInputs, lineEndings, mapLimit, readTextFile, reason } from '../node/files';
import { safeWriteFile } from '../node/safeWrite';
import { promises as fsp } from 'node:fs';
import { ConfigFileError, findConfigFile, parseConfigDocument, type ConfigDocument } from '../node/configFile';
import { hash, LintCache } from './lintCache';
import { IgnoreFilter } from '../node/ignoreFilter';
import { selectFiles } from './inputs';
import { version } from './version';
import { ANSI, colorEnabled, PLAIN } from './format/color';
import { formatLintText } from './format/text';
import { lintAnnotations, workflowCommand } from './format/github';
import { toSarif } from './format/sarif';
import type { LintFileResult } from './format/types';
import { useMathjaxWorker, ValidateClient } from '../node/validateClient';
import { prettyJsonPieces, writePieces } from './format/jsonPieces';

export const LINT_USAGE = `Usage: math-writeup lint <files|dirs|globs…|-> [options]

Lint Markdown math for GitHub (and VS Code's preview). Directories are searched for *.md and *.markdown files
(node_modules and dot-directories skipped); globs like "docs/**/*.md" are expanded without a shell. Files that
.gitignore, the configuration's "ignores" or --ignore-pattern exclude are left out. "-" reads the document from
standard input.

Options:
  --format F           text (default: "path:line:col severity RULE message"), json, sarif (SARIF 2.1.0, for
                       GitHub code scanning) or github (GitHub Actions annotations)
  --quiet              report errors only (warnings still count for --max-warnings)
  --max-warnings N     exit 1 when there are more than N warnings
  --no-mathjax         skip GitHub's MathJax pass (rule MW053: TeX errors and undefined macros); faster
  --fix                apply the fixable findings in place (atomic write), report them, then lint the result
  --target T           github | vscode | both: which renderer to check for (default both, or the config file's)
  --config FILE        use this configuration file instead of the nearest .math-writeup.json
  --ignore-pattern P   leave out files matching P (.gitignore syntax, relative to the working directory); repeatable
  --no-ignore          lint every file found (no .gitignore, "ignores" or --ignore-pattern exclusions)
  --cache              reuse the findings of files that did not change since the last --cache run
  --cache-location F   the cache file (default .math-writeup-cache in the working directory)
  --stdin-filename F   name of the document read from "-" (shown in output, used to find its configuration)
  --color, --no-color  force colours on or off (default: on when stdout is a terminal and NO_COLOR is unset)
  --debug              print stack traces of internal errors
  -h, --help           show this help

Exit code: 0 no error-level finding, 1 at least one (or more warnings than --max-warnings), 2 usage,
configuration or file errors.`;

const SPEC: Record<string, OptionSpec> = {
  format: { type: 'string', choices: ['text', 'json', 'sarif', 'github'] },
  fix: { type: 'flag' },
  quiet: { type: 'flag' },
  'max-warnings': { type: 'string' },
  'no-mathjax': { type: 'flag' },
  target: { type: 'string', choices: TARGETS },
  config: { type: 'string' },
  'stdin-filename': { type: 'string' },
  'ignore-pattern': { type: 'string', repeatable: true },
  'no-ignore': { type: 'flag' },
  cache: { type: 'flag' },
  'cache-location': { type: 'string' },
  color: { type: 'flag' },
  'no-color': { type: 'flag' },
  debug: { type: 'flag' },
  help: { type: 'flag', short: 'h' },
};

/** Concurrent file reads; enough to hide I/O latency without exhausting file descriptors. */
const CONCURRENCY = 16;

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

function parseMaxWarnings(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw.trim())) throw new UsageError(`option --max-warnings must be a whole number (0 or more), not "${raw}"`);
  return Number(raw);
}

/** `registry` replaces the project's rules (tests use small rules of their own). */
export async function runLintCommand(
  args: string[],
  io: CliIO,
  registry?: Registry,
  stdin?: () => Promise<string>,
  /** Validate formulas with GitHub's MathJax in a worker thread (the CLI process; in-process callers use this thread). */
  mathjaxWorker = false,
): Promise<number> {
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
  const quiet = parsed.flags.has('quiet');
  const maxWarnings = parseMaxWarnings(parsed.values.get('max-warnings'));
  const fromStdin = parsed.positionals.includes('-');
  if (fromStdin && parsed.positionals.length > 1) throw new UsageError('"-" (standard input) cannot be combined with files');
  if (fromStdin && fix) throw new UsageError('--fix rewrites files and cannot be used with "-" (standard input)');
  const stdinName = parsed.values.get('stdin-filename');
  if (stdinName !== undefined && !fromStdin) throw new UsageError('--stdin-filename needs "-" (read standard input)');
  const paint = colorEnabled({
    flagColor: parsed.flags.has('color'),
    flagNoColor: parsed.flags.has('no-color'),
    isTTY: io.isTTY ?? false,
    env: io.env ?? {},
  })
    ? ANSI
    : PLAIN;
  const cliLayer: Partial<LintConfig> = {};
  const target = parsed.values.get('target');
  if (target) cliLayer.target = target as Target;

  // The rules and the engine load on first need: a run served from --cache loads neither.
  let registryP: Promise<Registry> | undefined;
  const getRegistry = (): Promise<Registry> =>
    (registryP ??= registry ? Promise.resolve(registry) : import('../core/lint/registry').then((m) => m.defaultRegistry()));
  const cacheLocation = parsed.values.get('cache-location');
  if (cacheLocation !== undefined && !parsed.flags.has('cache')) throw new UsageError('--cache-location needs --cache');
  const cache = parsed.flags.has('cache')
    ? await LintCache.open(path.resolve(io.cwd, cacheLocation ?? '.math-writeup-cache'), version())
    : undefined;
  const mathjax = !parsed.flags.has('no-mathjax');
  // GitHub's MathJax in a worker thread when a core is idle (useMathjaxWorker), else in this thread as in-process.
  // Without --cache MathJax is needed for sure: start loading it in the worker now, beside reading and parsing. With
  // --cache it starts on the first file the cache does not answer (a run that is all hits starts no MathJax).
  const worker = mathjax && mathjaxWorker && useMathjaxWorker(io.env ?? {}) ? new ValidateClient() : undefined;
  if (!cache) worker?.start();
  try {
    return await lintFiles(parsed, io, { format, fix, quiet, maxWarnings, fromStdin, stdinName, paint, cliLayer, registry, getRegistry, cache, mathjax, mathjaxWorker: worker }, stdin);
  } finally {
    worker?.close();
  }
}

interface LintRun {
  format: string;
  fix: boolean;
  quiet: boolean;
  maxWarnings: number | undefined;
  fromStdin: boolean;
  stdinName: string | undefined;
  paint: typeof ANSI;
  cliLayer: Partial<LintConfig>;
  registry: Registry | undefined;
  getRegistry: () => Promise<Registry>;
  cache: LintCache | undefined;
  mathjax: boolean;
  mathjaxWorker: ValidateClient | undefined;
}

async function lintFiles(
  parsed: ReturnType<typeof parseArgs>,
  io: CliIO,
  run: LintRun,
  stdin?: () => Promise<string>,
): Promise<number> {
  const { format, fix, quiet, maxWarnings, fromStdin, stdinName, paint, cliLayer, registry, getRegistry, cache } = run;
  const ctx: LintContext = {
    cwd: io.cwd,
    getRegistry,
    registryTag: registry ? registry.list().map((r) => `${r.id}:${r.alias}:${r.defaultSeverity}:${r.target}`).join(',') : 'default',
    cache,
    cliLayer,
    mathjax: run.mathjax,
    mathjaxWorker: run.mathjaxWorker,
  };
  const configs = new ConfigCache(getRegistry, io.cwd, cache);
  let explicit: LoadedConfig | undefined;
  const configArg = parsed.values.get('config');
  if (configArg !== undefined) {
    const loaded = await configs.load(path.resolve(io.cwd, configArg), configArg);
    if (loaded instanceof ConfigFileError) {
      io.stderr(loaded.message + '\n');
      return 2;
    }
    explicit = loaded;
  }

  let errors: string[] = [];
  let results: LintFileResult[];
  if (fromStdin) {
    if (!stdin) throw new UsageError('standard input is not available');
    let text = await stdin();
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    const name = stdinName ?? '<stdin>';
    results = [await lintOne({ file: name, text }, ctx, explicit ?? configs, false)];
  } else {
    const expanded = await expandInputs(parsed.positionals, io.cwd);
    errors = expanded.errors;
    const filter = new IgnoreFilter(io.cwd, parsed.lists.get('ignore-pattern') ?? []);
    const files = parsed.flags.has('no-ignore')
      ? { kept: expanded.files, notes: [] }
      : await selectFiles(expanded.files, parsed.positionals, filter, async (file) => {
          const loaded = explicit ?? (await configs.forFile(file));
          return loaded instanceof ConfigFileError ? undefined : loaded.ignores;
        });
    for (const note of files.notes) io.stderr(note + '\n');
    results = await mapLimit(files.kept, CONCURRENCY, (file) =>
      lintOne({ file }, ctx, explicit ?? configs, fix),
    );
  }

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
  }
  // --quiet: what is reported (all formats) is the errors; the counts above still hold every finding.
  const shown = quiet ? results.map((r) => ({ ...r, findings: r.findings.filter((f) => f.severity === 'error') })) : results;
  if (format === 'text') {
    for (const r of shown) if (r.findings.length > 0) io.stdout(formatLintText(r, paint));
  } else if (format === 'github') {
    io.stdout(lintAnnotations(shown).map(workflowCommand).join(''));
  } else if (format === 'sarif') {
    writePieces(io, prettyJsonPieces(toSarif(shown, await getRegistry(), { cwd: io.cwd, version: version() }), 6));
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
      files: shown
        .filter((r) => !r.error)
        .map((r) => ({ file: r.file, findings: r.findings, ...(r.fixed ? { fixed: r.fixed } : {}) })),
      errors: [...errors, ...results.flatMap((r) => (r.error ? [r.error] : []))],
      summary,
    };
    writePieces(io, prettyJsonPieces(out)); // in pieces: a large file's findings are never one string
  }
  const cacheProblem = await cache?.save();
  if (cacheProblem) io.stderr(cacheProblem + '\n');
  const parts = [plural(linted, 'file'), plural(nErrors, 'error'), plural(nWarnings, 'warning'), plural(nInfos, 'info')];
  let line = `math-writeup: ${parts.join(', ')}`;
  if (nFixable > 0 && !fix) line += ` (${nFixable} fixable with --fix)`;
  const tooManyWarnings = maxWarnings !== undefined && nWarnings > maxWarnings;
  if (tooManyWarnings) line += `; too many warnings (more than ${maxWarnings})`;
  if (ioProblems > 0) line += `; ${plural(ioProblems, 'file problem')}`;
  io.stderr(line + '\n');
  if (ioProblems > 0) return 2;
  return nErrors > 0 || tooManyWarnings ? 1 : 0;
}

/** A configuration as the CLI uses it: lint settings plus `ignores` anchored at the file's directory. */
interface LoadedConfig {
  config: Partial<LintConfig>;
  ignores: { dir: string; patterns: string[] };
}

/** Nearest `.math-writeup.json` per directory, loaded once (and from the --cache when unchanged). */
class ConfigCache {
  readonly #byDir = new Map<string, Promise<LoadedConfig | ConfigFileError>>();
  readonly #byFile = new Map<string, Promise<LoadedConfig | ConfigFileError>>();
  constructor(
    readonly getRegistry: () => Promise<Registry>,
    readonly cwd: string,
    readonly cache?: LintCache,
  ) {}

  forFile(file: string): Promise<LoadedConfig | ConfigFileError> {
    const dir = path.dirname(path.resolve(this.cwd, file));
    let p = this.#byDir.get(dir);
    if (!p) {
      p = findConfigFile(dir).then((cfg) => (cfg ? this.load(cfg) : { config: {}, ignores: { dir, patterns: [] } }));
      this.#byDir.set(dir, p);
    }
    return p;
  }

  /** Load one configuration file (`shown` relative to the working directory unless given). */
  load(cfg: string, shown = path.relative(this.cwd, cfg) || cfg): Promise<LoadedConfig | ConfigFileError> {
    let q = this.#byFile.get(cfg);
    if (!q) {
      q = this.#read(cfg, shown).then(
        (doc) => ({ config: doc.config, ignores: { dir: path.dirname(cfg), patterns: doc.ignores } }),
        (e: unknown) => (e instanceof ConfigFileError ? e : new ConfigFileError(`math-writeup: cannot read config ${shown}: ${reason(e)}`)),
      );
      this.#byFile.set(cfg, q);
    }
    return q;
  }

  async #read(cfg: string, shown: string): Promise<ConfigDocument> {
    let text = await fsp.readFile(cfg, 'utf8');
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    const cached = this.cache?.config(cfg, text);
    if (cached) return cached;
    const doc = parseConfigDocument(text, await this.getRegistry(), shown);
    this.cache?.setConfig(cfg, text, doc);
    return doc;
  }
}

/** What every file's lint shares. */
interface LintContext {
  cwd: string;
  getRegistry: () => Promise<Registry>;
  /** Identifies the rules in cache keys ("default" for the project's). */
  registryTag: string;
  cache?: LintCache;
  cliLayer: Partial<LintConfig>;
  mathjax: boolean;
  /** GitHub's MathJax in a worker thread; without it the formulas are validated in this thread. */
  mathjaxWorker?: ValidateClient;
  /** GitHub's MathJax for this run (made on first need; its cache spans the run's files). */
  validator?: GithubValidator;
}

async function lintOne(
  input: { file: string; text?: string },
  ctx: LintContext,
  configSource: LoadedConfig | ConfigCache,
  fix: boolean,
): Promise<LintFileResult> {
  const { file } = input;
  const loaded = configSource instanceof ConfigCache ? await configSource.forFile(file) : configSource;
  if (loaded instanceof ConfigFileError) return { file, error: `${loaded.message} (needed for ${escapeFileName(file)})`, findings: [] };
  // Standard input is never written back (--fix is refused with "-"), so it needs no format or digest.
  const read =
    input.text !== undefined
      ? { ok: true as const, text: input.text, format: { encoding: 'utf-8' as const, bom: false, eol: lineEndings(input.text) }, digest: '' }
      : await readTextFile(file, ctx.cwd);
  if (!read.ok) return { file, error: read.error, findings: [] };
  const abs = path.resolve(ctx.cwd, file);
  const useCache = ctx.cache !== undefined && input.text === undefined;
  const settings = [ctx.registryTag, JSON.stringify(loaded.config), JSON.stringify(ctx.cliLayer), String(ctx.mathjax)];
  if (useCache && !fix) {
    const hit = ctx.cache?.findings(abs, hash(...settings, read.text));
    if (hit) return { file, findings: hit, text: read.text };
  }
  const registry = await ctx.getRegistry();
  const [{ lintInChunks, lintInChunksAsync }, { fixAll }, { GithubValidator }] = await Promise.all([
    import('../core/lint/chunked'),
    import('../core/lint/edits'),
    import('../core/tex/mathjax'),
  ]);
  const config = mergeConfigs(registry, loaded.config, ctx.cliLayer);
  // Chunk by chunk (the same findings as linting the whole text, with one chunk's parse in memory at a time).
  const lint = (t: string): Finding[] => lintInChunks(t, config, { registry });
  const validator = (ctx.validator ??= new GithubValidator());
  // With the MathJax worker, each chunk's formulas are judged by both threads before the chunk's rules run (the
  // worker's verdicts are primed into the same validator, so the rules read the same verdicts either way).
  const worker = ctx.mathjaxWorker;
  const beforeChunk = worker ? (formulas: readonly GithubFormula[]): Promise<void> => worker.validate(formulas, validator) : undefined;
  const lintFull = async (t: string): Promise<Finding[]> => (ctx.mathjax ? lintInChunksAsync(t, config, { registry, validator, beforeChunk }) : lint(t));
  const remember = (text: string, findings: Finding[]): void => {
    if (useCache) ctx.cache?.set(abs, hash(...settings, text), findings);
  };
  let findings = await lintFull(read.text);
  if (!fix || !findings.some((f) => f.fixes.length > 0)) {
    remember(read.text, findings);
    return { file, findings, text: read.text };
  }

  const result = fixAll(read.text, lint);
  const byRule: Record<string, number> = {};
  for (const f of result.applied) byRule[f.ruleId] = (byRule[f.ruleId] ?? 0) + 1;
  if (result.text !== read.text) {
    try {
      await safeWriteFile(path.resolve(ctx.cwd, file), encodeText(result.text, read.format), { expectedDigest: read.digest });
    } catch (e) {
      ctx.cache?.drop(abs);
      return { file, error: `math-writeup: cannot write ${escapeFileName(file)}: ${reason(e)} (file left unchanged)`, findings, text: read.text };
    }
    findings = await lintFull(result.text);
    remember(result.text, findings);
    return { file, findings, text: result.text, fixed: { count: result.applied.length, byRule } };
  }
  remember(read.text, findings);
  return { file, findings, text: read.text, fixed: { count: 0, byRule: {} } };
}
