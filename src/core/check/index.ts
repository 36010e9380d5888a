// Public API of the numeric-check engine (issue 3): parse ```check fences and run them synchronously.
// Pure: no Node built-ins. The worker runner (src/node) and the CLI call these functions.
import { findFences, isCheckFence } from '../scan/fences';
import type { FenceBlock } from '../scan/types';
import { LineIndex } from '../text';
import { splitBlock } from './parser/block';
import { DEFAULT_SEED, compile, firstStepper, newRun, runProgram } from './engine';
import { pretty } from './parser/pretty';
import { Budget, StopError, type Program } from './evaluation/scope';
import { fmt } from './evaluation/format';
import { Rng } from './rng';
import type { CheckProblem, CheckResult, CheckRunOptions } from './types';
import { CheckError, UndefinedError } from './errors';

export type { CheckProblem, CheckResult, CheckRunOptions, PlotSeries, PlotSpec, CheckStatus } from './types';

export const DEFAULT_TIME_LIMIT_MS = 10_000;

export interface ParsedCheck {
  title: string;
  expectFail: boolean;
  seed: number;
  /** 0-based line of the opening fence. */
  line: number;
  /** The linked program (internal representation). */
  program: Program;
  /** Line index of the document the check came from (for error ranges). */
  lines: LineIndex;
}

/** The one check-fence test (case-insensitive, as GitHub compares info strings): see ../scan/fences.ts. */
export { isCheckFence };

function problemAt(lines: LineIndex, s: number, e: number, message: string): CheckProblem {
  const start = Math.max(0, Math.min(s, lines.text.length));
  const end = Math.max(start, Math.min(e, lines.text.length));
  return { message, range: lines.range(start, end) };
}

function titleGuess(fence: FenceBlock): string {
  const m = /^title\s*:\s*(.*)$/m.exec(fence.content);
  return m ? m[1].trim() : '';
}

export function parseCheck(fence: FenceBlock, lines: LineIndex): { check?: ParsedCheck; problems: CheckProblem[] } {
  try {
    const { sections, errors } = splitBlock(fence, lines);
    if (errors.length) return { problems: errors.map((e) => problemAt(lines, e.start, e.end, e.message)) };
    if (sections.length === 0) {
      const s = lines.lineStarts[fence.line] ?? 0;
      return { problems: [problemAt(lines, s, s + 8, 'empty check block: write `claim: …` and the keys it needs')] };
    }
    const program = compile(sections, fence.line, lines.text);
    return {
      check: { title: program.title, expectFail: program.expectFail, seed: program.seed, line: fence.line, program, lines },
      problems: [],
    };
  } catch (e) {
    if (e instanceof CheckError) {
      let s = e.start;
      let en = e.end;
      if (s === 0 && en === 0) {
        s = lines.lineStarts[fence.line] ?? 0;
        en = s + 8;
      }
      return { problems: [problemAt(lines, s, en, e.message)] };
    }
    const s = lines.lineStarts[fence.line] ?? 0;
    return { problems: [problemAt(lines, s, s + 8, `internal error while reading the check: ${e instanceof Error ? e.message : String(e)}`)] };
  }
}

function baseResult(check: { title: string; line: number; expectFail: boolean; seed: number }, started: number): CheckResult {
  return {
    line: check.line,
    title: check.title,
    status: 'error',
    message: '',
    values: {},
    elapsedMs: Date.now() - started,
    expectFail: check.expectFail,
    seed: check.seed,
    problems: [],
    plots: [],
  };
}

