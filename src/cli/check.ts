// `math-writeup check <files|dirs|globs…> [--format text|json] [--plots DIR] [--time-limit SECONDS] [--seed N]`
//
// Runs every ```check block of the given Markdown files in a worker (src/node/checkRunner.ts), one check at a time.
// Text output (stdout): one line per check, `path:line:col status title — message (0.4 s)`, 1-based like compiler
// messages, then one `path:line:col error message` line per located problem of that check; a summary goes to
// stderr. JSON output: see CHECK_USAGE. Exit code 0 when every check passes (an `expect: fail` check passes when
// its claim is refuted), 1 when one fails or errs, 2 on a usage or file problem (after running everything else).
import { figureSlug } from '../core/render/figureName';
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import type { CheckResult, PlotSpec } from '../core/check/types';
import { renderPlotSvg } from '../core/plot/svg';
import { startChecks } from '../node/checkRunner';
import { escapeFileName, expandInputs, readTextFile, reason } from '../node/files';
import { safeWriteFile } from '../node/safeWrite';
import { parseArgs, UsageError, type OptionSpec } from './args';
import type { CliIO } from './io';
import { IgnoreFilter } from '../node/ignoreFilter';
import { findConfigFile, readConfigFile } from '../node/configFile';
import { selectFiles } from './inputs';
import type { CheckFileOutcome } from './format/types';
import { checkJunit } from './format/junit';
import { checkAnnotations, workflowCommand } from './format/github';

export const CHECK_USAGE = `Usage: math-writeup check <files|dirs|globs…> [options]

Run the numeric checks (\`\`\`check blocks) of Markdown writeups. Directories are searched for *.md and *.markdown
files (node_modules and dot-directories skipped).

Options:
  --format F             text (default: "path:line:col status title — message (time)"), json, junit (JUnit
                         XML, one test case per check block) or github (GitHub Actions annotations)
  --plots DIR            write each check's plots as SVG files into DIR (created if needed), named after the
                         check's title, e.g. DIR/gd-stability.svg
  --time-limit SECONDS   time limit per check (default 10)
  --seed N               seed of the random draws of every check (default: each block's own seed)
  --ignore-pattern P     leave out files matching P (.gitignore syntax); repeatable. Files that .gitignore or the
                         configuration's "ignores" exclude are left out too
  --no-ignore            run every file found (no exclusions)
  -h, --help             show this help

JSON output: for one file named on the command line, one object
  {"file": "hw2.md", "checks": [{"line": 12, "title": "…", "status": "pass"|"fail"|"error",
                                 "message": "…", "values": {…}, "elapsedMs": 412, "expectFail": false,
                                 "seed": 1, "problems": [{"message": "…", "range": {…}}]}]}
where "line" is the 0-based line of the check's opening fence (ranges are 0-based too); for several files, or a
directory or glob, an array of such objects (one per file, also when only one file is found). Non-finite numbers in "values" are written as
the strings "NaN", "Infinity" and "-Infinity".

Exit code: 0 every check passed, 1 a check failed or could not run, 2 usage or file errors.`;

const SPEC: Record<string, OptionSpec> = {
  format: { type: 'string', choices: ['text', 'json', 'junit', 'github'] },
  plots: { type: 'string' },
  'time-limit': { type: 'string' },
  seed: { type: 'string' },
  'ignore-pattern': { type: 'string', repeatable: true },
  'no-ignore': { type: 'flag' },
  debug: { type: 'flag' },
  help: { type: 'flag', short: 'h' },
};

/** Longest time limit accepted (one hour per check). */
const MAX_TIME_LIMIT_S = 3600;

export interface CheckCommandDeps {
  /** Path of the worker script (tests); default: next to the running bundle. */
  workerPath?: string;
}

type FileOutcome = CheckFileOutcome;

