// The run of an `iterate` block at one point: the trajectory with its converges / bounded / diverges reading
// (structural verdicts from verdicts/analyse.ts first; the stepper is in stepper.ts, the quantities measured on a
// run in measures.ts).
import { fmt } from '../evaluation/format';
import { type Scope } from '../evaluation/scope';
import { GROWTH_LIMIT, growthVerdict, type GrowthEstimate } from '../verdicts/verdicts';
import { analyse } from '../verdicts/analyse';
import { CONVERGE_TOL, diffNorm, factsOf, getStepper, norm, type Stepper } from './stepper';

declare module './stepper' {
  interface Facts {
    traj?: Trajectory;
  }
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

const BOUND_FACTOR = 1e8;
const MAX_STORE = 4_000_000;

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
