// Structural analysis of an update at one point: affine x' = A x + b detected by probing (fixed point, ρ(A), the
// verdict from verdicts.ts), or, with per-step draws whose moments are linear, the exact moment recursion.
import { fmt } from '../evaluation/format';
import { pretty } from '../parser/pretty';
import { type Scope, type SweepSpec } from '../evaluation/scope';
import { Rng } from '../rng';
import { affineVerdict, momentNorms, momentSystem, momentsAt, tensorQuadrature, type MomentSystem, type Quadrature, type StructuralVerdict } from './verdicts';
import { CheckError, UndefinedError } from '../errors';
import { type AffineFamily, type AffineProbe, familyAt, familyFixedPoint, familyRho, fitFamily, stabilityBoundaries } from './family';
import { Mat, solveLinear } from '../linalg/values';
import { spectralRadius } from '../linalg/decompose';
import { CONVERGE_TOL, affineStep, diffNorm, factsOf, getStepper, norm, type Stepper } from '../simulation/stepper';

declare module '../simulation/stepper' {
  interface Facts {
    analysis?: Analysis;
  }
}

export interface Analysis {
  /** x_{t+1} = A x_t + b without per-step draws. */
  affine: boolean;
  /** ρ(A) for an affine update; for moments, the root-mean-square contraction √ρ₂. */
  rho: number;
  xstar: Float64Array | null;
  /** The probed update x' = A x + b (row-major), which the simulation then runs without the interpreter. */
  A?: Float64Array;
  b?: Float64Array;
  /** Decided from the structure (affine update, or the exact moment recursion of a noisy update). */
  verdict?: StructuralVerdict;
  /** Per-step draws with linear moments: the moment recursion and its limit. */
  moments?: { sys: MomentSystem; meanLimit: Float64Array | null; varianceLimit: number };
}

/** Affine analysis: x_{t+1} = A x_t + b, detected numerically; fixed point and spectral radius. */
export function analyse(sc: Scope): Analysis {
  const { owner, facts } = factsOf(sc);
  if (facts.analysis) return facts.analysis;
  const prog = sc.run.prog;
  const st = getStepper(sc);
  const n = st.dim;
  let result: Analysis = { affine: false, rho: NaN, xstar: null };
  if (prog.perStep.size === 0 && n <= 400) {
    try {
      // at a sweep point: A(η), b(η) from the family of the sweep when the update is affine in η, else probed here
      const fam = familyOf(owner);
      result = (fam && familyAnalysis(sc, st, fam.family, fam.eta)) ?? affineAnalysis(sc, st);
    } catch (e) {
      // the update is undefined at a probe point (1/w at w = 0, …): not affine; the run itself decides
      if (!(e instanceof UndefinedError)) throw e;
    }
  } else if (prog.perStep.size > 0) {
    result = momentAnalysis(sc, st) ?? result;
  }
  facts.analysis = result;
  return result;
}

/** The update probed at x = 0 and at the unit vectors: x' = A x + b, when it is affine (affineAt). */
function probeAffine(sc: Scope, st: Stepper): { A: Float64Array; b: Float64Array } | undefined {
  const n = st.dim;
  const zero = new Float64Array(n);
  const b = st.step(zero, 0);
  const A = new Float64Array(n * n);
  if (!b.every(Number.isFinite)) return undefined;
  for (let j = 0; j < n; j++) {
    sc.run.budget.poll();
    const e = new Float64Array(n);
    e[j] = 1;
    const col = st.step(e, 0);
    for (let i = 0; i < n; i++) A[i * n + j] = col[i] - b[i];
    if (!col.every(Number.isFinite)) return undefined;
  }
  return affineAt(st, A, b) ? { A, b } : undefined;
}

/**
 * Whether the update is x' = A x + b: compared at a fixed pseudo-random point (not from the check's generator), at
 * a point ten times farther out (exposes small non-linear terms), and at a second time index (time-varying steps).
 */
function affineAt(st: Stepper, A: Float64Array, b: Float64Array): boolean {
  const n = st.dim;
  const probe = new Rng(987654321);
  const r = new Float64Array(n);
  for (let i = 0; i < n; i++) r[i] = 2 * probe.uniform() - 1 + (st.x0[i] || 0);
  const r10 = r.map((v) => 10 * v);
  let err = 0;
  let fr: Float64Array = r;
  for (const pt of [r, r10]) {
    const f = st.step(pt, 0);
    if (pt === r) fr = f;
    let e = 0;
    let ref = 1;
    for (let i = 0; i < n; i++) {
      let s = b[i];
      for (let j = 0; j < n; j++) s += A[i * n + j] * pt[j];
      e = Math.max(e, Math.abs(s - f[i]));
      ref = Math.max(ref, Math.abs(f[i]), Math.abs(s));
    }
    err = Math.max(err, e / ref);
  }
  const fr2 = st.step(r, 7);
  let tErr = 0;
  let ref = 1;
  for (let i = 0; i < n; i++) {
    tErr = Math.max(tErr, Math.abs(fr2[i] - fr[i]));
    ref = Math.max(ref, Math.abs(fr[i]));
  }
  return err <= 1e-10 && tErr <= 1e-12 * ref;
}

