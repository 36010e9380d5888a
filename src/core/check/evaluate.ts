// Name resolution and evaluation of check expressions. Names are resolved once per program (`link`), so the
// inner loops of an iterate only do map look-ups and arithmetic.
import type { Binding, Equation, Node, StepRange, Sweep, SymNode } from './ast';
import { type FastEnv, fillFamily } from './fastfamily';
import { pretty } from './pretty';
import type { PlotSpec } from './types';
import { Parser, canon, nablaName } from './parser';
import type { Rng } from './rng';
import {
  CheckError,
  Eye,
  FiniteSet,
  IntervalSet,
  Mat,
  ShapeError,
  UndefinedError,
  UndecidedError,
  add,
  demote,
  describe,
  det,
  eyeOf,
  frobenius,
  inv,
  matPow,
  mul,
  neg,
  norm2,
  eigenSystem,
  extremeEigenvalue,
  requireSquare,
  scale,
  singularValues,
  spectralRadius,
  transpose,
  type Value,
} from './values';

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
  sweep?: SweepSpec;
  /** A sweep whose bounds use random givens: `sweep` is gridded again for every judged trial. */
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

export function fmtCount(n: number): string {
  if (n < 1e5) return String(n);
  return n.toExponential(1).replace('e+', 'e');
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

  constructor(
    readonly run: RunState,
    readonly parent?: Scope,
  ) {
    if (parent) {
      this.siblings = parent.siblings;
      this.pointId = parent.pointId;
    }
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

/** Hook for trajectory quantities (set by simulate.ts to avoid a cycle). */
export interface MeasureHook {
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

let hook: MeasureHook | undefined;
export function setMeasureHook(h: MeasureHook): void {
  hook = h;
}

// ------------------------------------------------------------------ linking

export interface LinkEnv {
  prog: Program;
  locals: Set<string>;
  section: 'given' | 'let' | 'iterate' | 'claim' | 'plot' | 'const';
  /** For `given`: names defined so far. */
  givenSoFar?: Set<string>;
  valKeys: Set<string>;
  allGivenKeys: Set<string>;
  letKeys: Set<string>;
  funcKeys: Set<string>;
  familyKeys: Set<string>;
  /** Set while linking a let: its own key (to detect self reference) and the keys it uses. */
  uses?: Set<string>;
}

function subText(sym: SymNode): string {
  return sym.sub ? canon(sym.sub) : '';
}

function unknownSymbol(env: LinkEnv, sym: { s: number; e: number }, shown: string): CheckError {
  const where = env.section === 'given' ? 'define it earlier in `given`' : 'add it to `given`';
  return new CheckError(`unknown symbol \`${shown}\`: ${where}`, sym.s, sym.e);
}

function splitCommas(toks: SymNode['sub']): NonNullable<SymNode['sub']>[] {
  const out: NonNullable<SymNode['sub']>[] = [[]];
  let d = 0;
  for (const t of toks ?? []) {
    if (t.k === 'op' && (t.v === '(' || t.v === '[' || t.v === '{')) d++;
    if (t.k === 'op' && (t.v === ')' || t.v === ']' || t.v === '}')) d--;
    if (d === 0 && t.k === 'op' && t.v === ',') out.push([]);
    else out[out.length - 1].push(t);
  }
  return out;
}

/** True when a subscript uses a variable bound by \sum, \max_t, \forall t (a step number in a claim). */
function usesBound(toks: SymNode['sub'], env: LinkEnv): boolean {
  return !!toks?.some((t) => (t.k === 'id' && env.locals.has(t.v)) || (t.k === 'cmd' && env.locals.has('\\' + t.v)));
}

function resolveSym(sym: SymNode, env: LinkEnv): Ref {
  const { prog } = env;
  const shown = prog.src(sym.s, sym.e) || sym.key;
  const sub = subText(sym);
  // in claims and plots, w_t / x_t with t bound by \max_t, \sum_{t=0}^{T}, \forall t: the value at that step
  if (sym.sub && (env.section === 'claim' || env.section === 'plot') && usesBound(sym.sub, env) && !env.locals.has(sym.key)) {
    const perStep = prog.perStep.has(sym.baseKey);
    if (perStep || prog.stateBases.includes(sym.baseKey)) {
      const step = Parser.parseTokens(sym.sub);
      link(step, env);
      return perStep ? { r: 'drawAt', base: sym.baseKey, step } : { r: 'atStep', base: sym.baseKey, step };
    }
  }
  // iterated variables: w_t, w_{t+1}, w_0
  if (sym.sub && prog.stateBases.includes(sym.baseKey)) {
    const tv = prog.timeVar;
    if (sub === tv) {
      if (env.section === 'given') throw new CheckError(`\`${shown}\` changes with ${tv}; \`given\` holds fixed values such as ${sym.baseKey}_0`, sym.s, sym.e);
      if (env.section === 'claim') throw new CheckError(`a claim cannot use \`${shown}\` with a free ${tv}; bind ${tv} (\\max_{${tv} \\le T}, \\sum_{${tv}=0}^{T}, \\forall ${tv} \\le T: …), or use measured quantities such as \\text{converges}, T_\\epsilon or ${sym.baseKey}^\\star`, sym.s, sym.e);
      return { r: 'state', base: sym.baseKey, next: false };
    }
    if (sub === `${tv}+1`) {
      if (env.section !== 'iterate') throw new CheckError(`\`${shown}\` can only be used in \`iterate\``, sym.s, sym.e);
      return { r: 'state', base: sym.baseKey, next: true };
    }
  }
  if (env.locals.has(sym.key)) return { r: 'local', key: sym.key };
  if (prog.timeVar && sym.key === prog.timeVar && (env.section === 'iterate' || env.section === 'plot' || env.section === 'let') && prog.stateBases.length) return { r: 'time' };
  if (env.valKeys.has(sym.key)) {
    if (env.givenSoFar && !env.givenSoFar.has(sym.key) && !(prog.sweep && prog.sweep.key === sym.key)) {
      throw new CheckError(`\`${shown}\` is used before it is defined (define it earlier in \`given\`)`, sym.s, sym.e);
    }
    if (env.section === 'given' && prog.sweep && prog.sweep.key === sym.key) {
      throw new CheckError(`\`${shown}\` is swept, so \`given\` cannot use it; move this definition to \`let\``, sym.s, sym.e);
    }
    env.uses?.add(sym.key);
    return { r: 'val', key: sym.key };
  }
  if (env.letKeys.has(sym.key)) {
    if (env.section === 'given') throw new CheckError(`\`${shown}\` is defined in \`let\`, which \`given\` cannot use`, sym.s, sym.e);
    env.uses?.add(sym.key);
    return { r: 'let', key: sym.key };
  }
  if (env.funcKeys.has(sym.key)) {
    throw new CheckError(`\`${shown}\` is a function: call it with arguments, e.g. ${sym.key}(x)`, sym.s, sym.e);
  }
  if (sym.sub && prog.perStep.has(sym.baseKey) && sub === prog.perStep.get(sym.baseKey)?.perStep) {
    if (env.section !== 'iterate' && env.section !== 'let') {
      const tv = prog.perStep.get(sym.baseKey)?.perStep;
      throw new CheckError(`\`${shown}\` is drawn afresh at every step: in a claim, use it over the steps (\\max_${tv} \\|${sym.baseKey}_${tv}\\|, \\forall ${tv} \\le T: …) or at one step (${sym.baseKey}_{5})`, sym.s, sym.e);
    }
    return { r: 'perstep', base: sym.baseKey };
  }
  // measured iteration count T_ε
  if (sym.base === 'T' && sym.deco === '' && sym.sub && !env.valKeys.has('T') && !env.letKeys.has('T')) {
    if (env.section !== 'claim' && env.section !== 'plot') throw new CheckError('T_ε (iterations to reach relative error ε) can only be used in `claim` or `plot`', sym.s, sym.e);
    if (!prog.stateBases.length) throw new CheckError('T_ε needs an `iterate`', sym.s, sym.e);
    const eps = Parser.parseTokens(sym.sub);
    link(eps, env);
    return { r: 'T', eps };
  }
  // limit w^\star of an iterated variable
  if (sym.deco === '^{\\star}' && !sym.sub && prog.stateBases.includes(sym.base)) {
    if (env.section === 'iterate' || env.section === 'given') throw new CheckError(`the limit \`${shown}\` is measured and can only be used in \`claim\` or \`plot\``, sym.s, sym.e);
    return { r: 'limit', base: sym.base };
  }
  // indexing x_i, H_{ij}, x_{t}[i] handled by index nodes
  if (sym.sub) {
    const baseKnown = env.valKeys.has(sym.baseKey) || env.letKeys.has(sym.baseKey) || env.familyKeys.has(sym.baseKey) || env.locals.has(sym.baseKey);
    if (baseKnown) {
      const baseRef: Ref = env.locals.has(sym.baseKey)
        ? { r: 'local', key: sym.baseKey }
        : env.valKeys.has(sym.baseKey)
          ? { r: 'val', key: sym.baseKey }
          : { r: 'let', key: sym.baseKey };
      if (baseRef.r === 'let') env.uses?.add(sym.baseKey);
      if (baseRef.r === 'val') env.uses?.add(sym.baseKey);
      const toks = sym.sub;
      let idx: Node[];
      const letters = toks.filter((t) => !(t.k === 'op' && t.v === ','));
      if (toks.length >= 2 && toks.every((t) => t.k === 'id') && toks.every((t) => env.locals.has(t.v))) {
        idx = toks.map((t) => ({ k: 'sym', base: t.v, deco: '', key: t.v, baseKey: t.v, s: t.s, e: t.e }) as Node);
      } else if (letters.length === 0) {
        throw new CheckError(`empty subscript in \`${shown}\``, sym.s, sym.e);
      } else {
        idx = splitCommas(toks).map((part) => Parser.parseTokens(part));
      }
      for (const i of idx) link(i, env);
      return { r: 'index', base: baseRef, idx };
    }
  }
  if (!sym.sub && sym.deco === '') {
    if (sym.key === 'e') return { r: 'const', v: Math.E };
    if (sym.key === 'I') return { r: 'const', v: new Eye(1) };
  }
  if (sym.base === 'I' && sym.sub && sym.deco === '') {
    const size = Parser.parseTokens(sym.sub);
    link(size, env);
    return { r: 'eyeN', size };
  }
  if (env.allGivenKeys.has(sym.key)) throw new CheckError(`\`${shown}\` is used before it is defined (define it earlier in \`given\`)`, sym.s, sym.e);
  // the value at a given step, w_{400} or w_{T} (in claims and plots over a sweep); x_{5}: the draw of step 5
  if (sym.sub && (prog.stateBases.includes(sym.baseKey) || prog.perStep.has(sym.baseKey)) && (env.section === 'claim' || env.section === 'plot')) {
    const step = Parser.parseTokens(sym.sub);
    link(step, env);
    return prog.perStep.has(sym.baseKey) ? { r: 'drawAt', base: sym.baseKey, step } : { r: 'atStep', base: sym.baseKey, step };
  }
  if (sym.sub && prog.stateBases.includes(sym.baseKey)) {
    throw new CheckError(`\`${shown}\`: an iterated variable is written ${sym.baseKey}_${prog.timeVar}, ${sym.baseKey}_{${prog.timeVar}+1} or ${sym.baseKey}_0 (define ${sym.baseKey}_0 in \`given\`)`, sym.s, sym.e);
  }
  throw unknownSymbol(env, sym, shown);
}

const BUILTIN_APPS: Record<string, AppRef & { r: 'builtin' }> = {
  '\\lambda_{\\min}': { r: 'builtin', name: 'lambda_min' },
  '\\lambda_{\\max}': { r: 'builtin', name: 'lambda_max' },
  '\\lambda_{\\text{min}}': { r: 'builtin', name: 'lambda_min' },
  '\\lambda_{\\text{max}}': { r: 'builtin', name: 'lambda_max' },
  '\\rho': { r: 'builtin', name: 'rho' },
  '\\sigma_{\\min}': { r: 'builtin', name: 'sigma_min' },
  '\\sigma_{\\max}': { r: 'builtin', name: 'sigma_max' },
};

/** Resolve every name below `n` (throws CheckError at the first unknown one). */
export function link(n: Node, env: LinkEnv): void {
  const { prog } = env;
  switch (n.k) {
    case 'num':
    case 'const':
      return;
    case 'sym':
      prog.refs.set(n, resolveSym(n as SymNode, env));
      return;
    case 'zeros':
    case 'ones':
    case 'eyeN':
      link(n.size, env);
      return;
    case 'bin':
    case 'logic':
      link(n.a, env);
      link(n.b, env);
      return;
    case 'neg':
    case 'not':
    case 'abs':
    case 'norm':
    case 'transpose':
    case 'ceil':
    case 'floor':
    case 'fact':
      link(n.a, env);
      return;
    case 'rel':
      n.items.forEach((x) => link(x, env));
      return;
    case 'fn':
      n.args.forEach((x) => link(x, env));
      if (n.base) link(n.base, env);
      return;
    case 'app': {
      const f = n.f;
      if (!(f.base === 'T' && f.sub && n.args.length === 1 && n.args[0].k === 'sym' && prog.stateBases.includes((n.args[0] as SymNode).key))) n.args.forEach((x) => link(x, env));
      if (env.funcKeys.has(f.key)) {
        const def = prog.lets.get(f.key);
        if (def && def.kind === 'func' && def.params.length !== n.args.length) {
          throw new CheckError(`\`${prog.src(f.s, f.e)}\` takes ${def.params.length} argument(s), got ${n.args.length}`, n.s, n.e);
        }
        env.uses?.add(f.key);
        prog.appRefs.set(n, { r: 'call', key: f.key });
        return;
      }
      const known = env.valKeys.has(f.key) || env.letKeys.has(f.key) || env.locals.has(f.key);
      // T_ε(w): iterations for one iterated variable
      if (!known && f.base === 'T' && f.sub && n.args.length === 1 && n.args[0].k === 'sym' && prog.stateBases.includes((n.args[0] as SymNode).key)) {
        link(f, env);
        prog.appRefs.set(n, { r: 'Tof', of: (n.args[0] as SymNode).key });
        return;
      }
      if (!known && BUILTIN_APPS[f.key]) {
        if (n.args.length !== 1) throw new CheckError(`\`${prog.src(f.s, f.e)}\` takes one matrix`, n.s, n.e);
        prog.appRefs.set(n, BUILTIN_APPS[f.key]);
        return;
      }
      // \lambda(A): the eigenvalues as a vector; \lambda_i(A): the i-th largest (while \lambda is not defined)
      if (!known && f.base === '\\lambda' && f.deco === '' && !env.valKeys.has(f.baseKey) && !env.letKeys.has(f.baseKey) && !env.locals.has(f.baseKey)) {
        if (n.args.length !== 1) throw new CheckError(`\`${prog.src(f.s, f.e)}\` takes one matrix`, n.s, n.e);
        let idx: Node | undefined;
        if (f.sub) {
          idx = Parser.parseTokens(f.sub);
          link(idx, env);
        }
        prog.appRefs.set(n, { r: 'eig', idx });
        return;
      }
      link(f, env);
      prog.appRefs.set(n, { r: 'mul' });
      return;
    }
    case 'matrix':
      n.rows.forEach((r) => r.forEach((x) => link(x, env)));
      return;
    case 'tuple':
    case 'set':
      n.items.forEach((x) => link(x, env));
      return;
    case 'interval':
      link(n.lo, env);
      link(n.hi, env);
      return;
    case 'sumprod': {
      link(n.lo, env);
      link(n.hi, env);
      const locals = new Set(env.locals);
      locals.add(n.v);
      link(n.body, { ...env, locals });
      return;
    }
    case 'agg': {
      if (env.section !== 'claim' && env.section !== 'plot') throw new CheckError('\\min/\\max/\\arg\\min over a swept variable or the steps can only be used in `claim`', n.s, n.e);
      if (prog.sweep && prog.sweep.key === n.v.key) {
        if (n.lo || n.hi) throw new CheckError(`\`${prog.src(n.v.s, n.v.e)}\` is swept over its own range; write \\${n.op}_${n.v.key} without bounds`, n.v.s, n.v.e);
        link(n.body, env);
        return;
      }
      if (!prog.stateBases.length) {
        throw new CheckError(`\`${prog.src(n.v.s, n.v.e)}\` is not swept: add \`sweep: ${n.v.key} \\in [a, b]\` (or an \`iterate\` to take the ${n.op} over its steps)`, n.v.s, n.v.e);
      }
      if (n.op === 'argmin' || n.op === 'argmax') throw new CheckError(`\\arg\\${n.op.slice(3)} over the steps is not supported; use \\${n.op.slice(3)}_${n.v.key}`, n.s, n.e);
      linkStepRange(n, env);
      prog.stepAggs.add(n);
      return;
    }
    case 'forall':
      if (env.section !== 'claim') throw new CheckError('\\forall can only be used in `claim`', n.s, n.e);
      if (!prog.stateBases.length) throw new CheckError('\\forall ranges over the steps of an `iterate`; this block has none (a sweep claim already holds at every point)', n.s, n.e);
      linkStepRange(n, env);
      return;
    case 'indicator':
      link(n.cond, env);
      return;
    case 'E':
      link(n.body, env);
      return;
    case 'grad': {
      if (n.f.k === 'sym' && n.order === 1 && !n.at) {
        // \nabla F_j defined as a name in `let`: a value, not a derivative
        const f = n.f as SymNode;
        const named = nablaName(f.baseKey);
        if (env.letKeys.has(nablaName(f.key)) || env.letKeys.has(named) || env.familyKeys.has(named)) {
          const sym: SymNode = { ...f, base: nablaName(f.base), key: nablaName(f.key), baseKey: named, s: n.s, e: n.e };
          prog.refs.set(n, resolveSym(sym, env));
          return;
        }
      }
      if (n.f.k === 'sym') {
        const f = n.f as SymNode;
        if (!env.funcKeys.has(f.key) && !env.letKeys.has(f.key)) {
          throw new CheckError(`\\nabla needs a function defined in \`let\` (e.g. f(x, y) = …); \`${prog.src(f.s, f.e)}\` is not one`, f.s, f.e);
        }
        env.uses?.add(f.key);
      } else link(n.f, env);
      n.at?.forEach((x) => link(x, env));
      return;
    }
    case 'partial': {
      if (n.f.k === 'sym' && env.funcKeys.has((n.f as SymNode).key)) env.uses?.add((n.f as SymNode).key);
      else link(n.f, env);
      for (const w of n.wrt) {
        if (!env.valKeys.has(w.key) && !env.locals.has(w.key)) {
          throw new CheckError(`cannot differentiate with respect to \`${prog.src(w.s, w.e)}\`: it is not a value in \`given\``, w.s, w.e);
        }
      }
      return;
    }
    case 'measure':
      if (env.section !== 'claim' && env.section !== 'plot') throw new CheckError(`\`${prog.src(n.s, n.e)}\` is measured on the trajectory and can only be used in \`claim\` or \`plot\``, n.s, n.e);
      if (!prog.stateBases.length) throw new CheckError(`\`${prog.src(n.s, n.e)}\` needs an \`iterate\``, n.s, n.e);
      if (n.of && !prog.stateBases.includes(n.of.key)) throw new CheckError(`\`${prog.src(n.of.s, n.of.e)}\` is not an iterated variable`, n.of.s, n.of.e);
      return;
    case 'index':
      link(n.base, env);
      n.idx.forEach((x) => link(x, env));
      return;
    case 'dist':
      throw new CheckError('a distribution can only follow \\sim in `given`', n.s, n.e);
  }
}

/** Bounds in the enclosing names, the body with the step variable bound. */
function linkStepRange(n: Node & StepRange & { body: Node }, env: LinkEnv): void {
  if (n.lo) link(n.lo, env);
  if (n.hi) link(n.hi, env);
  const locals = new Set(env.locals);
  locals.add(n.v.key);
  link(n.body, { ...env, locals });
}

// ------------------------------------------------------------------ evaluation

function at(n: { s: number; e: number }, f: () => Value): Value {
  try {
    return f();
  } catch (e) {
    if (e instanceof ShapeError) throw new CheckError(e.message, n.s, n.e);
    if (e instanceof UndefinedError && e.start < 0) throw new UndefinedError(e.message, n.s, n.e);
    throw e;
  }
}

export function num(v: Value, n: { s: number; e: number }, what = 'a number'): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v instanceof Mat && v.r === 1 && v.c === 1) return v.d[0];
  throw new CheckError(`expected ${what}, got ${describe(v)}`, n.s, n.e);
}

export function bool(v: Value, n: { s: number; e: number }): boolean {
  if (typeof v === 'boolean') return v;
  throw new CheckError(`expected a statement (true/false), got ${describe(v)}`, n.s, n.e);
}

function checkFinite(x: number, n: Node, sc: Scope): number {
  if (Number.isNaN(x)) throw new UndefinedError(`\`${sc.run.prog.src(n.s, n.e)}\` is not a number (NaN)`, n.s, n.e);
  return x;
}

function snapInt(x: number): number {
  const r = Math.round(x);
  return Math.abs(x - r) <= 1e-12 * Math.max(1, Math.abs(x)) ? r : x;
}

export function scalarFn(name: string, x: number, n: Node, sc: Scope): number {
  const shown = () => sc.run.prog.src(n.s, n.e);
  switch (name) {
    case 'log':
    case 'ln':
    case 'lg':
      if (x <= 0) throw new UndefinedError(`log of a ${x === 0 ? 'zero' : 'negative'} number (${fmt(x)}) in \`${shown()}\``, n.s, n.e);
      return name === 'lg' ? Math.log2(x) : Math.log(x);
    case 'exp':
      return Math.exp(x);
    case 'sqrt':
      if (x < 0) throw new UndefinedError(`square root of a negative number (${fmt(x)}) in \`${shown()}\``, n.s, n.e);
      return Math.sqrt(x);
    case 'sin':
      return Math.sin(x);
    case 'cos':
      return Math.cos(x);
    case 'tan':
      return Math.tan(x);
    case 'cot':
      return 1 / Math.tan(x);
    case 'sec':
      return 1 / Math.cos(x);
    case 'csc':
      return 1 / Math.sin(x);
    case 'arcsin':
    case 'arccos': {
      let y = x;
      if (Math.abs(y) > 1) {
        if (Math.abs(y) - 1 <= 1e-12) y = Math.sign(y);
        else throw new UndefinedError(`${name} of ${fmt(x)} (outside [−1, 1]) in \`${shown()}\``, n.s, n.e);
      }
      return name === 'arcsin' ? Math.asin(y) : Math.acos(y);
    }
    case 'arctan':
      return Math.atan(x);
    case 'sinh':
      return Math.sinh(x);
    case 'cosh':
      return Math.cosh(x);
    case 'tanh':
      return Math.tanh(x);
    case 'sgn':
      return Math.sign(x);
    case 'round':
      return Math.round(x);
    case 'sigmoid':
      return 1 / (1 + Math.exp(-x));
    case 'relu':
      return Math.max(0, x);
    default:
      throw new CheckError(`\`${name}\` is not a function of a number`, n.s, n.e);
  }
}

export function fmt(x: number): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'NaN' : x > 0 ? '∞' : '−∞';
  if (x === 0) return '0';
  const a = Math.abs(x);
  let s: string;
  if (a >= 1e-4 && a < 1e7) s = String(Number(x.toPrecision(6)));
  else s = x.toExponential(4).replace(/\.?0+e/, 'e').replace('e+', 'e');
  return s.replace('-', '−');
}

