// The run of an `iterate` block at one point: the stepper (compiled scalar step or the interpreter, per-step draws
// from N(0, Σ) / U), and the trajectory with its converges / bounded / diverges reading (structural verdicts from
// verdicts/analyse.ts first; the quantities measured on a run are in measures.ts).
import type { Binding, Node } from '../parser/ast';
import { fmt } from '../evaluation/format';
import { num, ev } from '../evaluation/evaluate';
import { type Scope } from '../evaluation/scope';
import { compileScalarStep } from '../kernels/faststep';
import { FastPathBail } from '../kernels/fastfamily';
import { Rng } from '../rng';
import { GROWTH_LIMIT, growthVerdict, type GrowthEstimate } from '../verdicts/verdicts';
import { CheckError } from '../errors';
import { covarianceFactor } from '../linalg/decompose';
import { Eye, Mat, describe, flatten, sameShape, valueSize, type Value } from '../linalg/values';
import { analyse, type Analysis } from '../verdicts/analyse';

interface Slot {
  base: string;
  offset: number;
  size: number;
  proto: Value;
}

export interface Stepper {
  slots: Slot[];
  dim: number;
  x0: Float64Array;
  /** x_{t+1} from x_t (allocates the result). */
  step(x: Float64Array, t: number): Float64Array;
  /** x_{t+1} from x_t, written into `out` when the compiled step takes it (the returned array holds the result). */
  stepInto(x: Float64Array, t: number, out: Float64Array): Float64Array;
  /** True when the update runs as compiled closures (faststep.ts) rather than through the interpreter. */
  compiled: boolean;
  /** The update with the per-step draws given as standard variates z (normal, or uniform on [0, 1]). */
  stepWith(x: Float64Array, t: number, z: Float64Array): Float64Array;
  /** Restart the per-step draws; run r > 0 gives an independent run (same seed, other stream). */
  reset(run?: number): void;
  /** Kind of each per-step draw, in the order of stepWith's z. */
  kinds: ('N' | 'U')[];
  scope: Scope;
}

export interface Trajectory {
  /** Set when neither the structure nor the statistics decide bounded/diverges: the reason (status error). */
  undecided?: string;
  /** The statistical estimate used for non-affine updates. */
  growth?: GrowthEstimate;
  steps: number;
  requested: number;
  /** Error norms ‖x_t − x*‖ for the whole state ('*') and per variable, when x* is known. */
  errs: Map<string, Float64Array> | null;
  norms: Float64Array;
  xstar: Float64Array | null;
  xstarSource: string;
  diverged?: { t: number; kind: string };
  stoppedEarly: boolean;
  converges: boolean;
  bounded: boolean;
  why: string;
  empiricalRate: number;
  last: Float64Array;
}

/** The recorded run of one point: states x_0 … x_n and the per-step draws of steps 0 … n − 1. */
export interface Path {
  xs: Float64Array[];
  draws: Map<string, Value>[];
}

interface Facts {
  atStep?: Map<number, Float64Array>;
  path?: Path;
  stepper?: Stepper;
  analysis?: Analysis;
  traj?: Trajectory;
}

export const CONVERGE_TOL = 1e-9;
const BOUND_FACTOR = 1e8;
const MAX_STORE = 4_000_000;

export function factsOf(sc: Scope): { owner: Scope; facts: Facts } {
  let owner = sc;
  while (owner.parent && owner.vals.size === 0 && !owner.facts) owner = owner.parent;
  if (!owner.facts) owner.facts = {};
  return { owner, facts: owner.facts as Facts };
}