function oneLine(s: string): string {
  return s.replace(/\s*(?:\r\n|\r|\n)\s*/g, ' ').trim();
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function formatElapsed(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '?';
  if (ms < 100) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(1)} s`;
}

/** Plain JSON for the engine's values: typed arrays as arrays, non-finite numbers as strings, no functions. */
export function jsonSafe(v: unknown, depth = 0): unknown {
  if (depth > 50) return '…';
  if (typeof v === 'number') return Number.isFinite(v) ? v : String(v);
  if (typeof v === 'bigint') return v.toString();
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  if (v === undefined || typeof v === 'function' || typeof v === 'symbol') return undefined;
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
    return Array.from(v as unknown as ArrayLike<number>, (x) => jsonSafe(x, depth + 1));
  }
  if (Array.isArray(v)) return v.map((x) => jsonSafe(x, depth + 1) ?? null);
  if (typeof v === 'object') {
    const withToJson = v as { toJSON?: () => unknown };
    if (typeof withToJson.toJSON === 'function') return jsonSafe(withToJson.toJSON(), depth + 1);
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      const y = jsonSafe(x, depth + 1);
      if (y !== undefined) out[k] = y;
    }
    return out;
  }
  return String(v);
}

/** File-name slug of a check title: the one naming of figures, shared with the extension's Save as SVG/PNG. */
export const slugify = (title: string, fallback: string): string => figureSlug(title, fallback);

function parsePositive(name: string, raw: string | undefined, max: number): number | undefined {
  if (raw === undefined) return undefined;
  const v = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(v) || v <= 0 || v > max) {
    throw new UsageError(`option --${name} must be a number of seconds between 0 and ${max}, not "${raw}"`);
  }
  return v;
}

function parseSeed(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const v = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(v) || v > 0xffffffff) {
    throw new UsageError(`option --seed must be a whole number from 0 to 4294967295, not "${raw}"`);
  }
  return v;
}

function runOne(text: string, timeLimitMs: number | undefined, seed: number | undefined, deps: CheckCommandDeps): Promise<CheckResult[]> {
  return startChecks({ text, timeLimitMs, seed }, { workerPath: deps.workerPath }).results;
}

export async function runCheckCommand(args: string[], io: CliIO, deps: CheckCommandDeps = {}): Promise<number> {
  let format: string;
  let plotsDir: string | undefined;
  let timeLimitMs: number | undefined;
  let seed: number | undefined;
  let positionals: string[];
  let ignorePatterns: string[];
  let noIgnore: boolean;
  try {
    const parsed = parseArgs(args, SPEC, 'check');
    if (parsed.flags.has('help')) {
      io.stdout(CHECK_USAGE + '\n');
      return 0;
    }
    positionals = parsed.positionals;
    if (positionals.length === 0) {
      throw new UsageError('check needs at least one file, directory or glob; run "math-writeup check --help" for usage');
    }
    format = parsed.values.get('format') ?? 'text';
    const plotsArg = parsed.values.get('plots');
    if (plotsArg !== undefined && plotsArg.trim() === '') throw new UsageError('option --plots needs a directory');
    plotsDir = plotsArg === undefined ? undefined : path.resolve(io.cwd, plotsArg);
    const limit = parsePositive('time-limit', parsed.values.get('time-limit'), MAX_TIME_LIMIT_S);
    timeLimitMs = limit === undefined ? undefined : Math.round(limit * 1000);
    seed = parseSeed(parsed.values.get('seed'));
    ignorePatterns = parsed.lists.get('ignore-pattern') ?? [];
    noIgnore = parsed.flags.has('no-ignore');
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`math-writeup: ${e.message}\n`);
      return 2;
    }
    throw e;
  }

  // One object in JSON only when the command names exactly one plain file.
  let singleFile = false;
  if (positionals.length === 1) {
    const st = await fsp.stat(path.resolve(io.cwd, positionals[0])).catch(() => undefined);
    singleFile = st?.isFile() ?? false;
  }

  const expanded = await expandInputs(positionals, io.cwd);
  const { errors } = expanded;
  let fileProblems = errors.length;
  for (const e of errors) io.stderr(e + '\n');
  // The same exclusions as lint: .gitignore, the configuration's "ignores", --ignore-pattern (none with --no-ignore).
  let files = expanded.files;
  if (!noIgnore) {
    const selected = await selectFiles(files, positionals, new IgnoreFilter(io.cwd, ignorePatterns), configIgnores(io.cwd));
    files = selected.kept;
    for (const note of selected.notes) io.stderr(note + '\n');
  }

  if (plotsDir !== undefined) {
    try {
      await fsp.mkdir(plotsDir, { recursive: true });
    } catch (e) {
      io.stderr(`math-writeup: cannot create the plots directory ${path.relative(io.cwd, plotsDir) || plotsDir}: ${reason(e)}\n`);
      return 2;
    }
  }

  const outcomes: FileOutcome[] = [];
  const usedSlugs = new Set<string>();
  let plotsWritten = 0;
  const started = Date.now();
  for (const file of files) {
    const read = await readTextFile(file, io.cwd);
    if (!read.ok) {
      fileProblems++;
      io.stderr(read.error + '\n');
      continue;
    }
    const results = await runOne(read.text, timeLimitMs, seed, deps);
    outcomes.push({ file, results });
    if (format === 'text') io.stdout(results.map((r) => textLines(file, r)).join(''));
    if (plotsDir !== undefined) {
      for (const r of results) {
        for (let k = 0; k < r.plots.length; k++) {
          const spec = r.plots[k];
          const checkSlug = slugify(r.title, `check-line-${r.line + 1}`);
          // One plot: named after the check; several: the check's name plus the plot's own title.
          const base = r.plots.length === 1 ? checkSlug : `${checkSlug}-${slugify(spec.title, String(k + 1))}`;
          let name = base;
          for (let n = 2; usedSlugs.has(name); n++) name = `${base}-${n}`;
          usedSlugs.add(name);
          const target = path.join(plotsDir, `${name}.svg`);
          const title = r.title && spec.title && spec.title !== r.title ? `${r.title} — ${spec.title}` : spec.title || r.title;
          const plot: PlotSpec = { ...spec, title };
          try {
            await safeWriteFile(target, Buffer.from(renderPlotSvg(plot), 'utf8'));
            plotsWritten++;
          } catch (e) {
            fileProblems++;
            io.stderr(`math-writeup: cannot write ${escapeFileName(path.relative(io.cwd, target) || target)}: ${reason(e)}\n`);
          }
        }
      }
    }
  }

  if (format === 'json') {
    const objects = outcomes.map((o) => ({
      file: o.file,
      checks: o.results.map((r) => ({
        line: r.line,
        title: r.title,
        status: r.status,
        message: r.message,
        values: jsonSafe(r.values) ?? {},
        elapsedMs: Math.round(r.elapsedMs * 10) / 10,
        expectFail: r.expectFail,
        seed: r.seed,
        problems: r.problems.map((p) => ({ message: p.message, range: p.range })),
      })),
    }));
    io.stdout(JSON.stringify(singleFile && objects.length === 1 ? objects[0] : objects, null, 2) + '\n');
  } else if (format === 'junit') io.stdout(checkJunit(outcomes));
  else if (format === 'github') io.stdout(checkAnnotations(outcomes).map(workflowCommand).join(''));

  const all = outcomes.flatMap((o) => o.results);
  const passed = all.filter((r) => r.status === 'pass').length;
  const failed = all.filter((r) => r.status === 'fail').length;
  const erred = all.filter((r) => r.status === 'error').length;
  let summary =
    all.length === 0
      ? `math-writeup: no checks found in ${plural(outcomes.length, 'file')}`
      : `math-writeup: ${plural(all.length, 'check')} in ${plural(outcomes.length, 'file')}: ${passed} passed, ${failed} failed, ${plural(erred, 'error')} (${formatElapsed(Date.now() - started)})`;
  if (plotsDir !== undefined) summary += `; ${plural(plotsWritten, 'plot')} written to ${path.relative(io.cwd, plotsDir) || '.'}`;
  if (fileProblems > 0) summary += `; ${plural(fileProblems, 'file problem')}`;
  io.stderr(summary + '\n');
  if (fileProblems > 0) return 2;
  return passed === all.length ? 0 : 1;
}

function textLines(file: string, r: CheckResult): string {
  const title = oneLine(r.title) || '(untitled check)';
  const expect = r.expectFail ? ' [expect: fail]' : '';
  const shown = escapeFileName(file);
  let out = `${shown}:${r.line + 1}:1 ${r.status} ${title}${expect} — ${oneLine(r.message)} (${formatElapsed(r.elapsedMs)})\n`;
  // Problems of a check that could not run are errors; those of a check that ran are warnings.
  const severity = r.status === 'error' ? 'error' : 'warning';
  for (const p of r.problems) {
    out += `${shown}:${p.range.start.line + 1}:${p.range.start.character + 1} ${severity} ${oneLine(p.message)}\n`;
  }
  return out;
}

/** The `ignores` of the configuration file that applies to each file (none when it is missing or invalid). */
function configIgnores(cwd: string): (file: string) => Promise<{ dir: string; patterns: readonly string[] } | undefined> {
  const byDir = new Map<string, Promise<{ dir: string; patterns: readonly string[] } | undefined>>();
  return (file) => {
    const dir = path.dirname(path.resolve(cwd, file));
    let p = byDir.get(dir);
    if (!p) {
      p = findConfigFile(dir).then(async (cfg) => {
        if (!cfg) return undefined;
        const { defaultRegistry } = await import('../core/lint/registry');
        const doc = await readConfigFile(cfg, defaultRegistry()).catch(() => undefined);
        return doc ? { dir: path.dirname(cfg), patterns: doc.ignores } : undefined;
      });
      byDir.set(dir, p);
    }
    return p;
  };
}