function pow(a: Value, b: Value, n: Node & { k: 'bin' }, sc: Scope): Value {
  if (typeof a === 'number' && typeof b === 'number') {
    if (a < 0 && !Number.isInteger(b)) throw new UndefinedError(`non-integer power of a negative number (${fmt(a)}^${fmt(b)}) in \`${sc.run.prog.src(n.s, n.e)}\``, n.s, n.e);
    if (a === 0 && b < 0) throw new UndefinedError(`division by zero (0^${fmt(b)}) in \`${sc.run.prog.src(n.s, n.e)}\``, n.s, n.e);
    return Math.pow(a, b);
  }
  if (typeof b === 'number' && (a instanceof Mat || a instanceof Eye)) {
    if (a instanceof Eye) return new Eye(Math.pow(a.s, b));
    if (!Number.isInteger(b)) throw new CheckError(`a matrix power must be an integer, got ${fmt(b)}`, n.b.s, n.b.e);
    if (a.vec) throw new CheckError(`cannot raise ${describe(a)} to a power (use \\|x\\|^2 or x^\\top x)`, n.s, n.e);
    const m = requireSquare(a, 'a matrix power');
    if (b < 0) {
      const iv = inv(m);
      return demote(matPow(iv as Mat, -b));
    }
    return demote(matPow(m, b));
  }
  throw new CheckError(`cannot raise ${describe(a)} to the power ${describe(b)}`, n.s, n.e);
}

