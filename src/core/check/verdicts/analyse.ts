// Structural analysis of an update at one point: affine x' = A x + b detected by probing (fixed point, ρ(A), the
// verdict from verdicts.ts), or, with per-step draws whose moments are linear, the exact moment recursion.
import { fmt } from '../evaluation/format';
import { type Scope } from '../evaluation/scope';
import { Rng } from '../rng';
import { affineVerdict, momentNorms, momentSystem, momentsAt, tensorQuadrature, type MomentSystem, type Quadrature, type StructuralVerdict } from './verdicts';
import { UndefinedError } from '../errors';
import { Mat, solveLinear } from '../linalg/values';
import { spectralRadius } from '../linalg/decompose';
import { CONVERGE_TOL, diffNorm, factsOf, getStepper, norm, type Stepper } from '../simulation/stepper';

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
  const { facts } = factsOf(sc);
  if (facts.analysis) return facts.analysis;
  const prog = sc.run.prog;
  const st = getStepper(sc);
  const n = st.dim;
  let result: Analysis = { affine: false, rho: NaN, xstar: null };
  if (prog.perStep.size === 0 && n <= 400) {
    try {
      result = affineAnalysis(sc, st);
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

function affineAnalysis(sc: Scope, st: Stepper): Analysis {
  const n = st.dim;
  let result: Analysis = { affine: false, rho: NaN, xstar: null };
  {
    const zero = new Float64Array(n);
    const b = st.step(zero, 0);
    const A = Mat.zeros(n, n);
    let finite = b.every(Number.isFinite);
    for (let j = 0; j < n && finite; j++) {
      sc.run.budget.poll();
      const e = new Float64Array(n);
      e[j] = 1;
      const col = st.step(e, 0);
      for (let i = 0; i < n; i++) A.d[i * n + j] = col[i] - b[i];
      if (!col.every(Number.isFinite)) finite = false;
    }
    if (finite) {
      // test affinity at a fixed pseudo-random point (not from the check's generator)
      const probe = new Rng(987654321);
      const r = new Float64Array(n);
      for (let i = 0; i < n; i++) r[i] = 2 * probe.uniform() - 1 + (st.x0[i] || 0);
      // a second point ten times farther out exposes small non-linear terms
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
          for (let j = 0; j < n; j++) s += A.d[i * n + j] * pt[j];
          e = Math.max(e, Math.abs(s - f[i]));
          ref = Math.max(ref, Math.abs(f[i]), Math.abs(s));
        }
        err = Math.max(err, e / ref);
      }
      // the step may depend on t (time-varying): probe a second time index
      const fr2 = st.step(r, 7);
      let tErr = 0;
      let ref = 1;
      for (let i = 0; i < n; i++) {
        tErr = Math.max(tErr, Math.abs(fr2[i] - fr[i]));
        ref = Math.max(ref, Math.abs(fr[i]));
      }
      if (err <= 1e-10 && tErr <= 1e-12 * ref) {
        const rho = spectralRadius(A);
        let xstar: Float64Array | null = null;
        try {
          const IA = Mat.zeros(n, n);
          for (let i = 0; i < n * n; i++) IA.d[i] = -A.d[i];
          for (let i = 0; i < n; i++) IA.d[i * n + i] += 1;
          const sol = solveLinear(IA, new Mat(n, 1, Float64Array.from(b), true));
          const res = st.step(sol.d, 0);
          const scale = Math.max(1, norm(sol.d));
          if (sol.d.every(Number.isFinite) && diffNorm(res, sol.d) <= 1e-8 * scale) xstar = Float64Array.from(sol.d);
        } catch {
          xstar = null;
        }
        const verdict = affineVerdict(A.d, b, st.x0, n, rho, () => sc.run.budget.poll());
        if (!xstar && verdict?.limit) xstar = verdict.limit;
        result = { affine: true, rho, xstar, verdict, A: A.d, b };
      }
    }
  }
  return result;
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