function affineAnalysis(sc: Scope, st: Stepper): Analysis {
  const probed = probeAffine(sc, st);
  if (!probed) return { affine: false, rho: NaN, xstar: null };
  return affineResult(sc, st, probed.A, probed.b, spectralRadius(new Mat(st.dim, st.dim, probed.A, false)));
}

/**
 * The affine update at a point: fixed point, ρ and the verdict. The fixed point is verified by one step of the update,
 * or, from a family (`fixedPoint` given; A and b were just checked against the update at this point), of x ↦ Ax + b.
 */
function affineResult(sc: Scope, st: Stepper, A: Float64Array, b: Float64Array, rho: number, fixedPoint?: () => Float64Array | undefined): Analysis {
  const n = st.dim;
  let xstar: Float64Array | null = null;
  try {
    let sol = fixedPoint?.();
    if (!sol) {
      const IA = Mat.zeros(n, n);
      for (let i = 0; i < n * n; i++) IA.d[i] = -A[i];
      for (let i = 0; i < n; i++) IA.d[i * n + i] += 1;
      sol = solveLinear(IA, new Mat(n, 1, Float64Array.from(b), true)).d;
    }
    const res = fixedPoint ? affineStep(A, b, sol, n) : st.step(sol, 0);
    const scale = Math.max(1, norm(sol));
    if (sol.every(Number.isFinite) && diffNorm(res, sol) <= 1e-8 * scale) xstar = Float64Array.from(sol);
  } catch {
    xstar = null;
  }
  const verdict = affineVerdict(A, b, st.x0, n, rho, () => sc.run.budget.poll());
  if (!xstar && verdict?.limit) xstar = verdict.limit;
  return { affine: true, rho, xstar, verdict, A, b };
}

/** Fewer sweep points than this are probed one by one (the family costs four probes). */
const FAMILY_MIN_POINTS = 8;

/**
 * The affine family of the sweep above a sweep point (`point` holds only the swept value), probed once for all the
 * points below the same scope: at both ends of the sweep, verified at two interior values. Undefined when `point` is
 * not a plain sweep point, the sweep is short, or the update is not affine in the swept value there.
 */
function familyOf(point: Scope): { family: AffineFamily; eta: number } | undefined {
  const key = point.run.prog.sweep?.key;
  const base = point.parent;
  if (!key || !base || point.vals.size !== 1) return undefined;
  const eta = point.vals.get(key);
  if (typeof eta !== 'number') return undefined;
  const family = trialFamily(base);
  return family ? { family, eta } : undefined;
}

/** The affine family of the sweep points below `base` (probed on first use), or undefined. */
function trialFamily(base: Scope): AffineFamily | undefined {
  const prog = base.run.prog;
  const key = prog.sweep?.key;
  if (!key || prog.perStep.size || !prog.stateBases.length) return undefined;
  if (base.sweepFamily === undefined) {
    base.sweepFamily = null;
    const grid = base.sweep;
    if (grid && grid.points.length >= FAMILY_MIN_POINTS) {
      const fam = probeFamily(base, key, grid);
      base.sweepFamily = fam ?? null;
      // how the sweep points were analysed, in the check's values
      const v = pretty(grid.display);
      base.run.notes.sweepUpdate = fam
        ? `affine in ${v}: A(${v}) = A₀ + ${v}A₁, b(${v}) = b₀ + ${v}b₁ from the update probed at 4 values of ${v} and checked against it at every point` +
          (fam.spectrum ? `; A₀ = αI and A₁ symmetric: ρ(${v}) = max_i |α + ${v}μ_i| from one eigendecomposition` : '')
        : `not affine in ${v} (or not affine in the state): the update is probed at every point`;
    }
  }
  return (base.sweepFamily as AffineFamily | null) ?? undefined;
}

/**
 * The swept values in (lo, hi) where the spectral radius of the update crosses 1, in closed form from the family
 * (A₀ = αI, A₁ symmetric); empty when that is not known. The ⟺ sweep confirms them instead of bisecting.
 */
export function stabilityCandidates(trial: Scope, lo: number, hi: number): number[] {
  const fam = trialFamily(trial);
  return fam && fam.n <= 400 ? stabilityBoundaries(fam, lo, hi) : [];
}