function toIndex(v: Value, n: Node, size: number, what: string): number {
  const x = num(v, n, 'an index');
  if (!Number.isInteger(x) || x < 1 || x > size) throw new CheckError(`index ${fmt(x)} is outside 1…${size} of ${what}`, n.s, n.e);
  return x - 1;
}

function indexValue(base: Value, idx: number[], nodes: Node[], n: Node): Value {
  if (!(base instanceof Mat)) throw new CheckError(`cannot index ${describe(base)}`, n.s, n.e);
  if (base.vec) {
    if (idx.length !== 1) throw new CheckError(`a vector takes one index, got ${idx.length}`, n.s, n.e);
    return base.d[toIndex(idx[0], nodes[0], base.r, describe(base))];
  }
  if (idx.length === 1) {
    // row i of a matrix, as a vector (a view: values are never changed in place)
    const i = toIndex(idx[0], nodes[0], base.r, describe(base));
    return new Mat(base.c, 1, base.d.subarray(i * base.c, (i + 1) * base.c), true);
  }
  if (idx.length === 2) {
    const i = toIndex(idx[0], nodes[0], base.r, describe(base));
    const j = toIndex(idx[1], nodes[1], base.c, describe(base));
    return base.d[i * base.c + j];
  }
  throw new CheckError(`too many indices (${idx.length})`, n.s, n.e);
}

export function evalLet(key: string, sc: Scope, n: { s: number; e: number }): Value {
  const prog = sc.run.prog;
  const def = prog.lets.get(key);
  if (!def) throw new CheckError(`unknown definition \`${key}\``, n.s, n.e);
  const dynamic = prog.dynamicLets.has(key);
  // Cache on the nearest scope that holds values (or the iterate state, for lets that change with t); a let that
  // does not depend on the swept value is cached above the sweep point, once per trial.
  const sweepKey = prog.sweep?.key;
  const above = !dynamic && sweepKey !== undefined && sweepFree(key, prog);
  let owner: Scope = sc;
  while (owner.parent && (owner.vals.size === 0 || (above && owner.vals.size === 1 && owner.vals.has(sweepKey))) && !(dynamic && owner.state)) owner = owner.parent;
  const cached = owner.letCache.get(key);
  if (cached !== undefined) return cached;
  let v: Value;
  if (def.kind === 'value') v = ev(def.expr, sc);
  else if (def.kind === 'family') v = buildFamily(def, sc);
  else throw new CheckError(`\`${def.display}\` is a function: call it with arguments`, n.s, n.e);
  if (def.kind === 'value' && def.sqrtOf) v = sqrtValue(v, def.expr, sc);
  owner.letCache.set(key, v);
  return v;
}

function sqrtValue(v: Value, n: Node, sc: Scope): Value {
  return scalarFn('sqrt', num(v, n), n, sc);
}

