// Quantities measured on the run of a point, asked for by the evaluator through RunState.steps (`stepMeasures`):
// T_ε, x^⋆, w_{k} and the draws of step k (from the recorded path), converges/bounded/diverges/rate, \max_t /
// \min_t / \forall t over the steps, and \min / \max / \arg\min over the swept value.
import type { Node, StepRange } from '../parser/ast';
import { fmt, fmtCount } from '../evaluation/format';
import { bool, num, ev } from '../evaluation/evaluate';
import { type StepMeasures, type Scope } from '../evaluation/scope';
import { CheckError, NotReachedError, UndecidedError, UndefinedError } from '../errors';
import { IntervalSet, Mat, sameShape, solveLinear, type Value } from '../linalg/values';
import { spectralRadius } from '../linalg/decompose';
import { analyse } from '../verdicts/analyse';
import { trajectory } from './simulate';
import { affineStep, factsOf, getStepper, type Path } from './stepper';

function iterationCount(eps: number, of: string | undefined, sc: Scope, node: Node): number {
  const tr = trajectory(sc);
  if ((tr.diverged || !tr.errs) && of !== undefined) {
    // the whole state diverges or has no limit, but `of` may not depend on the part that does (GD and momentum
    // iterated side by side): measure it on the variables it depends on, which are a run of their own
    const own = ownSubsystem(of, sc);
    if (own) return firstStepWithin(own.errs, own.steps, eps, own.rho, node);
  }
  if (tr.diverged) throw new UndefinedError(`T_ε is undefined: the iterates diverge (${tr.diverged.kind} at t = ${tr.diverged.t})`, node.s, node.e);
  if (!tr.errs) throw new UndefinedError('T_ε is undefined: no limit x* is known', node.s, node.e);
  const an = analyse(sc);
  return firstStepWithin(tr.errs.get(of ?? '*') as Float64Array, tr.steps, eps, an.affine ? an.rho : NaN, node);
}

/** T_ε from the errors e_t = ‖x_t − x*‖, t = 0 … steps: the first step from which e_t ≤ ε e_0 holds to the end. */
function firstStepWithin(e: Float64Array, steps: number, eps: number, rho: number, node: Node): number {
  const e0 = e[0];
  if (e0 === 0) return 0;
  const target = eps * e0;
  let lastAbove = -1;
  for (let k = 0; k <= steps; k++) if (e[k] > target) lastAbove = k;
  if (lastAbove === steps) {
    const ratio = e[steps] / e0;
    let hint = 'raise `steps`';
    if (rho < 1 && rho > 0 && ratio > 0) {
      const more = Math.ceil(Math.log(eps / ratio) / Math.log(rho));
      const total = steps + Math.max(1, more);
      hint = `at the rate ρ = ${fmt(rho)} it takes about ${fmtCount(total)} steps: raise \`steps\` to at least ${fmtCount(total)}`;
    }
    throw new NotReachedError(`T_ε is not known: not reached within ${steps} steps (error ratio ${fmt(ratio)} > ε = ${fmt(eps)}); ${hint}`, node.s, node.e, steps);
  }
  return lastAbove + 1;
}

/**
 * The errors ‖v_t − v*‖ of the iterated variable `base` run on its own: for an affine update x' = Ax + b, the
 * variables v depends on (directly or through others, by the non-zero entries of A) form a smaller affine update
 * that does not see the rest. Undefined when the update is not affine, v depends on the whole state, or that
 * smaller update has no limit (ρ ≥ 1).
 */
