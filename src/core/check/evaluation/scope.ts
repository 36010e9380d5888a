// The state of a check's evaluation: the linked program (Program, refs), one run (RunState: random stream, budget,
// notes, the simulator's step measures), scopes of values (Scope), and the time/work budget (Budget).
import type { Binding, Equation, Node, StepRange, Sweep } from '../parser/ast';
import type { PlotSpec } from '../types';
import type { Rng } from '../rng';
import type { Value } from '../linalg/values';
import { fmtCount } from './format';

/** Largest number of matrix entries a check may create (2·10⁷ doubles = 160 MB). */
export const MAX_ENTRIES = 20_000_000;

export type Ref =
  | { r: 'local'; key: string }
  | { r: 'val'; key: string }
  | { r: 'let'; key: string }
  | { r: 'state'; base: string; next: boolean }
  | { r: 'perstep'; base: string }
  | { r: 'time' }
  | { r: 'index'; base: Ref; idx: Node[] }
  | { r: 'T'; eps: Node; of?: string }
  | { r: 'limit'; base: string }
  | { r: 'atStep'; base: string; step: Node }
  | { r: 'drawAt'; base: string; step: Node }
  | { r: 'const'; v: Value }
  | { r: 'eyeN'; size: Node };

export type AppRef =
  | { r: 'call'; key: string }
  | { r: 'builtin'; name: 'lambda_min' | 'lambda_max' | 'rho' | 'sigma_min' | 'sigma_max' | 'loss' }
  | { r: 'Tof'; of: string }
  /** `\lambda(A)` (all eigenvalues, decreasing) or `\lambda_i(A)` (the i-th largest). */
  | { r: 'eig'; idx?: Node }
  | { r: 'mul' };

/** Thrown when the time limit is reached or the run is cancelled. */
export class StopError extends Error {}

export interface SweepSpec {
  key: string;
  display: string;
  node: Node;
  /** Grid points (for an interval: the sampled grid). */
  points: number[];
  interval?: { lo: number; hi: number; log: boolean };
}

export interface Program {
  title: string;
  line: number;
  expectFail: boolean;
  seed: number;
  steps: number;
  stepsNode?: Node;
  trials: number;
  tolerance: number;
  toleranceGiven: boolean;
  givens: Binding[];
  lets: Map<string, Binding>;
  equations: Equation[];
  timeVar: string;
  stateBases: string[];
  /** The swept variable and its grid (read through Scope.sweep: a trial may have its own grid). */
  sweep?: SweepSpec;
  /** A sweep whose bounds use random givens: gridded for every judged trial (Scope.trialGrid); `sweep` names it. */
  sweepPerTrial?: Sweep;
  claim: Node;
  plots: Node[];
  refs: WeakMap<object, Ref>;
  appRefs: WeakMap<object, AppRef>;
  dynamicLets: Set<string>;
  perStep: Map<string, Binding & { kind: 'draw' }>;
  /** Sub-expressions of updates that do not change with t (cached per point). */
  staticNodes: WeakSet<object>;
  /** `\max_t`, `\min_{t \le T}` over the steps of the run (the other `agg` nodes range over the sweep). */
  stepAggs: WeakSet<object>;
  /** Scalar givens in declaration order (variables of \nabla of a let without parameters). */
  letVars: Map<string, string[]>;
  src: (s: number, e: number) => string;
}

export class Budget {
  iterations = 0;
  private polls = 0;
  constructor(
    readonly started: number,
    readonly limitMs: number,
    readonly isCancelled: (() => boolean) | undefined,
    readonly onProgress: ((f: number, m: string) => void) | undefined,
  ) {}

  /** Call from loops; throws StopError when time is up or the run was cancelled. */
  poll(): void {
    this.polls++;
    if ((this.polls & 255) !== 0) return;
    this.check();
  }

  check(): void {
    if (this.isCancelled?.()) throw new StopError('cancelled');
    const el = Date.now() - this.started;
    if (el > this.limitMs) {
      throw new StopError(`time limit ${fmtSeconds(this.limitMs)} reached after ${fmtCount(this.iterations)} iterations; lower \`steps\`, the sweep size or \`trials\`, or raise the time limit`);
    }
  }

  progress(f: number, m: string): void {
    this.onProgress?.(Math.max(0, Math.min(1, f)), m);
  }
}

function fmtSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