function buildFamily(def: Binding & { kind: 'family' }, sc: Scope): Value {
  const sizes = def.ranges.map(([lo, hi]) => {
    const a = num(ev(lo, sc), lo);
    const b = num(ev(hi, sc), hi);
    if (!Number.isInteger(a) || !Number.isInteger(b)) throw new CheckError('index ranges must be whole numbers', lo.s, hi.e);
    if (b < a) throw new CheckError(`empty index range ${a}, …, ${b}`, lo.s, hi.e);
    return [a, b - a + 1];
  });
  const total = sizes.reduce((p, [, c]) => p * c, 1);
  if (total > MAX_ENTRIES) {
    throw new CheckError(`\`${def.display}\` would have ${fmtCount(total)} entries; the limit is 2·10^7`, def.ranges[0][1].s, def.ranges[def.ranges.length - 1][1].e);
  }
  const local = sc.child();
  const budget = sc.run.budget;
  if (def.indices.length === 1) {
    const [a, count] = sizes[0];
    let out: Float64Array | undefined;
    let width = 1;
    let vec = true;
    for (let k = 0; k < count; k++) {
      budget.poll();
      local.locals.set(def.indices[0], a + k);
      const v = ev(def.expr, local);
      if (typeof v === 'number') {
        if (!out) out = new Float64Array(count);
        out[k] = v;
      } else if (v instanceof Mat && (v.vec || v.r === 1)) {
        if (!out) {
          width = v.d.length;
          if (count * width > MAX_ENTRIES) throw new CheckError(`\`${def.display}\` would have ${fmtCount(count * width)} entries; the limit is 2·10^7`, def.s, def.e);
          out = new Float64Array(count * width);
          vec = false;
        }
        if (v.d.length !== width) throw new CheckError(`the entries of \`${def.display}\` have different sizes`, def.expr.s, def.expr.e);
        out.set(v.d, k * width);
      } else throw new CheckError(`an indexed definition needs numbers or vectors, got ${describe(v)}`, def.expr.s, def.expr.e);
    }
    return new Mat(count, vec ? 1 : width, out ?? new Float64Array(0), vec);
  }
  if (def.indices.length === 2) {
    const [a, rows] = sizes[0];
    const [b, cols] = sizes[1];
    const fast = fastFamily(def, local, a, rows, b, cols);
    if (fast) return demote(new Mat(rows, cols, fast, false));
    const out = new Float64Array(rows * cols);
    for (let i = 0; i < rows; i++) {
      budget.check();
      budget.progress(i / rows, `building ${def.display}`);
      local.locals.set(def.indices[0], a + i);
      for (let j = 0; j < cols; j++) {
        local.locals.set(def.indices[1], b + j);
        out[i * cols + j] = num(ev(def.expr, local), def.expr);
      }
    }
    return demote(new Mat(rows, cols, out, false));
  }
  throw new CheckError('indexed definitions take one or two indices', def.nameS, def.nameE);
}

/**
 * The two-index family through compiled row kernels (see fastfamily.ts); undefined when the entry expression is
 * outside the compiled subset or a problem occurred (the interpreter then recomputes and reports it).
 */
function fastFamily(def: Binding & { kind: 'family' }, local: Scope, a: number, rows: number, b: number, cols: number): Float64Array | undefined {
  const prog = local.run.prog;
  const [ki, kj] = def.indices;
  const env: FastEnv = {
    slotOf(n) {
      const ref = prog.refs.get(n);
      if (!ref || ref.r !== 'local') return undefined;
      return ref.key === ki ? 0 : ref.key === kj ? 1 : undefined;
    },
    constSym(n) {
      const ref = prog.refs.get(n);
      if (!ref) return undefined;
      if (ref.r === 'val' || ref.r === 'let' || ref.r === 'const') return evalRef(ref, local, n);
      if (ref.r === 'local' && ref.key !== ki && ref.key !== kj) return lookupLocal(local, ref.key);
      return undefined;
    },
    indexedSym(n) {
      const ref = prog.refs.get(n);
      if (!ref || ref.r !== 'index') return undefined;
      const base = evalRefConst(ref.base);
      return base === undefined ? undefined : { base, idx: ref.idx };
    },
    scalarFn: (name, x, n) => scalarFn(name, x, n, local),
    isStatic: (n) => prog.staticNodes.has(n),
  };
  function evalRefConst(ref: Ref): Value | undefined {
    if (ref.r === 'val' || ref.r === 'let' || ref.r === 'const') return evalRef(ref, local, def.expr);
    return undefined;
  }
  const budget = local.run.budget;
  try {
    return fillFamily(def.expr, env, a, rows, b, cols, (i) => {
      budget.check();
      budget.progress(i / rows, `building ${def.display}`);
    });
  } catch (e) {
    if (e instanceof StopError) throw e;
    return undefined;
  }
}

export function callFunc(key: string, args: Value[], sc: Scope, n: Node): Value {
  const def = sc.run.prog.lets.get(key);
  if (!def || def.kind !== 'func') throw new CheckError(`\`${key}\` is not a function`, n.s, n.e);
  const local = sc.child();
  def.params.forEach((p, i) => local.locals.set(p, args[i]));
  return ev(def.expr, local);
}

function lookupLocal(sc: Scope, key: string): Value | undefined {
  let s: Scope | undefined = sc;
  while (s) {
    const v = s.locals.get(key);
    if (v !== undefined) return v;
    s = s.parent;
  }
  return undefined;
}

function lookupState(sc: Scope, base: string, next: boolean, n: Node): Value {
  let s: Scope | undefined = sc;
  while (s) {
    const m = next ? s.next : s.state;
    if (m) {
      const v = m.get(base);
      if (v !== undefined) return v;
      if (next) throw new CheckError(`\`${sc.run.prog.src(n.s, n.e)}\` is used before it is computed (circular updates)`, n.s, n.e);
    }
    s = s.parent;
  }
  throw new CheckError(`\`${sc.run.prog.src(n.s, n.e)}\` is only known while iterating`, n.s, n.e);
}

function lookupStateScope(sc: Scope): Scope | undefined {
  let s: Scope | undefined = sc;
  while (s) {
    if (s.state) return s;
    s = s.parent;
  }
  return undefined;
}

export function evalRef(ref: Ref, sc: Scope, n: Node): Value {
  switch (ref.r) {
    case 'val': {
      const v = sc.lookup(ref.key);
      if (v === undefined) throw new CheckError(`\`${sc.run.prog.src(n.s, n.e)}\` has no value here`, n.s, n.e);
      return v;
    }
    case 'local': {
      const v = lookupLocal(sc, ref.key);
      if (v === undefined) throw new CheckError(`\`${ref.key}\` has no value here`, n.s, n.e);
      return v;
    }
    case 'let':
      return evalLet(ref.key, sc, n);
    case 'state':
      return lookupState(sc, ref.base, ref.next, n);
    case 'time': {
      const s = lookupStateScope(sc);
      if (!s) throw new CheckError('the step counter is only known while iterating', n.s, n.e);
      return s.t;
    }
    case 'perstep': {
      let s: Scope | undefined = sc;
      while (s) {
        const v = s.perStepVals?.get(ref.base);
        if (v !== undefined) return v;
        s = s.parent;
      }
      throw new CheckError('fresh draws are only known while iterating', n.s, n.e);
    }
    case 'index': {
      const base = evalRef(ref.base, sc, n);
      if (ref.idx.length === 1) return indexValue(base, [ev(ref.idx[0], sc) as number], ref.idx, n);
      const idx = ref.idx.map((x) => ev(x, sc));
      return indexValue(base, idx as number[], ref.idx, n);
    }
    case 'T': {
      if (!hook) throw new CheckError('no simulator', n.s, n.e);
      const eps = num(ev(ref.eps, sc), ref.eps, 'ε');
      if (!(eps > 0 && eps < 1)) throw new CheckError(`ε must lie in (0, 1), got ${fmt(eps)}`, ref.eps.s, ref.eps.e);
      return hook.T(eps, ref.of, sc, n);
    }
    case 'limit':
      if (!hook) throw new CheckError('no simulator', n.s, n.e);
      return hook.limit(ref.base, sc, n);
    case 'atStep': {
      if (!hook) throw new CheckError('no simulator', n.s, n.e);
      const k = num(ev(ref.step, sc), ref.step, 'a step number');
      if (!Number.isInteger(k) || k < 0 || k > 10_000_000) throw new CheckError(`a step number is a whole number from 0 to 10^7, got ${fmt(k)}`, ref.step.s, ref.step.e);
      return hook.atStep(ref.base, k, sc, n);
    }
    case 'drawAt': {
      if (!hook) throw new CheckError('no simulator', n.s, n.e);
      const k = num(ev(ref.step, sc), ref.step, 'a step number');
      if (!Number.isInteger(k) || k < 0 || k > 10_000_000) throw new CheckError(`a step number is a whole number from 0 to 10^7, got ${fmt(k)}`, ref.step.s, ref.step.e);
      return hook.drawAt(ref.base, k, sc, n);
    }
    case 'const':
      return ref.v;
    case 'eyeN': {
      const k = num(ev(ref.size, sc), ref.size);
      if (!Number.isInteger(k) || k < 1) throw new CheckError(`identity size must be a positive integer, got ${fmt(k)}`, ref.size.s, ref.size.e);
      if (k * k > MAX_ENTRIES) throw new CheckError(`I_${k} would have ${fmtCount(k * k)} entries; the limit is 2·10^7`, ref.size.s, ref.size.e);
      return Mat.identity(k);
    }
  }
}

function closeEnough(a: Value, b: Value, tol: number, slack: number): { ok: boolean; diff: number } {
  if (a instanceof Eye && b instanceof Mat) a = eyeOf(a, b.r);
  if (b instanceof Eye && a instanceof Mat) b = eyeOf(b, a.r);
  // `= 0` against a vector or matrix compares with the zero of that shape
  if (a === 0 && b instanceof Mat) a = Mat.zeros(b.r, b.c, b.vec);
  if (b === 0 && a instanceof Mat) b = Mat.zeros(a.r, a.c, a.vec);
  if (typeof a === 'number' && typeof b === 'number') {
    if (!Number.isFinite(a) || !Number.isFinite(b)) return { ok: a === b, diff: Math.abs(a - b) };
    const diff = Math.abs(a - b);
    return { ok: diff <= tol * Math.max(1, Math.abs(a), Math.abs(b)) + slack, diff };
  }
  if (a instanceof Mat && b instanceof Mat) {
    if (a.r !== b.r || a.c !== b.c) throw new ShapeError(`cannot compare ${describe(a)} with ${describe(b)}`);
    let s = 0;
    for (let i = 0; i < a.d.length; i++) s += (a.d[i] - b.d[i]) ** 2;
    const diff = Math.sqrt(s);
    if (!Number.isFinite(diff)) return { ok: false, diff };
    return { ok: diff <= tol * Math.max(1, frobenius(a), frobenius(b)) + slack, diff };
  }
  if (typeof a === 'boolean' && typeof b === 'boolean') return { ok: a === b, diff: a === b ? 0 : 1 };
  throw new ShapeError(`cannot compare ${describe(a)} with ${describe(b)}`);
}