function ownSubsystem(base: string, sc: Scope): { errs: Float64Array; steps: number; rho: number } | undefined {
  const prog = sc.run.prog;
  const an = analyse(sc);
  if (!an.affine || !an.A || !an.b || prog.perStep.size > 0) return undefined;
  const st = getStepper(sc);
  const slot = st.slots.find((s) => s.base === base);
  if (!slot) return undefined;
  const n = st.dim;
  const A = an.A;
  const inSet = new Uint8Array(n);
  const todo: number[] = [];
  for (let i = slot.offset; i < slot.offset + slot.size; i++) {
    inSet[i] = 1;
    todo.push(i);
  }
  while (todo.length > 0) {
    const i = todo.pop() as number;
    for (let j = 0; j < n; j++) {
      if (!inSet[j] && A[i * n + j] !== 0) {
        inSet[j] = 1;
        todo.push(j);
      }
    }
  }
  const idx: number[] = [];
  for (let i = 0; i < n; i++) if (inSet[i]) idx.push(i);
  const m = idx.length;
  if (m === n) return undefined;
  const As = new Float64Array(m * m);
  const bs = new Float64Array(m);
  const x = new Float64Array(m);
  for (let a = 0; a < m; a++) {
    bs[a] = an.b[idx[a]];
    x[a] = st.x0[idx[a]];
    for (let c = 0; c < m; c++) As[a * m + c] = A[idx[a] * n + idx[c]];
  }
  const rho = spectralRadius(new Mat(m, m, As, false));
  if (!(rho < 1)) return undefined;
  // the limit: (I − A_S) v* = b_S
  const IminusA = new Float64Array(m * m);
  for (let a = 0; a < m; a++) for (let c = 0; c < m; c++) IminusA[a * m + c] = (a === c ? 1 : 0) - As[a * m + c];
  const xs = solveLinear(new Mat(m, m, IminusA, false), new Mat(m, 1, Float64Array.from(bs), true)).d;
  // where `base` sits inside the smaller state
  const from = idx.indexOf(slot.offset);
  const to = from + slot.size;
  const steps = prog.steps;
  const errs = new Float64Array(steps + 1);
  const err = (v: Float64Array): number => {
    let q = 0;
    for (let k = from; k < to; k++) q += (v[k] - xs[k]) ** 2;
    return Math.sqrt(q);
  };
  errs[0] = err(x);
  const bufs = [new Float64Array(m), new Float64Array(m)];
  let cur: Float64Array = x;
  const budget = sc.run.budget;
  for (let t = 1; t <= steps; t++) {
    budget.poll();
    budget.iterations++;
    const next = affineStep(As, bs, cur, m, bufs[t & 1]);
    errs[t] = err(next);
    cur = next;
  }
  return { errs, steps, rho };
}

function limitValue(base: string, sc: Scope, node: Node): Value {
  const tr = trajectory(sc);
  if (!tr.xstar) throw new UndefinedError(`the limit ${base}^⋆ does not exist: ${tr.why}`, node.s, node.e);
  const st = getStepper(sc);
  const slot = st.slots.find((s) => s.base === base);
  if (!slot) throw new CheckError(`\`${base}\` is not iterated`, node.s, node.e);
  return sameShape(slot.proto, tr.xstar, slot.offset);
}

/** Most numbers a recorded run may hold (states and draws); longer runs are streamed (`w_{k}` alone). */
const MAX_PATH = 20_000_000;

/**
 * The run from x₀ with the same per-step draws as the trajectory, recorded up to step n (states x_0 … x_n, draws
 * of steps 0 … n − 1), or undefined when that would hold more than MAX_PATH numbers. Cached per point and extended
 * (by re-running, at least doubling) when a later step is asked for.
 */
function pathTo(sc: Scope, n: number): Path | undefined {
  const { facts } = factsOf(sc);
  const have = facts.path;
  if (have && have.xs.length > n) return have;
  const st = getStepper(sc);
  const prog = sc.run.prog;
  const perEntry = st.dim + st.kinds.length;
  if ((n + 1) * perEntry > MAX_PATH) return undefined;
  const len = Math.min(Math.max(n, have ? 2 * (have.xs.length - 1) : 0), Math.floor(MAX_PATH / perEntry) - 1);
  const an = prog.perStep.size === 0 ? analyse(sc) : undefined;
  const affineA = an?.affine && an.A ? an.A : undefined;
  const xs: Float64Array[] = [st.x0];
  const draws: Map<string, Value>[] = [];
  st.reset();
  let x = st.x0;
  for (let t = 0; t < len; t++) {
    sc.run.budget.poll();
    sc.run.budget.iterations++;
    if (!x.every(Number.isFinite)) {
      // the run left the range of numbers: later states are unknown (NaN), which a claim reports as an error
      const lost = new Float64Array(st.dim).fill(NaN);
      while (xs.length <= len) xs.push(lost);
      break;
    }
    x = affineA ? affineStep(affineA, an?.b as Float64Array, x, st.dim) : st.step(x, t);
    xs.push(x);
    if (prog.perStep.size) draws.push(st.scope.perStepVals as Map<string, Value>);
  }
  st.reset();
  facts.path = { xs, draws };
  return facts.path;
}