/** Runs a parsed check; `startedAt` (default now) is when reading the block began, so parsing counts against the time limit. */
export function runParsedCheck(check: ParsedCheck, options: CheckRunOptions = {}, startedAt?: number): CheckResult {
  const started = startedAt ?? Date.now();
  const seed = options.seed ?? check.program.seed ?? DEFAULT_SEED;
  const result = baseResult({ ...check, seed }, started);
  const limit = options.timeLimitMs ?? DEFAULT_TIME_LIMIT_MS;
  const budget = new Budget(started, limit, options.isCancelled, options.onProgress);
  const prog = { ...check.program, seed };
  const run = newRun(prog, new Rng(seed), budget, options);
  try {
    budget.check();
    const out = runProgram(prog, run);
    result.values = out.values;
    result.plots = out.plots;
    if (check.expectFail) {
      result.status = out.holds ? 'fail' : 'pass';
      result.message = out.holds ? `expected the claim to fail, but it holds: ${out.message}` : `claim refuted as expected: ${out.message}`;
    } else {
      result.status = out.holds ? 'pass' : 'fail';
      result.message = out.message;
    }
  } catch (e) {
    result.status = 'error';
    result.values = { ...run.notes, iterations: budget.iterations };
    if (e instanceof StopError) {
      result.message = e.message;
    } else if (e instanceof CheckError) {
      result.message = e.message;
      if (e.end > e.start || e.start > 0) {
        const p = problemAt(check.lines, e.start, e.end, e.message);
        result.problems.push(p);
        result.message = `line ${p.range.start.line + 1}, column ${p.range.start.character + 1}: ${e.message}`;
      }
    } else if (e instanceof UndefinedError) {
      result.message = `undefined: ${pretty(e.message)}`;
      if (e.start >= 0) result.problems.push(problemAt(check.lines, e.start, e.end, e.message));
    } else if (e instanceof RangeError) {
      result.message = `the computation ran out of resources (${e.message}); make the problem smaller`;
    } else {
      result.message = `internal error: ${e instanceof Error ? e.message : String(e)}`;
    }
  }
  result.elapsedMs = Date.now() - started;
  options.onProgress?.(1, result.status);
  return result;
}

export function runCheckFence(fence: FenceBlock, lines: LineIndex, options: CheckRunOptions = {}): CheckResult {
  const started = Date.now();
  const { check, problems } = parseCheck(fence, lines);
  if (!check) {
    const r = baseResult({ title: titleGuess(fence), line: fence.line, expectFail: /^expect\s*:\s*fail/m.test(fence.content), seed: options.seed ?? DEFAULT_SEED }, started);
    r.problems = problems;
    const p = problems[0];
    r.message = p ? `line ${p.range.start.line + 1}, column ${p.range.start.character + 1}: ${p.message}` : 'invalid check block';
    r.elapsedMs = Date.now() - started;
    return r;
  }
  return runParsedCheck(check, options, started);
}

export function runChecksInText(text: string, options: CheckRunOptions = {}): CheckResult[] {
  const lines = new LineIndex(text);
  return findFences(text, lines)
    .filter(isCheckFence)
    .map((f) => runCheckFence(f, lines, options));
}

/** The recurrence of a check, run on its own (no verdicts, no plots): see `recurrenceOf`. */
export interface Recurrence {
  /** True when the update runs as compiled closures, false when every step goes through the interpreter. */
  compiled: boolean;
  /** Numbers in the state (the iterated variables, flattened in the order of `iterate`). */
  dim: number;
  x0: Float64Array;
  /** Runs `steps` steps from x_0: the final state, or with `record` all states x_0, …, x_steps one after another. */
  iterate(steps: number, record?: boolean): Float64Array;
}

/**
 * The recurrence of the first check block in `text` at its first point (first `for each` combination, first trial;
 * a swept recurrence is refused), stepped by the same code as the simulation. Throws Error with the block's message
 * when it does not parse. `options.interpretOnly` forces the interpreter.
 */
export function recurrenceOf(text: string, options: CheckRunOptions = {}): Recurrence {
  const lines = new LineIndex(text);
  const fence = findFences(text, lines).find(isCheckFence);
  if (!fence) throw new Error('no check block');
  const { check, problems } = parseCheck(fence, lines);
  if (!check) throw new Error(problems[0]?.message ?? 'invalid check block');
  const seed = options.seed ?? check.program.seed ?? DEFAULT_SEED;
  const prog = { ...check.program, seed };
  const budget = new Budget(Date.now(), options.timeLimitMs ?? DEFAULT_TIME_LIMIT_MS, options.isCancelled, undefined);
  const run = newRun(prog, new Rng(seed), budget, options);
  const st = firstStepper(prog, run);
  const n = st.dim;
  return {
    compiled: st.compiled,
    dim: n,
    x0: Float64Array.from(st.x0),
    iterate(steps, record = false) {
      st.reset();
      const out = record ? new Float64Array(n * (steps + 1)) : undefined;
      out?.set(st.x0);
      const bufs = [new Float64Array(n), new Float64Array(n)];
      let x = st.x0;
      for (let t = 0; t < steps; t++) {
        x = st.stepInto(x, t, bufs[t & 1]);
        out?.set(x, (t + 1) * n);
      }
      return out ?? Float64Array.from(x);
    },
  };
}

export { fmt as formatNumber };