export interface RelDetail {
  ok: boolean;
  text: string;
}

/** Evaluate a relation chain; `detail` receives a readable account with the numbers. */
export function evalRel(n: Node & { k: 'rel' }, sc: Scope, detail?: string[]): boolean {
  const prog = sc.run.prog;
  sc.slack = 0;
  const vals = n.items.map((x) => ev(x, sc));
  n.items.forEach((x, i) => refuseNonFinite(vals[i], x, prog));
  const slack = sc.slack;
  let all = true;
  for (let i = 0; i < n.ops.length; i++) {
    const op = n.ops[i];
    const a = vals[i];
    const b = vals[i + 1];
    const an = n.items[i];
    const bn = n.items[i + 1];
    let ok: boolean;
    let extra = '';
    const tolEq = prog.toleranceGiven ? prog.tolerance : 1e-9;
    switch (op) {
      case '=':
      case '~=':
      case '!=': {
        if (b instanceof IntervalSet || a instanceof IntervalSet || b instanceof FiniteSet || a instanceof FiniteSet) {
          const set = (a instanceof IntervalSet || a instanceof FiniteSet ? a : b) as IntervalSet | FiniteSet;
          const other = set === a ? b : a;
          const tol = op === '=' ? tolEq : prog.tolerance;
          const claimed = num(other, set === a ? bn : an);
          ok = inSet(claimed, set, tol);
          if (op === '!=') ok = !ok;
          extra = ` (${fmtSet(set)})`;
          if (set instanceof IntervalSet && set.objective) {
            // the objective at the claimed point against its best value
            const q = set.objective.at(claimed);
            const v = pretty(set.variable);
            extra += `; ${short(set.objective.label)} = ${Number.isFinite(q) ? fmt(q) : q === Infinity ? `more than ${fmtCount(prog.steps)} (not reached)` : 'undefined'} at the claimed ${v} = ${fmt(claimed)}, ${fmt(set.extreme)} at the best`;
          }
          break;
        }
        const bothInt = typeof a === 'number' && typeof b === 'number' && Number.isInteger(a) && Number.isInteger(b);
        const tol = op === '~=' ? prog.tolerance : bothInt && !prog.toleranceGiven ? 0 : tolEq;
        let diff = 0;
        const r = at(n, () => {
          const c = closeEnough(a, b, tol, slack);
          diff = c.diff;
          return c.ok;
        }) as boolean;
        ok = op === '!=' ? !r : r;
        if (a instanceof Mat || b instanceof Mat) extra = ` (‖difference‖ = ${fmt(diff)}, tolerance ${fmt(tol)} relative)`;
        if (slack > 0) extra += ` (tolerance widened by ${fmt(slack)})`;
        break;
      }
      case '<':
      case '<=':
      case '>':
      case '>=': {
        const x = num(a, an, 'a number to compare');
        const y = num(b, bn, 'a number to compare');
        ok = op === '<' ? x < y : op === '<=' ? x <= y : op === '>' ? x > y : x >= y;
        break;
      }
      case 'in': {
        if (!(b instanceof IntervalSet || b instanceof FiniteSet)) throw new CheckError(`\\in needs a set on the right, got ${describe(b)}`, bn.s, bn.e);
        ok = inSet(num(a, an), b, prog.toleranceGiven ? prog.tolerance : 1e-9);
        break;
      }
    }
    if (detail) detail.push(`${short(prog.src(an.s, an.e))} = ${fmtValue(a)} ${opText(op, ok)} ${fmtValue(b)}${isLiteral(bn) ? '' : ` = ${short(prog.src(bn.s, bn.e))}`}${extra}`);
    if (!ok) all = false;
  }
  return all;
}

/** A side of a relation that overflowed or is NaN cannot be compared: error with the reason (a written `\\infty` is fine). */
function refuseNonFinite(v: Value, n: Node, prog: Program): void {
  const bad = typeof v === 'number' ? !Number.isFinite(v) : v instanceof Mat ? !v.d.every(Number.isFinite) : false;
  if (!bad) return;
  if (n.k === 'const' && n.name === 'infty') return;
  if (n.k === 'neg' && n.a.k === 'const' && n.a.name === 'infty') return;
  const what = typeof v === 'number' ? (Number.isNaN(v) ? 'is NaN' : `is ${v > 0 ? '+' : '−'}∞ (overflow beyond 1.8e308)`) : 'has entries that are NaN or ±∞';
  throw new UndecidedError(`cannot compare: \`${short(prog.src(n.s, n.e))}\` ${what}; the claim is not decided (rescale it, e.g. compare logarithms)`, n.s, n.e);
}

function isLiteral(n: Node): boolean {
  return n.k === 'num' || (n.k === 'neg' && n.a.k === 'num');
}

function opText(op: string, ok: boolean): string {
  const t: Record<string, [string, string]> = {
    '=': ['=', '≠'], '~=': ['≈', '≉'], '!=': ['≠', '='], '<': ['<', '≥'], '<=': ['≤', '>'], '>': ['>', '≤'], '>=': ['≥', '<'], in: ['∈', '∉'],
  };
  return t[op][ok ? 0 : 1];
}

export function short(s: string): string {
  const t = pretty(s);
  return t.length > 60 ? t.slice(0, 57) + '…' : t;
}

export function fmtValue(v: Value): string {
  if (typeof v === 'number') return fmt(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v instanceof Mat) {
    if (v.d.length <= 4) return `(${Array.from(v.d).map(fmt).join(', ')})`;
    return describe(v).replace(/^an? /, '');
  }
  if (v instanceof IntervalSet || v instanceof FiniteSet) return fmtSet(v);
  return 'I';
}

export function fmtSet(s: IntervalSet | FiniteSet): string {
  if (s instanceof FiniteSet) return `{${s.items.map(fmt).join(', ')}}`;
  return s.intervals.map(([a, b]) => (a === b ? `{${fmt(a)}}` : `[${fmt(a)}, ${fmt(b)}]`)).join(' ∪ ') || '∅';
}

function inSet(x: number, s: IntervalSet | FiniteSet, tol: number): boolean {
  if (s instanceof FiniteSet) return s.items.some((y) => Math.abs(x - y) <= tol * Math.max(1, Math.abs(y)));
  return s.intervals.some(([a, b]) => x >= a - tol * Math.abs(a) && x <= b + tol * Math.abs(b));
}

function cachedStatic(n: Node & { k: 'bin' }, sc: Scope): Value {
  let owner: Scope = sc;
  while (owner.parent && owner.vals.size === 0) owner = owner.parent;
  const hit = owner.nodeCache.get(n);
  if (hit !== undefined) return hit;
  sc.run.prog.staticNodes.delete(n);
  try {
    const v = ev(n, sc);
    owner.nodeCache.set(n, v);
    return v;
  } finally {
    sc.run.prog.staticNodes.add(n);
  }
}