function hashNumber(x: number): number {
  const f = new Float64Array([x]);
  const u = new Uint32Array(f.buffer);
  return (Math.imul(u[0] ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(u[1], 0xc2b2ae35)) | 0;
}

export function makeStepper(point: Scope): Stepper {
  const prog = point.run.prog;
  const sim = point.child();
  sim.state = new Map();
  sim.next = new Map();
  const slots: Slot[] = [];
  let offset = 0;
  for (const base of prog.stateBases) {
    const v0 = point.lookup(`${base}_{0}`);
    if (v0 === undefined) throw new CheckError(`initial value \`${base}_0\` is missing: add it to \`given\``, 0, 0);
    if (!(typeof v0 === 'number' || v0 instanceof Mat)) throw new CheckError(`\`${base}_0\` must be a number, vector or matrix`, 0, 0);
    const size = valueSize(v0);
    slots.push({ base, offset, size, proto: v0 });
    offset += size;
  }
  const dim = offset;
  const x0 = new Float64Array(dim);
  for (const s of slots) x0.set(flatten(s.proto), s.offset);
  const perStep = [...prog.perStep.values()];
  // sizes of the per-step draws: ^{n}, ^{m \times n}, or the size of a covariance matrix / mean vector
  let zOffset = 0;
  const drawInfo = perStep.map((d) => {
    const dims = d.dims.map((x) => {
      const k = num(ev(x, point), x);
      if (!Number.isInteger(k) || k < 1 || k > 1e6) throw new CheckError(`a size must be a positive whole number, got ${fmt(k)}`, x.s, x.e);
      return k;
    });
    let size = dims.reduce((a, b) => a * b, 1);
    if (!dims.length) {
      for (const a of d.dist.args) {
        try {
          const v = ev(a, point);
          if (v instanceof Mat) size = Math.max(size, v.r);
        } catch {
          // depends on the state: a scalar unless the sizes say otherwise
        }
      }
    }
    const info = { dims, size, offset: zOffset };
    zOffset += size;
    return info;
  });
  const sweepV = point.sweepValue();
  let noise: Rng | undefined;
  const reset = (run = 0) => {
    noise = perStep.length ? new Rng(prog.seed ^ Math.imul(point.pointId + 1, 0x27d4eb2f) ^ (sweepV === undefined ? 0 : hashNumber(sweepV)) ^ Math.imul(run, 0x165667b1)) : undefined;
    sim.t = 0;
  };
  reset();
  const eqs = prog.equations;
  let given: Float64Array | undefined;
  const stepWith = (x: Float64Array, t: number, z: Float64Array): Float64Array => {
    given = z;
    try {
      return step(x, t);
    } finally {
      given = undefined;
    }
  };
  const step = (x: Float64Array, t: number): Float64Array => {
    sim.t = t;
    sim.letCache.clear();
    const state = sim.state as Map<string, Value>;
    const next = sim.next as Map<string, Value>;
    next.clear();
    for (const s of slots) state.set(s.base, s.size === 1 && typeof s.proto === 'number' ? x[s.offset] : sameShape(s.proto, x, s.offset));
    if (noise) {
      const m = new Map<string, Value>();
      perStep.forEach((d, k) => {
        const info = drawInfo[k];
        const normal = d.dist.name === 'N';
        const zs = new Float64Array(info.size);
        for (let i = 0; i < info.size; i++) zs[i] = given ? given[info.offset + i] : normal ? (noise as Rng).gaussian() : (noise as Rng).uniform();
        m.set(d.key, perStepDraw(d, info, zs, sim));
      });
      sim.perStepVals = m;
    }
    const out = new Float64Array(dim);
    for (const eq of eqs) {
      const v = ev(eq.expr, sim);
      const slot = slots.find((s) => s.base === eq.base) as Slot;
      if (typeof v === 'number') {
        if (slot.size !== 1 || typeof slot.proto !== 'number') throw new CheckError(`\`${prog.src(eq.nameS, eq.nameE)}\` is a scalar but \`${eq.base}_0\` is ${describe(slot.proto)}`, eq.expr.s, eq.expr.e);
        out[slot.offset] = v;
      } else if (v instanceof Mat) {
        const p = slot.proto;
        if (!(p instanceof Mat) || p.r !== v.r || p.c !== v.c) {
          throw new CheckError(`the update of \`${eq.base}\` gives ${describe(v)} but \`${eq.base}_0\` is ${describe(p)}${typeof p === 'number' ? ` (write ${eq.base}_0 as a vector, e.g. \\mathbf{0}_${v.r})` : ''}`, eq.expr.s, eq.expr.e);
        }
        out.set(v.d, slot.offset);
      } else throw new CheckError(`an update must give numbers, got ${describe(v)}`, eq.expr.s, eq.expr.e);
      next.set(eq.base, typeof v === 'number' ? v : v);
    }
    return out;
  };
  const kinds = perStep.flatMap((d, k) => Array.from({ length: drawInfo[k].size }, () => (d.dist.name === 'N' ? 'N' : 'U') as 'N' | 'U'));
  // scalar states: the compiled step (same numbers); a step it cannot take goes through the interpreter
  const compiled = slots.every((s) => typeof s.proto === 'number') ? compileScalarStep(sim, slots, dim) : undefined;
  const stepInto = compiled
    ? (x: Float64Array, t: number, out: Float64Array): Float64Array => {
        try {
          compiled(x, t, out);
          return out;
        } catch (e) {
          if (!(e instanceof FastPathBail)) throw e;
          return step(x, t);
        }
      }
    : (x: Float64Array, t: number): Float64Array => step(x, t);
  const fastStep = compiled ? (x: Float64Array, t: number): Float64Array => stepInto(x, t, new Float64Array(dim)) : step;
  return { slots, dim, x0, step: fastStep, stepInto, compiled: !!compiled, stepWith, reset, kinds, scope: sim };
}

/**
 * One per-step draw from standard variates zs: 𝒩(μ, v) with a variance v (scalar or times I) or a covariance matrix
 * Σ = L Lᵀ (μ + L z), or 𝒰(a, b) entrywise; a scalar, an n-vector or an m×n matrix.
 */
function perStepDraw(d: Binding & { kind: 'draw' }, info: { dims: number[]; size: number }, zs: Float64Array, sc: Scope): Value {
  const args = d.dist.args.map((a) => ev(a, sc));
  const shape = (data: Float64Array): Value => {
    if (info.size === 1 && info.dims.length === 0) return data[0];
    if (info.dims.length === 2) return new Mat(info.dims[0], info.dims[1], data, false);
    return new Mat(info.size, 1, data, true);
  };
  const entry = (v: Value | undefined, i: number, dflt: number, what: Node): number => {
    if (v === undefined) return dflt;
    if (typeof v === 'number') return v;
    if (v instanceof Mat && v.vec && v.r === info.size) return v.d[i];
    throw new CheckError(`${describe(v)} does not fit a draw of ${info.size} number${info.size === 1 ? '' : 's'}`, what.s, what.e);
  };
  const out = new Float64Array(info.size);
  if (d.dist.name !== 'N') {
    for (let i = 0; i < info.size; i++) {
      const a = entry(args[0], i, 0, d.dist.args[0] ?? d.dist);
      const b = entry(args[1], i, 1, d.dist.args[1] ?? d.dist);
      out[i] = a + (b - a) * zs[i];
    }
    return shape(out);
  }
  if (args.length !== 2) throw new CheckError('write \\mathcal{N}(mean, variance)', d.dist.s, d.dist.e);
  const cov = args[1];
  const covNode = d.dist.args[1];
  if (cov instanceof Mat && !cov.vec && cov.r === cov.c) {
    if (cov.r !== info.size) throw new CheckError(`the covariance is ${describe(cov)} but the draw has ${info.size} numbers`, covNode.s, covNode.e);
    const L = cholesky(cov, covNode, sc.run.prog.src(covNode.s, covNode.e));
    for (let i = 0; i < info.size; i++) {
      let v = entry(args[0], i, 0, d.dist.args[0]);
      for (let j = 0; j <= i; j++) v += L[i * info.size + j] * zs[j];
      out[i] = v;
    }
    return shape(out);
  }
  const variance = cov instanceof Eye ? cov.s : num(cov, covNode);
  if (variance < 0) throw new CheckError(`the variance must be ≥ 0, got ${fmt(variance)}`, covNode.s, covNode.e);
  const sd = Math.sqrt(variance);
  for (let i = 0; i < info.size; i++) out[i] = entry(args[0], i, 0, d.dist.args[0]) + sd * zs[i];
  return shape(out);
}

/** Lower Cholesky factor of a covariance matrix, or a located error saying why it is not one. */
function cholesky(S: Mat, node: Node, src: string): Float64Array {
  const L = covarianceFactor(S);
  if (typeof L === 'string') throw new CheckError(`the covariance matrix \`${src}\` ${L}`, node.s, node.e);
  return L;
}

export function norm(x: Float64Array, from = 0, to = x.length): number {
  let s = 0;
  for (let i = from; i < to; i++) s += x[i] * x[i];
  return Math.sqrt(s);
}

/** ‖a[at + from .. at + to) − b[from .. to)‖ */
export function diffNorm(a: Float64Array, b: Float64Array, from = 0, to = b.length, at = 0): number {
  let s = 0;
  for (let i = from; i < to; i++) {
    const d = a[at + i] - b[i];
    s += d * d;
  }
  return Math.sqrt(s);
}

export function getStepper(sc: Scope): Stepper {
  const { facts } = factsOf(sc);
  if (!facts.stepper) facts.stepper = makeStepper(factsOf(sc).owner);
  return facts.stepper;
}

export function trajectory(sc: Scope): Trajectory {
  const { facts } = factsOf(sc);
  if (facts.traj) return facts.traj;
  const prog = sc.run.prog;
  const st = getStepper(sc);
  const an = analyse(sc);
  const budget = sc.run.budget;
  const steps = prog.steps;
  const n = st.dim;
  const x0 = st.x0;
  const xstarKnown = an.xstar;
  const scaleRef = Math.max(1, norm(x0), xstarKnown ? norm(xstarKnown) : 0);
  const bound = BOUND_FACTOR * scaleRef;
  const store = !xstarKnown && n * (steps + 1) <= MAX_STORE;
  // stored states x_0, x_1, … one after another (one buffer: no allocation per step)
  const states = store ? new Float64Array(n * (steps + 1)) : undefined;
  states?.set(x0);
  const norms = new Float64Array(steps + 1);
  norms[0] = norm(x0);
  const errs = new Map<string, Float64Array>();
  const keys = ['*', ...st.slots.map((s) => s.base)];
  // at = offset of the state in x (a stored state inside `states`)
  const fillErr = (x: Float64Array, t: number, xs: Float64Array, at = 0) => {
    errs.get('*')![t] = diffNorm(x, xs, 0, n, at);
    if (st.slots.length > 1) for (const s of st.slots) errs.get(s.base)![t] = diffNorm(x, xs, s.offset, s.offset + s.size, at);
    else errs.get(st.slots[0].base)![t] = errs.get('*')![t];
  };
  if (xstarKnown) for (const k of keys) errs.set(k, new Float64Array(steps + 1));
  if (xstarKnown) fillErr(x0, 0, xstarKnown);
  const stopTol = 1e-13 * Math.max(1, xstarKnown ? norm(xstarKnown) : 0);
  const canStopEarly = !!xstarKnown && an.affine && an.rho < 1 && prog.perStep.size === 0;
  st.reset();
  let x = x0;
  let t = 0;
  // an affine update runs as x' = A x + b (the same numbers up to round-off, without the interpreter)
  const affineA = an.affine && an.A && prog.perStep.size === 0 ? an.A : undefined;
  const affineB = an.b;
  // without stored states two buffers suffice (x_t and x_{t+1})
  const pingPong = [new Float64Array(n), new Float64Array(n)];
  let diverged: Trajectory['diverged'];
  let stoppedEarly = false;
  for (; t < steps; ) {
    budget.poll();
    budget.iterations++;
    const y = affineA ? affineStep(affineA, affineB as Float64Array, x, n, pingPong[t & 1]) : st.stepInto(x, t, pingPong[t & 1]);
    t++;
    let ok = true;
    for (let i = 0; i < n; i++) {
      if (!Number.isFinite(y[i])) {
        ok = false;
        diverged = { t, kind: Number.isNaN(y[i]) ? 'NaN' : 'overflow' };
        break;
      }
    }
    if (!ok) break;
    x = y;
    norms[t] = norm(y);
    if (states) states.set(y, t * n);
    if (xstarKnown) fillErr(y, t, xstarKnown);
    if (norms[t] > bound) {
      diverged = { t, kind: `‖x_t‖ exceeded 10^8 × max(1, ‖x_0‖, ‖x*‖)` };
      break;
    }
    if (canStopEarly && errs.get('*')![t] <= stopTol) {
      stoppedEarly = true;
      break;
    }
  }
  const done = t;
  // limit
  let xstar = xstarKnown;
  let xstarSource = xstarKnown ? 'fixed point of the affine update' : 'none';
  if (!xstar && !diverged) {
    xstar = x;
    xstarSource = 'last iterate';
    for (const k of keys) errs.set(k, new Float64Array(done + 1));
    if (states) {
      for (let k = 0; k <= done; k++) fillErr(states, k, xstar, k * n);
    } else {
      // second pass (same numbers: per-step noise is reproducible)
      st.reset();
      let z = x0;
      fillErr(z, 0, xstar);
      for (let k = 1; k <= done; k++) {
        budget.poll();
        z = st.step(z, k - 1);
        fillErr(z, k, xstar);
      }
    }
  }
  // classification
  const xsNorm = xstar ? norm(xstar) : 0;
  let converges = false;
  let bounded = false;
  let why = '';
  const errAll = xstar ? errs.get('*') : undefined;
  const empiricalRate = errAll ? geometricRate(errAll, done, Math.max(1, xsNorm)) : NaN;
  const margin = 1e-12;
  let undecided: string | undefined;
  let growth: GrowthEstimate | undefined;
  if (an.verdict) {
    converges = an.verdict.converges;
    bounded = an.verdict.bounded;
    why = an.verdict.why;
    if (an.affine && converges && an.verdict.rule === 'spectral radius') {
      const reached = errAll ? errAll[done] <= CONVERGE_TOL * Math.max(1, xsNorm) : false;
      if (!reached) why += ` (not yet within 10^-9 after ${done} steps)`;
    }
    if (diverged && bounded) why += ` (the simulated run left the plotting range: ${diverged.kind} at t = ${diverged.t})`;
  } else if (diverged) {
    why = `${diverged.kind} at t = ${diverged.t}${growthFactorNote(norms, done)}`;
  } else if (!an.affine) {
    // statistics: converges on the run itself, bounded from the growth rate over windows / independent runs
    const tail = Math.max(1, Math.floor(done / 4));
    const tol = CONVERGE_TOL * Math.max(1, xsNorm);
    if (errAll && done >= 4 && prog.perStep.size === 0) {
      converges = true;
      for (let k = done - tail; k <= done; k++) if (errAll[k] > tol) converges = false;
    }
    if (converges) {
      bounded = true;
      why = `converged on the run: within 10^-9 of the last iterate over the last ${tail} of ${done} steps`;
    } else {
      const runs = prog.perStep.size > 0 ? independentRuns(sc, st, done, norms) : { logs: [logOf(norms, done)] };
      if (runs.diverged) {
        why = `run ${runs.diverged.run + 1} of ${NOISY_RUNS}: ${runs.diverged.kind} at t = ${runs.diverged.t}`;
      } else {
        growth = growthVerdict(runs.logs, done);
        bounded = growth.verdict === 'bounded';
        why = `${growth.why}: ${growth.verdict === 'bounded' ? 'bounded' : growth.verdict === 'diverges' ? 'growing' : 'undecided'} (threshold ln √2 / ${done} steps = ${fmt(GROWTH_LIMIT / Math.max(1, done))})`;
        if (growth.verdict === 'undecided') undecided = `undecided: ${growth.why} straddles the threshold ${fmt(GROWTH_LIMIT / Math.max(1, done))}; run longer (\`steps\`)${prog.perStep.size ? ' or with more trials' : ''}`;
        if (bounded) why += ', does not converge';
      }
    }
  } else if (an.affine && an.rho < 1 - margin) {
    converges = true;
    bounded = true;
    const reached = errAll ? errAll[done] <= CONVERGE_TOL * Math.max(1, xsNorm) : false;
    why = `spectral radius of the update ρ = ${fmt(an.rho)} < 1${reached ? '' : ` (not yet within 10^-9 after ${done} steps)`}`;
  } else if (an.affine && an.rho > 1 + margin) {
    why = `spectral radius of the update ρ = ${fmt(an.rho)} > 1`;
  } else {
    // empirical definitions
    const tail = Math.max(1, Math.floor(done / 4));
    const tol = CONVERGE_TOL * Math.max(1, xsNorm);
    if (errAll && done >= 4) {
      converges = true;
      for (let k = done - tail; k <= done; k++) if (errAll[k] > tol) converges = false;
      if (xstarSource === 'last iterate' && errAll.every((v) => v === 0) && done < 4) converges = false;
    }
    let sup = 0;
    for (let k = 0; k <= done; k++) sup = Math.max(sup, norms[k]);
    const eighth = Math.max(1, Math.floor(done / 8));
    let lastMax = 0;
    let prevMax = 0;
    for (let k = done - eighth + 1; k <= done; k++) lastMax = Math.max(lastMax, norms[k]);
    for (let k = Math.max(0, done - 2 * eighth + 1); k <= done - eighth; k++) prevMax = Math.max(prevMax, norms[k]);
    const growing = lastMax > (1 + 1e-6) * prevMax && lastMax > 1e-300;
    bounded = sup < bound && !growing;
    if (converges) bounded = true;
    why = an.affine ? `ρ = ${fmt(an.rho)} ≈ 1: judged on ${done} steps` : `judged on ${done} steps`;
    if (!converges && bounded) why += ' (bounded, does not converge)';
    if (!bounded) why += growing ? ' (growing)' : ' (too large)';
  }
  const traj: Trajectory = {
    steps: done,
    requested: steps,
    errs: xstar ? errs : null,
    norms: norms.subarray(0, done + 1),
    xstar,
    xstarSource,
    diverged,
    stoppedEarly,
    converges,
    bounded,
    why,
    undecided,
    growth,
    empiricalRate,
    last: x,
  };
  facts.traj = traj;
  return traj;
}

export function affineStep(A: Float64Array, b: Float64Array, x: Float64Array, n: number, into?: Float64Array): Float64Array {
  const y = into ?? new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b[i];
    const row = i * n;
    for (let j = 0; j < n; j++) s += A[row + j] * x[j];
    y[i] = s;
  }
  return y;
}