/** The draw of one per-step variable made at step k (x_{k+1} is computed with it). */
function drawAtStep(base: string, k: number, sc: Scope, node: Node): Value {
  const path = pathTo(sc, k + 1);
  if (!path) throw new CheckError(`step ${k} is too far to record the draws (at most ${fmtCount(MAX_PATH)} numbers)`, node.s, node.e);
  const v = path.draws[k]?.get(base);
  if (v === undefined) throw new UndefinedError(`the draw \`${base}\` of step ${k} is not known: the iterates left the range of numbers before it`, node.s, node.e);
  return v;
}

/** x_k of one variable: the run from x₀ with the same per-step draws as the trajectory (cached per point). */
function valueAtStep(base: string, k: number, sc: Scope, node: Node): Value {
  const { facts } = factsOf(sc);
  const st = getStepper(sc);
  const slot = st.slots.find((s) => s.base === base);
  if (!slot) throw new CheckError(`\`${base}\` is not iterated`, node.s, node.e);
  const path = pathTo(sc, k);
  if (path) return sameShape(slot.proto, path.xs[k], slot.offset);
  facts.atStep ??= new Map();
  let x = facts.atStep.get(k);
  if (!x) {
    const an = sc.run.prog.perStep.size === 0 ? analyse(sc) : undefined;
    const affineA = an?.affine && an.A ? an.A : undefined;
    st.reset();
    x = st.x0;
    for (let t = 0; t < k; t++) {
      sc.run.budget.poll();
      sc.run.budget.iterations++;
      x = affineA ? affineStep(affineA, an?.b as Float64Array, x, st.dim) : st.step(x, t);
      if (!x.every(Number.isFinite)) break;
    }
    st.reset();
    facts.atStep.set(k, x);
  }
  return sameShape(slot.proto, x, slot.offset);
}

function measure(node: Node & { k: 'measure' }, sc: Scope): Value {
  switch (node.m) {
    case 'converges': {
      // decided from the structure: no simulation needed (the run is made only for T_ε, plots and values)
      const an = analyse(sc);
      return an.verdict ? an.verdict.converges : trajectory(sc).converges;
    }
    case 'bounded':
    case 'diverges': {
      const an = analyse(sc);
      if (an.verdict) return node.m === 'bounded' ? an.verdict.bounded : !an.verdict.bounded;
      const tr = trajectory(sc);
      if (tr.undecided) throw new UndecidedError(tr.undecided, node.s, node.e);
      return node.m === 'bounded' ? tr.bounded : !tr.bounded;
    }
    case 'iterations':
      return trajectory(sc).steps;
    case 'rate': {
      const an = analyse(sc);
      if (an.affine) return an.rho;
      const tr = trajectory(sc);
      if (Number.isNaN(tr.empiricalRate)) throw new UndefinedError('the empirical rate is undefined (no decreasing error)', node.s, node.e);
      return tr.empiricalRate;
    }
    case 'T':
    case 'limit':
      throw new CheckError('internal: use T_ε or x^⋆', node.s, node.e);
  }
}