export function ev(n: Node, sc: Scope): Value {
  switch (n.k) {
    case 'num':
      return n.v;
    case 'const':
      return n.name === 'pi' ? Math.PI : n.name === 'e' ? Math.E : n.name === 'infty' ? Infinity : new Eye(1);
    case 'sym': {
      const ref = sc.run.prog.refs.get(n);
      if (!ref) throw new CheckError(`\`${sc.run.prog.src(n.s, n.e)}\` was not resolved`, n.s, n.e);
      return evalRef(ref, sc, n);
    }
    case 'zeros':
    case 'ones':
    case 'eyeN': {
      const k = num(ev(n.size, sc), n.size);
      if (!Number.isInteger(k) || k < 1) throw new CheckError(`size must be a positive integer, got ${fmt(k)}`, n.size.s, n.size.e);
      if (k > MAX_ENTRIES) throw new CheckError(`size ${fmtCount(k)} exceeds the limit of 2·10^7 entries`, n.size.s, n.size.e);
      if (n.k === 'eyeN') return Mat.identity(k);
      const m = Mat.zeros(k, 1, true);
      if (n.k === 'ones') m.d.fill(1);
      return m;
    }
    case 'bin': {
      if (sc.run.prog.staticNodes.has(n)) return cachedStatic(n, sc);
      const a = ev(n.a, sc);
      const b = ev(n.b, sc);
      switch (n.op) {
        case '+':
          if (typeof a === 'number' && typeof b === 'number') return a + b;
          return at(n, () => add(a, b, 1));
        case '-':
          if (typeof a === 'number' && typeof b === 'number') return a - b;
          return at(n, () => add(a, b, -1));
        case '*':
          if (typeof a === 'number' && typeof b === 'number') return a * b;
          return at(n, () => mul(a, b));
        case 'dot':
          if (typeof a === 'number' && typeof b === 'number') return a * b;
          return at(n, () => mul(a, b, true));
        case '/': {
          if (typeof b === 'number') {
            if (b === 0) throw new UndefinedError(`division by zero in \`${sc.run.prog.src(n.s, n.e)}\``, n.s, n.e);
            if (typeof a === 'number') return a / b;
            if (a instanceof Mat) return scale(a, 1 / b);
            if (a instanceof Eye) return new Eye(a.s / b);
          }
          if (b instanceof Mat && b.r === 1 && b.c === 1) return ev({ ...n, b: { k: 'num', v: b.d[0], s: n.b.s, e: n.b.e } }, sc);
          throw new CheckError(`cannot divide ${describe(a)} by ${describe(b)}${b instanceof Mat && !b.vec ? ' (use ^{-1})' : ''}`, n.s, n.e);
        }
        case 'pow':
          if (typeof a === 'number' && typeof b === 'number' && a >= 0) {
            if (a === 0 && b < 0) break;
            return Math.pow(a, b);
          }
          if (typeof b === 'number' && b === -1 && !(typeof a === 'number')) return at(n, () => inv(a));
          break;
      }
      return pow(a, b, n as Node & { k: 'bin' }, sc);
    }
    case 'neg': {
      const a = ev(n.a, sc);
      if (typeof a === 'number') return -a;
      return at(n, () => neg(a));
    }
    case 'not':
      return !bool(ev(n.a, sc), n.a);
    case 'logic': {
      const a = bool(ev(n.a, sc), n.a);
      if (n.op === 'and' && !a) return false;
      if (n.op === 'or' && a) return true;
      if (n.op === 'implies' && !a) return true;
      const b = bool(ev(n.b, sc), n.b);
      if (n.op === 'iff') return a === b;
      return b;
    }
    case 'rel':
      return evalRel(n, sc);
    case 'fn':
      return evalFn(n, sc);
    case 'app': {
      const ref = sc.run.prog.appRefs.get(n);
      if (!ref) throw new CheckError('unresolved application', n.s, n.e);
      if (ref.r === 'call') return callFunc(ref.key, n.args.map((a) => ev(a, sc)), sc, n);
      if (ref.r === 'Tof') {
        const tref = sc.run.prog.refs.get(n.f);
        if (!tref || tref.r !== 'T') throw new CheckError('T_ε(…) needs an iterated variable', n.s, n.e);
        return evalRef({ ...tref, of: ref.of }, sc, n);
      }
      if (ref.r === 'builtin') {
        const m = ev(n.args[0], sc);
        return at(n, () => builtinMatrixFn(ref.name, m, n));
      }
      if (ref.r === 'eig') return eigenvalueOf(ref.idx, ev(n.args[0], sc), sc, n);
      const f = ev(n.f, sc);
      const arg = n.args.length === 1 ? ev(n.args[0], sc) : tupleValue(n.args, sc, n);
      return at(n, () => mul(f, arg));
    }
    case 'abs': {
      const a = ev(n.a, sc);
      if (typeof a === 'number') return Math.abs(a);
      if (a instanceof Mat && a.vec) return frobenius(a);
      if (a instanceof Mat && a.square) return Math.abs(det(a));
      throw new CheckError(`cannot take |·| of ${describe(a)}`, n.s, n.e);
    }
    case 'norm': {
      const a = ev(n.a, sc);
      if (typeof a === 'number') return Math.abs(a);
      if (!(a instanceof Mat)) throw new CheckError(`cannot take the norm of ${describe(a)}`, n.s, n.e);
      if (n.p === 'F') return frobenius(a);
      if (n.p === '1') {
        if (a.vec) return a.d.reduce((s, x) => s + Math.abs(x), 0);
        let best = 0;
        for (let j = 0; j < a.c; j++) {
          let s = 0;
          for (let i = 0; i < a.r; i++) s += Math.abs(a.d[i * a.c + j]);
          best = Math.max(best, s);
        }
        return best;
      }
      if (n.p === 'inf') {
        if (a.vec) return a.d.reduce((s, x) => Math.max(s, Math.abs(x)), 0);
        let best = 0;
        for (let i = 0; i < a.r; i++) {
          let s = 0;
          for (let j = 0; j < a.c; j++) s += Math.abs(a.d[i * a.c + j]);
          best = Math.max(best, s);
        }
        return best;
      }
      return norm2(a);
    }
    case 'transpose':
      return at(n, () => transpose(ev(n.a, sc)));
    case 'ceil':
    case 'floor': {
      const x = checkFinite(num(ev(n.a, sc), n.a), n, sc);
      const s = snapInt(x);
      return n.k === 'ceil' ? Math.ceil(s) : Math.floor(s);
    }
    case 'fact': {
      const x = num(ev(n.a, sc), n.a);
      if (!Number.isInteger(x) || x < 0) throw new UndefinedError(`factorial of ${fmt(x)}`, n.s, n.e);
      let r = 1;
      for (let i = 2; i <= x && r < Infinity; i++) r *= i;
      return r;
    }
    case 'matrix': {
      const rows = n.rows.map((r) => r.map((c) => ev(c, sc)));
      return at(n, () => assembleMatrix(rows, n));
    }
    case 'tuple':
      return tupleValue(n.items, sc, n);
    case 'set':
      return new FiniteSet(n.items.map((x) => num(ev(x, sc), x)));
    case 'interval': {
      const lo = num(ev(n.lo, sc), n.lo);
      const hi = num(ev(n.hi, sc), n.hi);
      return new IntervalSet([[lo, hi]]);
    }
    case 'sumprod': {
      const lo = num(ev(n.lo, sc), n.lo);
      const hi = num(ev(n.hi, sc), n.hi);
      if (!Number.isInteger(lo) || !Number.isInteger(hi)) throw new CheckError('sum bounds must be whole numbers', n.lo.s, n.hi.e);
      if (hi - lo > 1e8) throw new CheckError(`a sum over ${fmtCount(hi - lo + 1)} terms is too long`, n.hi.s, n.hi.e);
      const local = sc.child();
      let acc: Value = n.op === 'sum' ? 0 : 1;
      for (let i = lo; i <= hi; i++) {
        sc.run.budget.poll();
        local.locals.set(n.v, i);
        const v = ev(n.body, local);
        const a0: Value = acc;
        const next: Value = n.op === 'sum' ? at(n, () => add(a0, v, 1)) : at(n, () => mul(a0, v));
        acc = next;
      }
      return acc;
    }
    case 'agg':
      if (!hook) throw new CheckError('no simulator', n.s, n.e);
      return sc.run.prog.stepAggs.has(n) ? hook.overSteps(n, sc).value : hook.aggregate(n, sc);
    case 'forall':
      if (!hook) throw new CheckError('no simulator', n.s, n.e);
      return hook.overSteps(n, sc).value;
    case 'indicator':
      return bool(ev(n.cond, sc), n.cond) ? 1 : 0;
    case 'E':
      return evalExpectation(n, sc);
    case 'grad': {
      const named = sc.run.prog.refs.get(n);
      return named ? evalRef(named, sc, n) : evalGrad(n, sc);
    }
    case 'partial':
      return evalPartial(n, sc);
    case 'measure':
      if (!hook) throw new CheckError('no simulator', n.s, n.e);
      return hook.measure(n, sc);
    case 'index': {
      const base = ev(n.base, sc);
      const idx = n.idx.map((x) => ev(x, sc));
      return indexValue(base, idx.map((v) => v as number), n.idx, n);
    }
    case 'dist':
      throw new CheckError('a distribution can only follow \\sim in `given`', n.s, n.e);
  }
}

function tupleValue(items: Node[], sc: Scope, n: Node): Value {
  const xs = items.map((x) => num(ev(x, sc), x, 'a number in the vector'));
  void n;
  return Mat.vector(xs);
}

function assembleMatrix(rows: Value[][], n: Node): Value {
  const r = rows.length;
  const c = rows[0].length;
  // all scalars
  if (rows.every((row) => row.every((v) => typeof v === 'number'))) {
    const d = new Float64Array(r * c);
    rows.forEach((row, i) => row.forEach((v, j) => (d[i * c + j] = v as number)));
    return new Mat(r, c, d, c === 1);
  }
  // a row of column vectors [x_1 x_2] or a column of row blocks
  if (r === 1 && rows[0].every((v) => v instanceof Mat && v.vec)) {
    const cols = rows[0] as Mat[];
    const h = cols[0].r;
    if (cols.some((v) => v.r !== h)) throw new ShapeError('the columns have different lengths');
    const d = new Float64Array(h * c);
    cols.forEach((v, j) => v.d.forEach((x, i) => (d[i * c + j] = x)));
    return new Mat(h, c, d, false);
  }
  void n;
  throw new ShapeError('matrix entries must be numbers (or one row of column vectors)');
}

/** Index i of λ_i(A) or eigvec_i(A): a whole number from 1 to n. */
function eigenIndex(idx: Node, size: number, sc: Scope): number {
  const i = num(ev(idx, sc), idx, 'an eigenvalue index');
  if (!Number.isInteger(i) || i < 1 || i > size) throw new CheckError(`an eigenvalue index is a whole number from 1 to ${size}, got ${fmt(i)}`, idx.s, idx.e);
  return i;
}

function eigenvalueOf(idx: Node | undefined, m: Value, sc: Scope, n: Node): Value {
  if (typeof m === 'number') return idx ? (eigenIndex(idx, 1, sc), m) : m;
  const sq = at(n, () => requireSquare(m, '\\lambda')) as Mat;
  let values: number[] = [];
  at(n, () => {
    values = eigenSystem(sq, `λ(${sc.run.prog.src(n.s, n.e)})`, false).values;
    return 0;
  });
  if (idx) return values[eigenIndex(idx, values.length, sc) - 1];
  return Mat.vector(values);
}

function builtinMatrixFn(name: string, m: Value, n: Node): Value {
  if (typeof m === 'number') {
    if (name === 'rho') return Math.abs(m);
    if (name === 'sigma_min' || name === 'sigma_max') return Math.abs(m);
    return m;
  }
  if (!(m instanceof Mat)) throw new ShapeError(`expected a matrix, got ${describe(m)}`);
  switch (name) {
    case 'lambda_min':
    case 'lambda_max': {
      const sq = requireSquare(m, name === 'lambda_min' ? '\\lambda_{\\min}' : '\\lambda_{\\max}');
      return extremeEigenvalue(sq, name === 'lambda_min' ? 'min' : 'max', 'λ_min/λ_max');
    }
    case 'rho':
      return spectralRadius(requireSquare(m, '\\rho'));
    case 'sigma_min':
    case 'sigma_max': {
      const s = singularValues(m);
      if (name === 'sigma_max') return Math.max(...s);
      return m.r === m.c ? Math.min(...s) : Math.min(...s);
    }
  }
  void n;
  throw new ShapeError(`unknown function ${name}`);
}

