// Messages between the check runner (src/node/checkRunner.ts, calling thread) and the check worker
// (src/node/checkWorker.ts, bundled to dist/checkWorker.js): the types, and the error result both sides build.
import type { CheckResult } from '../core/check/types';
import type { LineIndex } from '../core/text';

/** `workerData` of a check worker. */
export interface CheckWorkerData {
  /** The whole Markdown document. */
  text: string;
  /**
   * Opening-fence lines (0-based) of the checks to run, in this order; when absent, every ```check block of the
   * document is run (or only the one on `onlyLine`).
   */
  lines?: number[];
  /** Run only the check whose opening fence is on this line (an error result when there is none). */
  onlyLine?: number;
  timeLimitMs: number;
  seed?: number;
}

/** A check the worker is going to run, announced before any runs. */
export interface PlannedCheck {
  line: number;
  title: string;
  expectFail: boolean;
  /** Seed the check will use (the block's `seed:`, the run's override, or the engine's default). */
  seed: number;
}

export type WorkerToRunner =
  | { type: 'plan'; checks: PlannedCheck[] }
  | { type: 'start'; line: number }
  | { type: 'progress'; line: number; fraction: number; message: string }
  | { type: 'result'; result: CheckResult }
  | { type: 'done' };

/**
 * The result of a check that could not run to its verdict (cancelled, stopped by a limit, a crash in the engine, no
 * block on the line): status `error`, the message as the one problem, underlining the opening fence line.
 */
export function plannedErrorResult(lines: LineIndex, check: PlannedCheck, message: string, elapsedMs: number): CheckResult {
  const width = check.line < lines.lineCount ? lines.lineText(check.line).length : 0;
  return {
    line: check.line,
    title: check.title,
    status: 'error',
    message,
    values: {},
    elapsedMs,
    expectFail: check.expectFail,
    seed: check.seed,
    problems: [{ message, range: { start: { line: check.line, character: 0 }, end: { line: check.line, character: width } } }],
    plots: [],
  };
}
