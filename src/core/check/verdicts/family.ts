// The update of a sweep as an affine function of the swept value: x' = A(η) x + b(η) with A(η) = A₀ + η A₁ and
// b(η) = b₀ + η b₁ (gradient descent, momentum, EMA with the step size or the decay swept). The update is probed at
// the two ends of the sweep and the fit is verified at two interior values; analyse.ts then reads A(η), b(η) at every
// point instead of probing the update again, and checks them there against the update itself. When A₀ = αI and A₁
// is symmetric (gradient descent on a quadratic), one eigendecomposition A₁ = Q diag(μ) Qᵀ gives ρ(η) =
// max_i |α + η μ_i|, the fixed point, and the values of η where ρ crosses 1.
import { Mat, isSymmetric } from '../linalg/values';
import { eigenSystem } from '../linalg/eigenvectors';

/** The affine update at one value η of the swept parameter. */
export interface AffineProbe {
  eta: number;
  A: Float64Array;
  b: Float64Array;
}

export interface AffineFamily {
  n: number;
  A0: Float64Array;
  A1: Float64Array;
  b0: Float64Array;
  b1: Float64Array;
  /** A₀ = αI and A₁ = Q diag(μ) Qᵀ symmetric (Q row-major, eigenvectors as columns). */
  spectrum?: { alpha: number; mu: Float64Array; Q: Float64Array };
}

/** Largest mismatch of the fit, relative to the entries it is made of, that still counts as affine in η. */
export const FAMILY_TOL = 1e-10;

function maxAbs(x: Float64Array): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i]));
  return m;
}

/** M₀, M₁ with M(η) = M₀ + η M₁ through two probes, or undefined when a verification probe is off the line. */
function fitLine(p: Float64Array, q: Float64Array, etaP: number, etaQ: number, checks: { eta: number; m: Float64Array }[]): { m0: Float64Array; m1: Float64Array } | undefined {
  const len = p.length;
  const m1 = new Float64Array(len);
  const m0 = new Float64Array(len);
  for (let i = 0; i < len; i++) {
    m1[i] = (q[i] - p[i]) / (etaQ - etaP);
    m0[i] = p[i] - etaP * m1[i];
  }
  // the tolerance is relative to the entries the fit adds up (M₀ and η M₁ may be large while M(η) is small)
  let scale = Math.max(maxAbs(p), maxAbs(q), maxAbs(m0), maxAbs(m1) * Math.max(Math.abs(etaP), Math.abs(etaQ)));
  for (const c of checks) scale = Math.max(scale, maxAbs(c.m), maxAbs(m1) * Math.abs(c.eta));
  const tol = FAMILY_TOL * Math.max(scale, 1e-300);
  for (const c of checks) {
    for (let i = 0; i < len; i++) if (!(Math.abs(m0[i] + c.eta * m1[i] - c.m[i]) <= tol)) return undefined;
  }
  return { m0, m1 };
}

/**
 * The family through the probes `ends` (two values of η), verified at `checks`; undefined when the update is not
 * affine in η within FAMILY_TOL (then every point is probed on its own).
 */
export function fitFamily(ends: [AffineProbe, AffineProbe], checks: AffineProbe[], n: number): AffineFamily | undefined {
  const [p, q] = ends;
  if (!(p.eta !== q.eta)) return undefined;
  const a = fitLine(p.A, q.A, p.eta, q.eta, checks.map((c) => ({ eta: c.eta, m: c.A })));
  const b = a && fitLine(p.b, q.b, p.eta, q.eta, checks.map((c) => ({ eta: c.eta, m: c.b })));
  if (!a || !b) return undefined;
  const fam: AffineFamily = { n, A0: a.m0, A1: a.m1, b0: b.m0, b1: b.m1 };
  fam.spectrum = symmetricSpectrum(a.m0, a.m1, n);
  return fam;
}

/** A₀ = αI and A₁ symmetric (the tolerance of isSymmetric): α and the eigendecomposition of A₁. */
function symmetricSpectrum(A0: Float64Array, A1: Float64Array, n: number): AffineFamily['spectrum'] {
  const alpha = A0[0];
  let f = 0;
  for (let i = 0; i < A0.length; i++) f += A0[i] * A0[i];
  const tol = 1e-12 * Math.max(1, Math.sqrt(f));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) if (Math.abs(A0[i * n + j] - (i === j ? alpha : 0)) > tol) return undefined;
  }
  if (!isSymmetric(new Mat(n, n, A1, false))) return undefined;
  const S = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) S[i * n + j] = (A1[i * n + j] + A1[j * n + i]) / 2;
  const { values, vectors } = eigenSystem(new Mat(n, n, S, false), 'the update', true);
  if (!vectors || !values.every(Number.isFinite)) return undefined;
  return { alpha, mu: Float64Array.from(values), Q: vectors.d };
}

/** A(η) and b(η). */
export function familyAt(f: AffineFamily, eta: number): { A: Float64Array; b: Float64Array } {
  const A = new Float64Array(f.A0.length);
  for (let i = 0; i < A.length; i++) A[i] = f.A0[i] + eta * f.A1[i];
  const b = new Float64Array(f.n);
  for (let i = 0; i < f.n; i++) b[i] = f.b0[i] + eta * f.b1[i];
  return { A, b };
}

/** ρ(A(η)) = max_i |α + η μ_i| when the spectrum is known. */
export function familyRho(f: AffineFamily, eta: number): number | undefined {
  const s = f.spectrum;
  if (!s) return undefined;
  let r = 0;
  for (let i = 0; i < s.mu.length; i++) r = Math.max(r, Math.abs(s.alpha + eta * s.mu[i]));
  return r;
}

/**
 * The fixed point x* = (I − A(η))⁻¹ b(η) = Q diag(1/(1 − α − η μ_i)) Qᵀ b(η) when the spectrum is known and
 * I − A(η) is not (nearly) singular; the caller verifies it against the update.
 */
export function familyFixedPoint(f: AffineFamily, eta: number, b: Float64Array): Float64Array | undefined {
  const s = f.spectrum;
  if (!s) return undefined;
  const n = f.n;
  const d = new Float64Array(n);
  let big = 0;
  for (let i = 0; i < n; i++) {
    d[i] = 1 - s.alpha - eta * s.mu[i];
    big = Math.max(big, Math.abs(d[i]));
  }
  for (let i = 0; i < n; i++) if (!(Math.abs(d[i]) > 1e-12 * big)) return undefined;
  // y = diag(1/d) Qᵀ b, x = Q y
  const y = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    let s2 = 0;
    for (let i = 0; i < n; i++) s2 += s.Q[i * n + k] * b[i];
    y[k] = s2 / d[k];
  }
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s2 = 0;
    for (let k = 0; k < n; k++) s2 += s.Q[i * n + k] * y[k];
    x[i] = s2;
  }
  return x;
}

/** The values of η in (lo, hi) where some |α + η μ_i| = 1 (where ρ(η) may cross 1), increasing. */
export function stabilityBoundaries(f: AffineFamily, lo: number, hi: number): number[] {
  const s = f.spectrum;
  if (!s) return [];
  const out: number[] = [];
  for (const m of s.mu) {
    if (m === 0) continue;
    for (const target of [1, -1]) {
      const eta = (target - s.alpha) / m;
      if (eta > lo && eta < hi) out.push(eta);
    }
  }
  return [...new Set(out)].sort((x, y) => x - y);
}