/** Scalar functions applied entrywise to vectors and matrices (\exp of a square matrix stays an error). */
const ENTRYWISE = new Set(['exp', 'log', 'ln', 'lg', 'sin', 'cos', 'tan', 'tanh', 'sinh', 'cosh', 'arctan', 'sgn', 'sigmoid', 'abs']);

function evalFn(n: Node & { k: 'fn' }, sc: Scope): Value {
  const name = n.name;
  if (name === 'min' || name === 'max') {
    let xs: number[] = [];
    const vals = n.args.map((a) => ev(a, sc));
    // \max(0, v) of a number and a vector or matrix is entrywise (ReLU); \max(v) or \max\{a, b, c\} is over all entries
    if (vals.length === 2 && vals.some((v) => v instanceof Mat) && vals.some((v) => typeof v === 'number')) {
      const m = vals.find((v) => v instanceof Mat) as Mat;
      const c = vals.find((v) => typeof v === 'number') as number;
      const f = name === 'min' ? Math.min : Math.max;
      return new Mat(m.r, m.c, m.d.map((x) => f(x, c)), m.vec);
    }
    for (const [i, a] of n.args.entries()) {
      const v = vals[i];
      if (v instanceof Mat) xs = xs.concat(Array.from(v.d));
      else xs.push(num(v, a));
    }
    if (xs.length === 0) throw new CheckError(`\\${name} of nothing`, n.s, n.e);
    return name === 'min' ? Math.min(...xs) : Math.max(...xs);
  }
  if (name === 'gcd') {
    const xs = n.args.map((a) => num(ev(a, sc), a));
    const g = (a: number, b: number): number => (b === 0 ? Math.abs(a) : g(b, a % b));
    return xs.reduce(g);
  }
  if (name === 'clip') {
    const [x, lo, hi] = n.args.map((a) => num(ev(a, sc), a));
    return Math.min(hi, Math.max(lo, x));
  }
  if (n.args.length !== 1) throw new CheckError(`\\${name} takes one argument, got ${n.args.length}`, n.s, n.e);
  const v = ev(n.args[0], sc);
  switch (name) {
    case 'tr': {
      const m = at(n, () => requireSquare(v, 'the trace')) as Mat;
      let s = 0;
      for (let i = 0; i < m.r; i++) s += m.d[i * m.c + i];
      return s;
    }
    case 'det': {
      if (typeof v === 'number') return v;
      return det(at(n, () => requireSquare(v, 'the determinant')) as Mat);
    }
    case 'diag': {
      if (!(v instanceof Mat)) throw new CheckError(`diag needs a vector or a matrix, got ${describe(v)}`, n.s, n.e);
      if (v.vec) {
        const m = Mat.zeros(v.r, v.r);
        for (let i = 0; i < v.r; i++) m.d[i * v.r + i] = v.d[i];
        return m;
      }
      const k = Math.min(v.r, v.c);
      return Mat.vector(Array.from({ length: k }, (_, i) => v.d[i * v.c + i]));
    }
    case 'eigvec': {
      // unit eigenvectors as columns, in the order of \lambda(A); eigvec_i(A) is column i
      const sq = at(n, () => requireSquare(v, '\\operatorname{eigvec}')) as Mat;
      const { vectors } = eigenSystem(sq, `eigvec(${sc.run.prog.src(n.s, n.e)})`, true);
      const V = vectors as Mat;
      if (!n.base) return V;
      const i = eigenIndex(n.base, V.c, sc);
      return Mat.vector(Array.from({ length: V.r }, (_, r) => V.d[r * V.c + i - 1]));
    }
    case 'rank': {
      if (!(v instanceof Mat)) return v === 0 ? 0 : 1;
      const s = singularValues(v);
      const tol = Math.max(v.r, v.c) * 2.2e-16 * Math.max(0, ...s);
      return s.filter((x) => x > tol).length;
    }
    case 'cond': {
      if (!(v instanceof Mat)) return 1;
      const s = singularValues(v);
      return Math.max(...s) / Math.min(...s);
    }
    case 'mean':
    case 'var':
    case 'sumall': {
      const xs = v instanceof Mat ? Array.from(v.d) : [num(v, n.args[0])];
      const m = xs.reduce((a, b) => a + b, 0) / xs.length;
      if (name === 'sumall') return xs.reduce((a, b) => a + b, 0);
      if (name === 'mean') return m;
      return xs.reduce((a, b) => a + (b - m) ** 2, 0) / xs.length;
    }
    case 'exp':
      if (v instanceof Mat && !v.vec && v.square) throw new CheckError('the matrix exponential is not supported', n.s, n.e);
  }
  if (v instanceof Mat && ENTRYWISE.has(name) && !n.base) {
    // functions of vectors and matrices act entry by entry (\tanh(W h), \exp(v), \operatorname{sgn}(w))
    return new Mat(v.r, v.c, v.d.map((x) => scalarFn(name, x, n, sc)), v.vec);
  }
  if (typeof v !== 'number') throw new CheckError(`\\${name} of ${describe(v)} is not defined here (apply it to a number)`, n.s, n.e);
  if (n.base && (name === 'log' || name === 'ln')) {
    const b = num(ev(n.base, sc), n.base, 'a log base');
    if (b <= 0 || b === 1) throw new UndefinedError(`log base ${fmt(b)} is not allowed in \`${sc.run.prog.src(n.s, n.e)}\``, n.base.s, n.base.e);
    return scalarFn('log', v, n, sc) / Math.log(b);
  }
  return scalarFn(name, v, n, sc);
}

function evalExpectation(n: Node & { k: 'E' }, sc: Scope): Value {
  const sibs = sc.siblings;
  if (sibs.length <= 1) return ev(n.body, sc);
  const sw = sc.sweepValue();
  const swKey = sc.run.prog.sweep?.key;
  const vals: number[] = [];
  const mats: Mat[] = [];
  for (const s of sibs) {
    sc.run.budget.poll();
    const at2 = sw !== undefined && swKey ? s.child(swKey, sw) : s;
    const v = ev(n.body, at2);
    if (v instanceof Mat) mats.push(v);
    else vals.push(num(v, n.body, 'a number, vector or matrix inside \\mathbb{E}'));
  }
  if (mats.length) {
    // entrywise mean; the slack is 3 standard errors of the norm of the mean (√Σ se_i²)
    if (vals.length || mats.some((m) => m.r !== mats[0].r || m.c !== mats[0].c)) throw new CheckError('\\mathbb{E}[…] needs the same shape in every trial', n.s, n.e);
    const k = mats.length;
    const mean = new Float64Array(mats[0].d.length);
    for (const m of mats) for (let i = 0; i < mean.length; i++) mean[i] += m.d[i] / k;
    let se2 = 0;
    for (let i = 0; i < mean.length; i++) {
      let v = 0;
      for (const m of mats) v += (m.d[i] - mean[i]) ** 2;
      se2 += v / Math.max(1, k - 1) / k;
    }
    const se = Math.sqrt(se2);
    sc.slack += 3 * se;
    sc.run.notes[`E[${short(sc.run.prog.src(n.body.s, n.body.e))}]`] = { mean: Array.from(mean), standardError: se, trials: k };
    return new Mat(mats[0].r, mats[0].c, mean, mats[0].vec);
  }
  const mean = vals.reduce((a, b) => a + b, 0) / vals.length;
  const variance = vals.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, vals.length - 1);
  const se = Math.sqrt(variance / vals.length);
  sc.slack += 3 * se;
  sc.run.notes[`E[${short(sc.run.prog.src(n.body.s, n.body.e))}]`] = { mean, standardError: se, trials: vals.length };
  return mean;
}

// ------------------------------------------------------------------ derivatives

interface DiffTarget {
  /** Evaluate f with the variables set to x. */
  f: (x: number[]) => number;
  x0: number[];
  /** Shape of the single vector/matrix argument (the gradient takes it). */
  shape?: { r: number; c: number; vec: boolean };
}