function probeFamily(base: Scope, key: string, grid: SweepSpec): AffineFamily | undefined {
  // the first and last points of the grid, verified at two interior grid points (at irrational fractions of it)
  const g = grid.points;
  const at = [0, g.length - 1, Math.round(0.3819660112501051 * (g.length - 1)), Math.round(0.7236067977499790 * (g.length - 1))];
  const probes: AffineProbe[] = [];
  for (const i of at) {
    const p = base.child(key, g[i]);
    let probed: { A: Float64Array; b: Float64Array } | undefined;
    try {
      probed = probeAffine(p, getStepper(p));
    } catch (e) {
      // an update that cannot be evaluated there fails again, with its message, when that point is judged
      if (!(e instanceof UndefinedError || e instanceof CheckError)) throw e;
    }
    if (!probed) return undefined;
    probes.push({ eta: g[i], ...probed });
  }
  return fitFamily([probes[0], probes[1]], probes.slice(2), probes[0].b.length);
}

/** The analysis at one sweep point from the family, or undefined when the update there is not A(η) x + b(η). */
function familyAnalysis(sc: Scope, st: Stepper, fam: AffineFamily, eta: number): Analysis | undefined {
  if (fam.n !== st.dim) return undefined;
  const { A, b } = familyAt(fam, eta);
  if (!affineAt(st, A, b)) return undefined;
  const rho = familyRho(fam, eta) ?? spectralRadius(new Mat(st.dim, st.dim, A, false));
  return affineResult(sc, st, A, b, rho, () => familyFixedPoint(fam, eta, b));
}

/** Noisy updates whose mean is affine and whose second moment is quadratic in the state: the moment recursion. */
function momentAnalysis(sc: Scope, st: Stepper): Analysis | undefined {
  const n = st.dim;
  const poll = () => sc.run.budget.poll();
  const probe = new Rng(987654321);
  const r = new Float64Array(n);
  for (let i = 0; i < n; i++) r[i] = 2 * probe.uniform() - 1 + (st.x0[i] || 0);
  let sys: MomentSystem | undefined;
  try {
    // time-invariant: the same moments at t = 0 and t = 7
    const F0 = (x: Float64Array, z: Float64Array) => st.stepWith(x, 0, z);
    const F7 = (x: Float64Array, z: Float64Array) => st.stepWith(x, 7, z);
    sys = momentSystem(F0, st.x0, n, st.kinds, r, poll);
    if (sys) {
      const rule = tensorQuadrature(st.kinds, 4) as Quadrature;
      const a = momentsAt(F0, r, n, rule);
      const b = momentsAt(F7, r, n, rule);
      for (let i = 0; i < a.second.length; i++) if (Math.abs(a.second[i] - b.second[i]) > 1e-12 * Math.max(1, Math.abs(a.second[i]))) sys = undefined;
    }
  } catch (e) {
    if (e instanceof UndefinedError) return undefined;
    throw e;
  }
  if (!sys) return undefined;
  const rho = Math.max(sys.rhoMean, sys.rhoSecond);
  const v = affineVerdict(sys.M, sys.c, sys.y0, sys.dim, rho, poll, 'the moment recursion');
  if (!v) return undefined;
  // limit of the moments
  let yLim: Float64Array | undefined = v.limit;
  if (!yLim && rho < 1) {
    const N = sys.dim;
    const IM = Mat.zeros(N, N);
    for (let i = 0; i < N * N; i++) IM.d[i] = -sys.M[i];
    for (let i = 0; i < N; i++) IM.d[i * N + i] += 1;
    try {
      yLim = Float64Array.from(solveLinear(IM, new Mat(N, 1, Float64Array.from(sys.c), true)).d);
    } catch {
      yLim = undefined;
    }
  }
  const lim = yLim ? momentNorms(yLim, n) : undefined;
  const meanLimit = yLim ? yLim.slice(0, n) : null;
  const varianceLimit = lim ? lim.variance : NaN;
  const tiny = lim ? lim.variance <= (CONVERGE_TOL * Math.max(1, lim.meanNorm)) ** 2 : false;
  const rhoText = `second-moment map ρ₂ = ${fmt(sys.rhoSecond)}, mean map ρ = ${fmt(sys.rhoMean)}`;
  let verdict: StructuralVerdict;
  if (v.bounded) {
    const converges = v.converges && tiny;
    const tail = lim ? `E‖x_t‖² → ${fmt(lim.meanSquare)}, variance → ${fmt(lim.variance)}` : '';
    verdict = {
      converges,
      bounded: true,
      rule: v.rule,
      why: `in mean square, from the exact moment recursion (${rhoText}${v.rule === 'powers' ? '; ' + v.why : ''}): bounded${converges ? ', converges' : ', does not converge'}${tail ? ` (${tail})` : ''}`,
    };
  } else {
    verdict = { converges: false, bounded: false, rule: v.rule, why: `in mean square, from the exact moment recursion: E‖x_t‖² grows (${rhoText}${v.rule === 'powers' ? '; ' + v.why : ''})` };
  }
  return { affine: false, rho: Math.sqrt(sys.rhoSecond), xstar: meanLimit, verdict, moments: { sys, meanLimit, varianceLimit } };
}

/** Run the iterate at this point (cached). */
