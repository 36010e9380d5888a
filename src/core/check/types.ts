// Contract of the numeric-check engine (issue 3), shared by the engine (src/core/check),
// the worker runner (src/node), the CLI, the VS Code adapters and the plot writers.
import type { Range } from '../types';

export type CheckStatus = 'pass' | 'fail' | 'error';

/** One series of a plot: y against x (x is t for trajectories, or the swept parameter). */
export interface PlotSeries {
  name: string;
  x: number[];
  y: number[];
}

export interface PlotSpec {
  title: string;
  xLabel: string;
  yLabel: string;
  logX: boolean;
  logY: boolean;
  series: PlotSeries[];
  /** Optional vertical marker lines (e.g. the claimed and the empirical boundary). */
  markers?: { x: number; label: string }[];
}

/** A problem located in the document (0-based, UTF-16). */
export interface CheckProblem {
  message: string;
  range: Range;
}

export interface CheckResult {
  /** 0-based line of the opening ```check fence. */
  line: number;
  title: string;
  status: CheckStatus;
  /** One line with the decisive numbers. */
  message: string;
  /** All computed values worth showing (numbers, arrays, strings). */
  values: Record<string, unknown>;
  elapsedMs: number;
  /** True when the block says `expect: fail` (it passes when its claim is refuted). */
  expectFail: boolean;
  /** Seed of the random generator used (printed so a run can be reproduced). */
  seed: number;
  /** Errors with their exact place in the document (status 'error'); may hold warnings too. */
  problems: CheckProblem[];
  plots: PlotSpec[];
}

export interface CheckRunOptions {
  /** Wall-clock limit for one check in ms (default 10 000). */
  timeLimitMs?: number;
  /** Polled by long loops; return true to stop (the check then ends with status 'error', "cancelled"). */
  isCancelled?: () => boolean;
  /** Progress in [0, 1] with a short message. */
  onProgress?: (fraction: number, message: string) => void;
  /** Override every block's seed (reproduction). */
  seed?: number;
  /**
   * Run every recurrence step through the interpreter, never through the compiled scalar step (same results,
   * slower); for comparing the two.
   */
  interpretOnly?: boolean;
  /**
   * Differentiate by difference quotients only, never exactly (slower, with an error estimate); for comparing the
   * two and for benchmarks.
   */
  numericDerivatives?: boolean;
}