/** Golden-section search for the minimum (or maximum) of q on [a, b], to 10⁻¹⁰ relative width. */
function goldenExtreme(q: (x: number) => number, a: number, b: number, isMin: boolean): { x: number; v: number } {
  const g = (Math.sqrt(5) - 1) / 2;
  const f = (x: number): number => {
    const v = q(x);
    if (Number.isNaN(v)) return Infinity;
    return isMin ? v : -v;
  };
  let c = b - g * (b - a);
  let d = a + g * (b - a);
  let fc = f(c);
  let fd = f(d);
  for (let i = 0; i < 80 && Math.abs(b - a) > 1e-10 * Math.max(Math.abs(a), Math.abs(b)); i++) {
    if (fc <= fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - g * (b - a);
      fc = f(c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + g * (b - a);
      fd = f(d);
    }
  }
  const x = fc <= fd ? c : d;
  const v = Math.min(fc, fd);
  return { x, v: isMin ? v : -v };
}

/** Sweep grid for aggregates. */
function aggregate(node: Node & { k: 'agg' }, sc: Scope): Value {
  const prog = sc.run.prog;
  const sw = sc.sweep;
  if (!sw) throw new CheckError('no sweep', node.s, node.e);
  const budget = sc.run.budget;
  const grid = sw.points;
  const vals = new Float64Array(grid.length);
  const isMinOp = node.op === 'min' || node.op === 'argmin';
  const qAt = (p: number): number => {
    budget.poll();
    try {
      const v = num(ev(node.body, sc.child(sw.key, p)), node.body);
      return Number.isFinite(v) ? v : NaN;
    } catch (e) {
      if (e instanceof UndefinedError) return NaN;
      // T_ε beyond the run is larger than every T_ε reached: it cannot be a minimiser
      if (e instanceof NotReachedError && isMinOp) return Infinity;
      throw e;
    }
  };
  for (let i = 0; i < grid.length; i++) {
    budget.progress(i / grid.length, `${sw.display} = ${fmt(grid[i])}`);
    vals[i] = qAt(grid[i]);
  }
  const finite = Array.from(vals).filter((v) => Number.isFinite(v));
  if (finite.length === 0) {
    if (vals.some((v) => v === Infinity)) throw new UndecidedError(`\`${prog.src(node.body.s, node.body.e)}\` is not reached within ${prog.steps} steps at any sweep point; raise \`steps\``, node.body.s, node.body.e);
    throw new UndefinedError(`\`${prog.src(node.body.s, node.body.e)}\` is undefined at every sweep point`, node.body.s, node.body.e);
  }
  const isMin = node.op === 'min' || node.op === 'argmin';
  let best = isMin ? Math.min(...finite) : Math.max(...finite);
  const allInt = finite.every(Number.isInteger);
  // A Q that is not whole-numbered can have its extreme between grid points (a kink such as the optimal rate
  // max_i |1 − 2ησ_i²|): golden-section search between the neighbours of the best grid point finds it.
  const k = vals.indexOf(best);
  let bestAt = grid[k];
  if (!allInt && sw.interval && grid.length > 2) {
    const r = goldenExtreme(qAt, grid[Math.max(0, k - 1)], grid[Math.min(grid.length - 1, k + 1)], isMin);
    if (isMin ? r.v < best : r.v > best) {
      best = r.v;
      bestAt = r.x;
    }
  }
  // the plateau of minimisers: exactly the minimum for whole-number Q (T_ε), else within 10⁻⁶ relative — never
  // wider than the claim's own tolerance
  const tolQ = allInt ? 0 : Math.min(1e-6, prog.tolerance) * Math.max(1, Math.abs(best));
  const inSet = (v: number) => !Number.isNaN(v) && (isMin ? v <= best + tolQ : v >= best - tolQ);
  const intervals: [number, number][] = [];
  const refine = (outP: number, inP: number): number => {
    let a = outP;
    let b = inP;
    for (let k = 0; k < 100 && Math.abs(b - a) > 1e-6 * Math.max(Math.abs(a), Math.abs(b)); k++) {
      const m = sw.interval?.log && a > 0 && b > 0 ? Math.sqrt(a * b) : (a + b) / 2;
      if (inSet(qAt(m))) b = m;
      else a = m;
    }
    return b;
  };
  for (let i = 0; i < grid.length; i++) {
    if (!inSet(vals[i])) continue;
    let j = i;
    while (j + 1 < grid.length && inSet(vals[j + 1])) j++;
    let lo = grid[i];
    let hi = grid[j];
    if (sw.interval) {
      if (i > 0) lo = refine(grid[i - 1], grid[i]);
      if (j + 1 < grid.length) hi = refine(grid[j + 1], grid[j]);
    }
    intervals.push([lo, hi]);
    i = j;
  }
  if (intervals.length === 0) {
    // the extreme lies strictly between grid points, deeper than every grid value: its set around bestAt
    intervals.push([k > 0 ? refine(grid[k - 1], bestAt) : bestAt, k + 1 < grid.length ? refine(grid[k + 1], bestAt) : bestAt]);
  }
  const label = prog.src(node.body.s, node.body.e);
  const notes = sc.run.notes;
  const name = `${node.op}_${sw.display}`;
  notes[name] = node.op.startsWith('arg') ? intervals : best;
  notes[`${node.op === 'argmax' || node.op === 'max' ? 'max' : 'min'} of ${label}`] = best;
  if (sc.run.plots.length < 8 && !sc.run.plots.some((p) => p.title.startsWith(label))) {
    const pos = finite.every((v) => v > 0);
    const span = pos ? Math.max(...finite) / Math.min(...finite) : 0;
    sc.run.plots.push({
      title: `${label} over ${sw.display}`,
      xLabel: sw.display,
      yLabel: label,
      logX: !!sw.interval?.log,
      logY: pos && span > 100,
      series: [{ name: label, x: grid.slice(), y: Array.from(vals, (v) => (Number.isFinite(v) ? v : NaN)) }],
      markers: intervals.flatMap(([a, b]) => (a === b ? [{ x: a, label: `${node.op}` }] : [{ x: a, label: `${node.op} from ${fmt(a)}` }, { x: b, label: `to ${fmt(b)}` }])),
    });
  }
  if (node.op === 'min' || node.op === 'max') return best;
  return new IntervalSet(intervals, best, sw.key, { label, at: qAt });
}

/** The steps t = lo … hi of `\max_{t \le T}`, `\forall t < T:` (default: 0 … steps). */
export function stepRange(node: Node & StepRange, sc: Scope): { lo: number; hi: number } {
  const whole = (b: Node | undefined, dflt: number): number => {
    if (!b) return dflt;
    const v = num(ev(b, sc), b, 'a step number');
    if (!Number.isInteger(v) || v < 0 || v > 10_000_000) throw new CheckError(`a step number is a whole number from 0 to 10^7, got ${fmt(v)}`, b.s, b.e);
    return v;
  };
  const lo = whole(node.lo, 0) + (node.lo && node.loStrict ? 1 : 0);
  const hi = whole(node.hi, sc.run.prog.steps) - (node.hi && node.hiStrict ? 1 : 0);
  if (hi < lo) throw new CheckError(`the range of \`${sc.run.prog.src(node.v.s, node.v.e)}\` is empty (${lo} … ${hi})`, node.s, node.e);
  return { lo, hi };
}

/** \max / \min of Q over the steps (\arg\min / \arg\max: the first step of the extreme), or whether P holds at every step (with the first step where it does not). */
export function overSteps(node: Node & StepRange & { k: 'agg' | 'forall' }, sc: Scope): { value: Value; at: number } {
  const { lo, hi } = stepRange(node, sc);
  const prog = sc.run.prog;
  pathTo(sc, hi + (prog.perStep.size ? 1 : 0));
  const local = sc.child();
  const key = node.v.key;
  if (node.k === 'forall') {
    for (let k = lo; k <= hi; k++) {
      sc.run.budget.poll();
      local.locals.set(key, k);
      let holds: boolean;
      try {
        holds = bool(ev(node.body, local), node.body);
      } catch (e) {
        if (!(e instanceof UndefinedError)) throw e;
        holds = false;
      }
      if (!holds) return { value: false, at: k };
    }
    return { value: true, at: hi };
  }
  // \arg\min_t / \arg\max_t: the step of the extreme; a tie goes to the first step that attains it exactly
  const isMax = node.op === 'max' || node.op === 'argmax';
  const isArg = node.op === 'argmin' || node.op === 'argmax';
  let best = isMax ? -Infinity : Infinity;
  let at = lo;
  for (let k = lo; k <= hi; k++) {
    sc.run.budget.poll();
    local.locals.set(key, k);
    const v = num(ev(node.body, local), node.body);
    if (Number.isNaN(v)) return { value: NaN, at: k };
    if (isMax ? v > best : v < best) {
      best = v;
      at = k;
    }
  }
  sc.run.notes[`${node.op} of ${prog.src(node.body.s, node.body.e)} over ${node.v.key} = ${lo}…${hi}`] = { value: best, at };
  return { value: isArg ? at : best, at };
}

/** The trajectory quantities the evaluator asks for (RunState.steps). */
export const stepMeasures: StepMeasures = Object.freeze({
  overSteps,
  drawAt: drawAtStep,
  measure,
  T: iterationCount,
  limit: limitValue,
  atStep: valueAtStep,
  aggregate,
});