/** Shared state of one run of one check. */
export interface RunState {
  prog: Program;
  rng: Rng;
  budget: Budget;
  /** Values computed along the way (reported in the result). */
  notes: Record<string, unknown>;
  /** Plots produced while evaluating (aggregates over the sweep). */
  plots: PlotSpec[];
  /** Recurrence steps through the interpreter only (CheckRunOptions.interpretOnly). */
  interpretOnly?: boolean;
  /** Values along the run (w_{400}, T_ε, \max_t, measures): the simulator's functions. */
  steps: StepMeasures;
  /** Relations and derivatives, which are written on top of the evaluator. */
  ops: Operators;
}

/** Trajectory facts of one point (computed lazily by the simulator). */
export interface PointFacts {
  [k: string]: unknown;
}

export class Scope {
  readonly vals = new Map<string, Value>();
  readonly letCache = new Map<string, Value>();
  readonly locals = new Map<string, Value>();
  /** Values of static sub-expressions (see Program.staticNodes). */
  readonly nodeCache = new Map<object, Value>();
  state: Map<string, Value> | undefined;
  next: Map<string, Value> | undefined;
  perStepVals: Map<string, Value> | undefined;
  t = 0;
  /** Absolute slack added to comparisons (derivative error estimates, 3 standard errors of \mathbb{E}). */
  slack = 0;
  /** Facts about this point's trajectory (set by the simulator). */
  facts: unknown;
  /** Scopes of all trials of this combination (for \mathbb{E}). */
  siblings: Scope[] = [];
  /** Index of this point for reproducible per-step noise. */
  pointId = 0;
  /**
   * The sweep grid of this trial when its bounds use draws (`[0, 2/L]` with L drawn; Program.sweepPerTrial), set
   * on the trial's scope and inherited by the scopes below it; otherwise the program's grid.
   */
  trialGrid: SweepSpec | undefined;

  constructor(
    readonly run: RunState,
    readonly parent?: Scope,
  ) {
    if (parent) {
      this.siblings = parent.siblings;
      this.pointId = parent.pointId;
      this.trialGrid = parent.trialGrid;
    }
  }

  /** The sweep of this scope (name and grid), if the check has one. */
  get sweep(): SweepSpec | undefined {
    return this.trialGrid ?? this.run.prog.sweep;
  }

  lookup(key: string): Value | undefined {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    let s: Scope | undefined = this;
    while (s) {
      const v = s.vals.get(key);
      if (v !== undefined) return v;
      s = s.parent;
    }
    return undefined;
  }

  /** A child scope with one more value (a sweep point, a perturbed variable). */
  child(key?: string, v?: Value): Scope {
    const c = new Scope(this.run, this);
    if (key !== undefined && v !== undefined) c.vals.set(key, v);
    return c;
  }

  /** The sweep value of this scope, if any. */
  sweepValue(): number | undefined {
    const sw = this.run.prog.sweep;
    if (!sw) return undefined;
    const v = this.lookup(sw.key);
    return typeof v === 'number' ? v : undefined;
  }
}

/**
 * Trajectory quantities, computed by the simulator (simulation/measures.ts `stepMeasures`); the run carries them
 * (RunState.steps), so the evaluator needs no import of the simulator and no module state.
 */
export interface StepMeasures {
  measure(node: Node & { k: 'measure' }, sc: Scope): Value;
  T(eps: number, of: string | undefined, sc: Scope, node: Node): number;
  limit(base: string, sc: Scope, node: Node): Value;
  /** The value of an iterated variable after k steps (`w_{400}`). */
  atStep(base: string, k: number, sc: Scope, node: Node): Value;
  /** The per-step draw made at step k (the one x_{k+1} is computed with). */
  drawAt(base: string, k: number, sc: Scope, node: Node): Value;
  /** `\max_{t \le T} Q`, `\min_t Q`, `\forall t \le T: P` over the steps of the run; `at` is the deciding step. */
  overSteps(node: Node & StepRange & { k: 'agg' | 'forall' }, sc: Scope): { value: Value; at: number };
  aggregate(node: Node & { k: 'agg' }, sc: Scope): Value;
}

/**
 * The operators written on top of the evaluator: relations with their tolerances (evaluation/relations.ts) and
 * derivatives (calculus/derivatives.ts). The run carries them (RunState.ops, set by engine.ts `newRun`), so
 * evaluate.ts imports neither and no import leads back to it.
 */
export interface Operators {
  rel(n: Node & { k: 'rel' }, sc: Scope): boolean;
  grad(n: Node & { k: 'grad' }, sc: Scope): Value;
  partial(n: Node & { k: 'partial' }, sc: Scope): Value;
}