/** ", ‖x_t‖ grew by a factor g per step over the last k steps" before a run left the range. */
function growthFactorNote(norms: Float64Array, done: number): string {
  const k = Math.min(done, 20);
  const a = norms[done - k];
  const b = norms[done];
  if (k < 2 || !(a > 0) || !(b > 0) || !Number.isFinite(b)) return '';
  return ` (‖x_t‖ grew by a factor ${fmt(Math.pow(b / a, 1 / k))} per step over the last ${k} steps)`;
}

const NOISY_RUNS = 8;

function logOf(norms: Float64Array, done: number): Float64Array {
  const out = new Float64Array(done + 1);
  for (let k = 0; k <= done; k++) out[k] = Math.log(Math.max(norms[k], 1e-300));
  return out;
}

/** NOISY_RUNS runs of the update with independent per-step draws (run 0 is the trajectory itself). */
function independentRuns(sc: Scope, st: Stepper, steps: number, first: Float64Array): { logs: Float64Array[]; diverged?: { run: number; t: number; kind: string } } {
  const logs = [logOf(first, steps)];
  const bound = BOUND_FACTOR * Math.max(1, norm(st.x0));
  for (let r = 1; r < NOISY_RUNS; r++) {
    st.reset(r);
    let x = st.x0;
    const norms = new Float64Array(steps + 1);
    norms[0] = norm(x);
    for (let t = 0; t < steps; t++) {
      sc.run.budget.poll();
      sc.run.budget.iterations++;
      x = st.step(x, t);
      const nx = norm(x);
      if (!Number.isFinite(nx) || nx > bound) {
        st.reset();
        return { logs, diverged: { run: r, t: t + 1, kind: Number.isFinite(nx) ? '‖x_t‖ exceeded 10^8 × max(1, ‖x_0‖)' : 'overflow' } };
      }
      norms[t + 1] = nx;
    }
    logs.push(logOf(norms, steps));
  }
  st.reset();
  return { logs };
}

function geometricRate(errs: Float64Array, done: number, scale: number): number {
  let sum = 0;
  let count = 0;
  for (let k = 0; k < done; k++) {
    const a = errs[k];
    const b = errs[k + 1];
    if (a <= 1e-12 * scale || b <= 1e-12 * scale) break;
    sum += Math.log(b / a);
    count++;
  }
  return count ? Math.exp(sum / count) : NaN;
}