function diffTarget(fNode: Node, at: Node[] | undefined, sc: Scope, wrt: string[] | undefined, n: Node): DiffTarget {
  const prog = sc.run.prog;
  if (fNode.k === 'sym') {
    const key = (fNode as SymNode).key;
    const def = prog.lets.get(key);
    if (def && def.kind === 'func') {
      const params = def.params;
      // arguments may be numbers or vectors/matrices: ∇ differentiates with respect to every entry of the named
      // parameters (all of them by default), never with respect to the data the function uses
      const v0: Value[] = at
        ? at.map((a) => ev(a, sc))
        : params.map((p) => {
            const v = sc.lookup(p);
            if (v === undefined) throw new CheckError(`to differentiate \`${key}\` at a point, define ${p} in \`given\` or write ${key}(…) with arguments`, n.s, n.e);
            return v;
          });
      if (v0.length !== params.length) throw new CheckError(`\`${key}\` takes ${params.length} argument${params.length === 1 ? '' : 's'}`, n.s, n.e);
      v0.forEach((v, i) => {
        if (typeof v !== 'number' && !(v instanceof Mat)) throw new CheckError(`∇ needs numbers, vectors or matrices as arguments; ${params[i]} is ${describe(v)}`, n.s, n.e);
      });
      const idx = wrt ? wrt.map((w) => params.indexOf(w)) : params.map((_, i) => i);
      if (idx.some((i) => i < 0)) throw new CheckError(`\`${key}\` has no parameter ${wrt?.find((w) => !params.includes(w))}`, n.s, n.e);
      const sizes = idx.map((i) => (typeof v0[i] === 'number' ? 1 : (v0[i] as Mat).d.length));
      const x0: number[] = [];
      for (const i of idx) {
        const v = v0[i];
        if (typeof v === 'number') x0.push(v);
        else x0.push(...(v as Mat).d);
      }
      const only = idx.length === 1 && v0[idx[0]] instanceof Mat ? (v0[idx[0]] as Mat) : undefined;
      return {
        x0,
        shape: only ? { r: only.r, c: only.c, vec: only.vec } : undefined,
        f: (x) => {
          const args = v0.slice();
          let o = 0;
          idx.forEach((i, k) => {
            const proto = v0[i];
            if (typeof proto === 'number') args[i] = x[o];
            else {
              const m = proto as Mat;
              args[i] = new Mat(m.r, m.c, Float64Array.from(x.slice(o, o + sizes[k])), m.vec);
            }
            o += sizes[k];
          });
          const out = callFunc(key, args, sc, n);
          if (typeof out !== 'number') {
            const name = prog.src(fNode.s, fNode.e) || key;
            throw new CheckError(`∇ of \`${name}\` needs a scalar function, but it gives ${describe(out)}`, n.s, n.e);
          }
          return out;
        },
      };
    }
    if (def && def.kind === 'value') {
      const vars = wrt ?? prog.letVars.get(key) ?? [];
      if (vars.length === 0) throw new CheckError(`\`${key}\` does not depend on any scalar in \`given\``, n.s, n.e);
      return valueTarget(fNode, vars, sc, n);
    }
  }
  if (!wrt) throw new CheckError('\\nabla needs a function from `let`', n.s, n.e);
  return valueTarget(fNode, wrt, sc, n);
}

function valueTarget(fNode: Node, vars: string[], sc: Scope, n: Node): DiffTarget {
  const x0 = vars.map((v) => {
    const val = sc.lookup(v);
    if (val === undefined) throw new CheckError(`\`${v}\` has no value to differentiate at`, n.s, n.e);
    return num(val, n, `a scalar ${v}`);
  });
  return {
    x0,
    f: (x) => {
      const c = sc.child();
      vars.forEach((v, i) => c.vals.set(v, x[i]));
      return num(ev(fNode, c), n, 'a scalar function');
    },
  };
}

function central(t: DiffTarget, i: number, h: number): number {
  const xp = t.x0.slice();
  const xm = t.x0.slice();
  xp[i] += h;
  xm[i] -= h;
  return (t.f(xp) - t.f(xm)) / (2 * h);
}

/** First derivative by central differences with one Richardson step; returns value and error estimate. */
function derivative(t: DiffTarget, i: number): [number, number] {
  const h = 1e-3 * Math.max(1, Math.abs(t.x0[i]));
  const d1 = central(t, i, h);
  const d2 = central(t, i, h / 2);
  const d = (4 * d2 - d1) / 3;
  const f0 = Math.abs(t.f(t.x0));
  const err = Math.abs(d2 - d1) / 3 + 1e-13 * Math.max(1, f0) / h;
  return [d, err];
}

function second(t: DiffTarget, i: number, j: number, h: number): number {
  const f = (di: number, dj: number) => {
    const x = t.x0.slice();
    x[i] += di;
    x[j] += dj;
    return t.f(x);
  };
  if (i === j) return (f(h, 0) - 2 * t.f(t.x0) + f(-h, 0)) / (h * h);
  return (f(h, h) - f(h, -h) - f(-h, h) + f(-h, -h)) / (4 * h * h);
}

function hessianEntry(t: DiffTarget, i: number, j: number): [number, number] {
  const h = 1e-2 * Math.max(1, Math.abs(t.x0[i]), Math.abs(t.x0[j]));
  const d1 = second(t, i, j, h);
  const d2 = second(t, i, j, h / 2);
  const d = (4 * d2 - d1) / 3;
  const f0 = Math.abs(t.f(t.x0));
  return [d, Math.abs(d2 - d1) / 3 + 1e-12 * Math.max(1, f0) / (h * h)];
}

/** Gradients and Hessians of functions that do not depend on the swept value, per trial scope and argument. */
const derivativeCache = new WeakMap<Scope, Map<Node, Map<string, { v: Value; slack: number }>>>();

/** True when the function's body (and the lets it uses) never reads the swept value. */
const sweepFreeMemo = new WeakMap<Program, Map<string, boolean>>();

function sweepFree(key: string, prog: Program): boolean {
  let m = sweepFreeMemo.get(prog);
  if (!m) sweepFreeMemo.set(prog, (m = new Map()));
  let v = m.get(key);
  if (v === undefined) m.set(key, (v = sweepFreeWalk(key, prog)));
  return v;
}

function sweepFreeWalk(key: string, prog: Program, seen = new Set<string>()): boolean {
  if (!prog.sweep) return true;
  if (seen.has(key)) return true;
  seen.add(key);
  const def = prog.lets.get(key);
  if (!def || !('expr' in def)) return false;
  const stack: unknown[] = [def.expr, ...(def.kind === 'family' ? def.ranges.flat() : [])];
  while (stack.length) {
    const v = stack.pop();
    if (!v || typeof v !== 'object') continue;
    if (Array.isArray(v)) {
      stack.push(...v);
      continue;
    }
    const node = v as Node;
    const ref = 'k' in node ? prog.refs.get(node) : undefined;
    if (ref) {
      if ((ref.r === 'val' && ref.key === prog.sweep.key) || ref.r === 'state' || ref.r === 'perstep' || ref.r === 'time') return false;
      if (ref.r === 'let' && !sweepFreeWalk(ref.key, prog, seen)) return false;
      if (ref.r === 'index' && ref.base.r === 'let' && !sweepFreeWalk(ref.base.key, prog, seen)) return false;
      if (ref.r === 'index' && ref.base.r === 'val' && ref.base.key === prog.sweep.key) return false;
    }
    const app = 'k' in node ? prog.appRefs.get(node) : undefined;
    if (app && app.r === 'call' && !sweepFreeWalk(app.key, prog, seen)) return false;
    for (const x of Object.values(node)) if (x && typeof x === 'object') stack.push(x);
  }
  return true;
}

function evalGrad(n: Node & { k: 'grad' }, sc: Scope): Value {
  // ∇f(x) of a let-function that does not depend on the sweep is the same at every sweep point: cache it per trial
  const prog = sc.run.prog;
  const fKey = n.f.k === 'sym' ? (n.f as SymNode).key : '';
  const def = fKey ? prog.lets.get(fKey) : undefined;
  if (n.at && def && def.kind === 'func' && prog.sweep && sweepFree(fKey, prog)) {
    let root = sc;
    while (root.parent) root = root.parent;
    const args = n.at.map((a) => ev(a, sc));
    if (args.every((a) => typeof a === 'number' || a instanceof Mat)) {
      const sig = args.map((a) => (typeof a === 'number' ? String(a) : Array.from((a as Mat).d).join(','))).join(';');
      let perNode = derivativeCache.get(root);
      if (!perNode) derivativeCache.set(root, (perNode = new Map()));
      let m = perNode.get(n);
      if (!m) perNode.set(n, (m = new Map()));
      const hit = m.get(sig);
      if (hit) {
        sc.slack += hit.slack;
        return hit.v;
      }
      const before = sc.slack;
      const v = evalGradRaw(n, sc);
      if (m.size < 10000) m.set(sig, { v, slack: sc.slack - before });
      return v;
    }
  }
  return evalGradRaw(n, sc);
}

function evalGradRaw(n: Node & { k: 'grad' }, sc: Scope): Value {
  const t = diffTarget(n.f, n.at, sc, undefined, n);
  const k = t.x0.length;
  let errMax = 0;
  if (n.order === 1) {
    const g = new Float64Array(k);
    for (let i = 0; i < k; i++) {
      const [d, e] = derivative(t, i);
      g[i] = d;
      errMax = Math.max(errMax, e);
    }
    sc.slack += errMax * Math.sqrt(k);
    sc.run.notes.derivativeErrorEstimate = Math.max(Number(sc.run.notes.derivativeErrorEstimate ?? 0), errMax);
    if (t.shape) return new Mat(t.shape.r, t.shape.c, g, t.shape.vec);
    return k === 1 ? g[0] : new Mat(k, 1, g, true);
  }
  const H = Mat.zeros(k, k);
  for (let i = 0; i < k; i++) {
    for (let j = i; j < k; j++) {
      const [d, e] = hessianEntry(t, i, j);
      H.d[i * k + j] = d;
      H.d[j * k + i] = d;
      errMax = Math.max(errMax, e);
    }
  }
  sc.slack += errMax * k;
  sc.run.notes.derivativeErrorEstimate = Math.max(Number(sc.run.notes.derivativeErrorEstimate ?? 0), errMax);
  return demote(H);
}

function evalPartial(n: Node & { k: 'partial' }, sc: Scope): Value {
  const wrt = n.wrt.map((w) => w.key);
  const unique = [...new Set(wrt)];
  const t = diffTarget(n.f, undefined, sc, unique, n);
  let d: number;
  let err: number;
  if (n.order === 1) [d, err] = derivative(t, 0);
  else if (n.order === 2) {
    const i = unique.indexOf(wrt[0]);
    const j = unique.indexOf(wrt[1]);
    [d, err] = hessianEntry(t, i, j);
  } else throw new CheckError('only first and second partial derivatives are supported', n.s, n.e);
  sc.slack += err;
  sc.run.notes.derivativeErrorEstimate = Math.max(Number(sc.run.notes.derivativeErrorEstimate ?? 0), err);
  return d;
}
