// Verdicts on `iterate` blocks that never depend on luck (docs/check-semantics.md):
// - affine updates x' = A x + b: from the spectral radius of A, and exactly at ρ = 1 from the powers of the
//   augmented matrix [[A, b], [0, 1]] (a bounded 2-cycle vs a growing Jordan block, a forcing term in the range);
// - updates with per-step draws whose mean is affine and whose second moment is quadratic in the state (GD with
//   additive noise, linearised SGD, …): the same analysis of the exact recursion of the first and second moments,
//   whose expectations are computed by Gaussian quadrature over the draws and verified with a finer rule;
// - everything else: the growth rate of log‖x_t‖ fitted over windows and independent runs, with its confidence
//   interval, and an explicit "undecided" outcome.
import { fmt } from '../evaluation/format';
import { Mat } from '../linalg/values';
import { spectralRadius } from '../linalg/decompose';

/** |ρ − 1| within this band is a boundary case, decided from the powers of the augmented matrix. */
export const BOUNDARY_BAND = 1e-6;
/** The powers M^N, N = 2^k for k ≤ POWER_LEVELS (≈ 1.1·10¹² steps). */
const POWER_LEVELS = 40;
/** Largest augmented dimension for the powers test ((N+1)³ · 40 operations). */
const MAX_POWER_DIM = 201;
const CONVERGE_TOL = 1e-9;

export interface StructuralVerdict {
  converges: boolean;
  bounded: boolean;
  /** How the verdict was reached, with the decisive numbers. */
  why: string;
  /** The limit when the powers test found one (boundary cases). */
  limit?: Float64Array;
  /** Which rule decided: 'spectral radius' | 'powers' | 'fixed point'. */
  rule: string;
}

/** C = A·B for n×n row-major arrays. */
function matmulSquare(A: Float64Array, B: Float64Array, n: number, poll: () => void): Float64Array {
  const C = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    poll();
    for (let k = 0; k < n; k++) {
      const a = A[i * n + k];
      if (a === 0) continue;
      const ri = i * n;
      const rk = k * n;
      for (let j = 0; j < n; j++) C[ri + j] += a * B[rk + j];
    }
  }
  return C;
}

function matvec(A: Float64Array, v: Float64Array, n: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += A[i * n + j] * v[j];
    out[i] = s;
  }
  return out;
}

function norm(x: Float64Array, to = x.length): number {
  let s = 0;
  for (let i = 0; i < to; i++) s += x[i] * x[i];
  return Math.sqrt(s);
}

/**
 * Boundary case |ρ(A) − 1| ≤ BOUNDARY_BAND: the trajectory is M^t v with M = [[A, b], [0, 1]], v = (x₀, 1).
 * Repeated squaring gives u_k = M^(2^k) v for k ≤ 40. Bounded ⟺ ‖u_k‖ does not grow (a Jordan block at |λ| = 1, or
 * a forcing term along an eigenvalue 1, grows like N; round-off of 10⁻¹⁵ in ρ changes ‖u‖ by < 0.2 % over 2^40
 * steps). Converges ⟺ additionally u_40 is a fixed point of the update (M u_40 = u_40 within 10⁻⁹).
 */
export function powersVerdict(A: Float64Array, b: Float64Array, x0: Float64Array, n: number, poll: () => void): StructuralVerdict | undefined {
  const m = n + 1;
  if (m > MAX_POWER_DIM) return undefined;
  let P: Float64Array = new Float64Array(m * m);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) P[i * m + j] = A[i * n + j];
    P[i * m + n] = b[i];
  }
  P[n * m + n] = 1;
  const v = new Float64Array(m);
  v.set(x0);
  v[n] = 1;
  const norms: number[] = [];
  let u: Float64Array = v;
  for (let k = 0; k <= POWER_LEVELS; k++) {
    u = matvec(P, v, m);
    const nu = norm(u, n);
    norms.push(nu);
    if (!Number.isFinite(nu)) break;
    if (k < POWER_LEVELS) P = matmulSquare(P, P, m, poll);
  }
  const last = norms[norms.length - 1];
  const early = Math.max(norm(x0), ...norms.slice(0, 21).filter(Number.isFinite));
  const N = `2^${norms.length - 1}`;
  if (!Number.isFinite(last) || last > 100 * Math.max(early, 1e-300)) {
    return {
      converges: false,
      bounded: false,
      rule: 'powers',
      why: `ρ = 1 within ${fmt(BOUNDARY_BAND)}: the iterates grow without bound (‖x_N‖ = ${fmt(last)} at N = ${N} against ${fmt(early)} up to N = 2^20: a Jordan block or a forcing term along an eigenvalue of modulus 1)`,
    };
  }
  // u is the last M^N v; one more step tells whether it is a fixed point
  const next = matvec(rebuild(A, b, n), u, m);
  let d = 0;
  for (let i = 0; i < n; i++) d = Math.max(d, Math.abs(next[i] - u[i]));
  const scale = Math.max(1, norm(u, n));
  const converges = d <= CONVERGE_TOL * scale;
  return {
    converges,
    bounded: true,
    rule: 'powers',
    limit: converges ? u.slice(0, n) : undefined,
    why: converges
      ? `ρ = 1 within ${fmt(BOUNDARY_BAND)}: the eigenvalues of modulus 1 are semisimple and the iterates settle (x_N = x_{N+1} within 10^-9 at N = ${N})`
      : `ρ = 1 within ${fmt(BOUNDARY_BAND)}: bounded (‖x_N‖ = ${fmt(last)} at N = ${N}, at most ${fmt(early)} before), does not converge (‖x_{N+1} − x_N‖ = ${fmt(d)}: an oscillation such as a 2-cycle)`,
  };
}

function rebuild(A: Float64Array, b: Float64Array, n: number): Float64Array {
  const m = n + 1;
  const M = new Float64Array(m * m);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) M[i * m + j] = A[i * n + j];
    M[i * m + n] = b[i];
  }
  M[n * m + n] = 1;
  return M;
}

/**
 * Verdict for x' = A x + b from x₀: ρ(A) < 1 converges, ρ(A) > 1 diverges (unless x₀ is already a fixed point),
 * and |ρ − 1| ≤ BOUNDARY_BAND is decided by powersVerdict. `label` names the map in the message.
 */
export function affineVerdict(A: Float64Array, b: Float64Array, x0: Float64Array, n: number, rho: number, poll: () => void, label = 'the update'): StructuralVerdict | undefined {
  // already at a fixed point: stays there whatever ρ is
  const fx = matvec(A, x0, n);
  let d = 0;
  for (let i = 0; i < n; i++) d = Math.max(d, Math.abs(fx[i] + b[i] - x0[i]));
  if (d <= 1e-15 * Math.max(1, norm(x0))) return { converges: true, bounded: true, rule: 'fixed point', why: `x_0 is a fixed point of ${label} (ρ = ${fmt(rho)})` };
  if (rho < 1 - BOUNDARY_BAND) return { converges: true, bounded: true, rule: 'spectral radius', why: `spectral radius of ${label} ρ = ${fmt(rho)} < 1` };
  if (rho > 1 + BOUNDARY_BAND) return { converges: false, bounded: false, rule: 'spectral radius', why: `spectral radius of ${label} ρ = ${fmt(rho)} > 1` };
  return powersVerdict(A, b, x0, n, poll);
}

// ------------------------------------------------------------------ moments of updates with per-step draws

/** Probabilists' Gauss–Hermite rules (weight e^{−z²/2}/√(2π)), exact for polynomials of degree ≤ 2q − 1. */
const HERMITE: Record<number, [number[], number[]]> = {
  4: [
    [-2.3344142183389773, -0.7419637843027258, 0.7419637843027258, 2.3344142183389773],
    [0.04587585476806849, 0.4541241452319315, 0.4541241452319315, 0.04587585476806849],
  ],
  5: [
    [-2.8569700138728056, -1.355626179974266, 0, 1.355626179974266, 2.8569700138728056],
    [0.011257411327720691, 0.2220759220056126, 0.5333333333333333, 0.2220759220056126, 0.011257411327720691],
  ],
};

/** Gauss–Legendre rules on [0, 1]. */
const LEGENDRE: Record<number, [number[], number[]]> = {
  4: [
    [0.5 - 0.4305681557970263, 0.5 - 0.16999052179242816, 0.5 + 0.16999052179242816, 0.5 + 0.4305681557970263],
    [0.17392742256872692, 0.32607257743127305, 0.32607257743127305, 0.17392742256872692],
  ],
  5: [
    [0.5 - 0.453089922969332, 0.5 - 0.2692346550528416, 0.5, 0.5 + 0.2692346550528416, 0.5 + 0.453089922969332],
    [0.11846344252809454, 0.23931433524968324, 0.28444444444444444, 0.23931433524968324, 0.11846344252809454],
  ],
};

/** Tensor quadrature nodes over the standard variates (normal or uniform on [0, 1]) of one step. */
export interface Quadrature {
  nodes: Float64Array[];
  weights: number[];
}

export const MAX_QUADRATURE_NODES = 4096;

export function tensorQuadrature(kinds: ('N' | 'U')[], q: 4 | 5): Quadrature | undefined {
  const total = Math.pow(q, kinds.length);
  if (total > MAX_QUADRATURE_NODES * 2) return undefined;
  const nodes: Float64Array[] = [];
  const weights: number[] = [];
  for (let idx = 0; idx < total; idx++) {
    const z = new Float64Array(kinds.length);
    let w = 1;
    let r = idx;
    for (let k = 0; k < kinds.length; k++) {
      const j = r % q;
      r = Math.floor(r / q);
      const [xs, ws] = (kinds[k] === 'N' ? HERMITE : LEGENDRE)[q];
      z[k] = xs[j];
      w *= ws[j];
    }
    nodes.push(z);
    weights.push(w);
  }
  return { nodes, weights };
}

/** Mean and second moment (packed upper triangle, row by row) of F(x, z) over a quadrature rule. */
export function momentsAt(F: (x: Float64Array, z: Float64Array) => Float64Array, x: Float64Array, n: number, rule: Quadrature): { mean: Float64Array; second: Float64Array } {
  const mean = new Float64Array(n);
  const second = new Float64Array((n * (n + 1)) / 2);
  for (let j = 0; j < rule.nodes.length; j++) {
    const f = F(x, rule.nodes[j]);
    const w = rule.weights[j];
    let p = 0;
    for (let a = 0; a < n; a++) {
      mean[a] += w * f[a];
      for (let c = a; c < n; c++) second[p++] += w * f[a] * f[c];
    }
  }
  return { mean, second };
}

export interface MomentSystem {
  /** Dimension of the moment state (n means + n(n+1)/2 second moments). */
  dim: number;
  /** y' = M y + c on y = (E x, E x xᵀ packed). */
  M: Float64Array;
  c: Float64Array;
  y0: Float64Array;
  /** Spectral radius of the mean map and of the second-moment part. */
  rhoMean: number;
  rhoSecond: number;
}

/**
 * The exact recursion of the first two moments when E[F(x, z)] is affine and E[F Fᵀ] is quadratic in x (probed at
 * 0, ±e_i and e_i + e_j, verified at a pseudo-random point and with a finer quadrature rule); undefined otherwise.
 */
export function momentSystem(
  F: (x: Float64Array, z: Float64Array) => Float64Array,
  x0: Float64Array,
  n: number,
  kinds: ('N' | 'U')[],
  probe: Float64Array,
  poll: () => void,
): MomentSystem | undefined {
  const rule = tensorQuadrature(kinds, 4);
  const fine = tensorQuadrature(kinds, 5);
  if (!rule || !fine || rule.nodes.length > MAX_QUADRATURE_NODES) return undefined;
  const P = (n * (n + 1)) / 2;
  const N = n + P;
  if (N > 400) return undefined;
  const at = (x: Float64Array) => {
    poll();
    return momentsAt(F, x, n, rule);
  };
  const e = (i: number, s = 1) => {
    const v = new Float64Array(n);
    v[i] = s;
    return v;
  };
  const m0 = at(new Float64Array(n));
  const plus: { mean: Float64Array; second: Float64Array }[] = [];
  const minus: { mean: Float64Array; second: Float64Array }[] = [];
  for (let i = 0; i < n; i++) {
    plus.push(at(e(i)));
    minus.push(at(e(i, -1)));
  }
  // mean map: A_m e_i = (m(e_i) − m(−e_i))/2
  const Am = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let a = 0; a < n; a++) Am[a * n + i] = (plus[i].mean[a] - minus[i].mean[a]) / 2;
  const bm = m0.mean;
  // second moment: S(x) = S0 + Σ x_i L_i + Σ_{i≤j} x_i x_j Q_ij
  const L: Float64Array[] = [];
  const Q = new Map<number, Float64Array>();
  const S0 = m0.second;
  for (let i = 0; i < n; i++) {
    const l = new Float64Array(P);
    const qd = new Float64Array(P);
    for (let p = 0; p < P; p++) {
      l[p] = (plus[i].second[p] - minus[i].second[p]) / 2;
      qd[p] = (plus[i].second[p] + minus[i].second[p]) / 2 - S0[p];
    }
    L.push(l);
    Q.set(i * n + i, qd);
  }
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const v = new Float64Array(n);
      v[i] = 1;
      v[j] = 1;
      const s = at(v).second;
      const q = new Float64Array(P);
      const qi = Q.get(i * n + i) as Float64Array;
      const qj = Q.get(j * n + j) as Float64Array;
      for (let p = 0; p < P; p++) q[p] = s[p] - S0[p] - L[i][p] - L[j][p] - qi[p] - qj[p];
      Q.set(i * n + j, q);
    }
  }
  // verify at the probe point, with the coarse and the fine rule
  const predMean = new Float64Array(n);
  const predSecond = new Float64Array(P);
  for (let a = 0; a < n; a++) {
    let s = bm[a];
    for (let i = 0; i < n; i++) s += Am[a * n + i] * probe[i];
    predMean[a] = s;
  }
  for (let p = 0; p < P; p++) {
    let s = S0[p];
    for (let i = 0; i < n; i++) {
      s += probe[i] * L[i][p];
      for (let j = i; j < n; j++) s += probe[i] * probe[j] * (Q.get(i * n + j) as Float64Array)[p];
    }
    predSecond[p] = s;
  }
  const close = (u: Float64Array, v: Float64Array) => {
    let err = 0;
    let ref = 1;
    for (let i = 0; i < u.length; i++) {
      err = Math.max(err, Math.abs(u[i] - v[i]));
      ref = Math.max(ref, Math.abs(u[i]), Math.abs(v[i]));
    }
    return err <= 1e-9 * ref;
  };
  const coarse = at(probe);
  poll();
  const finer = momentsAt(F, probe, n, fine);
  if (!close(coarse.mean, predMean) || !close(coarse.second, predSecond) || !close(finer.mean, predMean) || !close(finer.second, predSecond)) return undefined;
  // the moment recursion y' = M y + c, y = (μ, packed E[x xᵀ])
  const M = new Float64Array(N * N);
  const c = new Float64Array(N);
  for (let a = 0; a < n; a++) {
    for (let i = 0; i < n; i++) M[a * N + i] = Am[a * n + i];
    c[a] = bm[a];
  }
  const packed = (i: number, j: number) => {
    const [a, b] = i <= j ? [i, j] : [j, i];
    return a * n - (a * (a - 1)) / 2 + (b - a);
  };
  for (let p = 0; p < P; p++) {
    const row = n + p;
    c[row] = S0[p];
    for (let i = 0; i < n; i++) {
      M[row * N + i] = L[i][p];
      for (let j = i; j < n; j++) M[row * N + n + packed(i, j)] += (Q.get(i * n + j) as Float64Array)[p];
    }
  }
  const y0 = new Float64Array(N);
  y0.set(x0);
  for (let i = 0; i < n; i++) for (let j = i; j < n; j++) y0[n + packed(i, j)] = x0[i] * x0[j];
  const sub = (from: number, size: number) => {
    const m = new Mat(size, size, new Float64Array(size * size), false);
    for (let i = 0; i < size; i++) for (let j = 0; j < size; j++) m.d[i * size + j] = M[(from + i) * N + from + j];
    return m;
  };
  const rhoMean = spectralRadius(sub(0, n));
  const rhoSecond = spectralRadius(sub(n, P));
  return { dim: N, M, c, y0, rhoMean, rhoSecond };
}

/** E‖x‖² and ‖E x‖ of a moment state y. */
export function momentNorms(y: Float64Array, n: number): { meanNorm: number; meanSquare: number; variance: number } {
  let mean2 = 0;
  for (let i = 0; i < n; i++) mean2 += y[i] * y[i];
  let tr = 0;
  let p = n;
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      if (i === j) tr += y[p];
      p++;
    }
  }
  return { meanNorm: Math.sqrt(mean2), meanSquare: tr, variance: Math.max(0, tr - mean2) };
}

// ------------------------------------------------------------------ statistics for everything else

export interface GrowthEstimate {
  /** Mean fitted growth rate of log‖x_t‖ per step, and the half-width of its 99.7 % interval. */
  rate: number;
  halfWidth: number;
  runs: number;
  windows: number;
  verdict: 'bounded' | 'diverges' | 'undecided';
  why: string;
}

/** Least-squares slope of y over t = from … to−1. */
function slope(y: Float64Array, from: number, to: number): number {
  const n = to - from;
  if (n < 2) return 0;
  let st = 0;
  let sy = 0;
  for (let t = from; t < to; t++) {
    st += t;
    sy += y[t];
  }
  const mt = st / n;
  const my = sy / n;
  let num = 0;
  let den = 0;
  for (let t = from; t < to; t++) {
    num += (t - mt) * (y[t] - my);
    den += (t - mt) * (t - mt);
  }
  return den > 0 ? num / den : 0;
}

/** ln √2: the threshold of the fitted growth of log‖x_t‖ over a horizon of H steps (see growthVerdict). */
export const GROWTH_LIMIT = Math.LN2 / 2;

/** log of the root-mean-square of ‖x_t‖ over the runs in `use` (log-sum-exp, so no overflow). */
function logRms(logNorms: Float64Array[], use: number[], steps: number): Float64Array {
  const out = new Float64Array(steps + 1);
  for (let t = 0; t <= steps; t++) {
    let mx = -Infinity;
    for (const r of use) mx = Math.max(mx, 2 * logNorms[r][t]);
    let s = 0;
    for (const r of use) s += Math.exp(2 * logNorms[r][t] - mx);
    out[t] = 0.5 * (mx + Math.log(s / use.length));
  }
  return out;
}

/**
 * Fitted growth rate g of log‖x_t‖ per step over the second half of the run, with a 99.7 % interval ḡ ± 3·se:
 * for one deterministic run, the slope of the log of the running maximum sup_{s≤t} ‖x_s‖ in 4 windows of the second half; for R noisy runs, g is the slope of the log of the
 * root-mean-square ‖x_t‖ over the runs, and se its jackknife error (leaving out one run at a time). Over a horizon of
 * H steps: bounded when the upper end times H is at most ln √2 (even the fastest growth the data allow would grow
 * ‖x‖ by less than √2 over another run as long — polynomial growth t^a shows as g·H ≈ 2a·ln 2, so a random walk
 * is not bounded), growing when the lower end times H exceeds ln √2, and undecided otherwise.
 */
export function growthVerdict(logNorms: Float64Array[], steps: number): GrowthEstimate {
  const half = Math.floor(steps / 2);
  let m: number;
  let hw: number;
  let windows = 1;
  if (logNorms.length === 1) {
    windows = 4;
    const slopes: number[] = [];
    // log of the running maximum sup_{s ≤ t} ‖x_s‖: bounded fluctuations (a chaotic orbit) leave it flat
    const sup = new Float64Array(steps + 1);
    let best = -Infinity;
    for (let t = 0; t <= steps; t++) sup[t] = best = Math.max(best, logNorms[0][t]);
    const w = Math.max(2, Math.floor((steps - half) / windows));
    for (let k = 0; k < windows; k++) slopes.push(slope(sup, half + k * w, Math.min(steps + 1, half + (k + 1) * w + 1)));
    m = slopes.reduce((a, b) => a + b, 0) / slopes.length;
    const sd = Math.sqrt(slopes.reduce((a, b) => a + (b - m) * (b - m), 0) / Math.max(1, slopes.length - 1));
    hw = (3 * sd) / Math.sqrt(slopes.length);
  } else {
    const R = logNorms.length;
    const all = Array.from({ length: R }, (_, r) => r);
    m = slope(logRms(logNorms, all, steps), half, steps + 1);
    const loo = all.map((r) => slope(logRms(logNorms, all.filter((x) => x !== r), steps), half, steps + 1));
    const mean = loo.reduce((a, b) => a + b, 0) / R;
    const se = Math.sqrt(((R - 1) / R) * loo.reduce((a, b) => a + (b - mean) * (b - mean), 0));
    hw = 3 * se;
  }
  const H = Math.max(1, steps);
  const over = logNorms.length === 1 ? `(running maximum) over ${windows} windows of one run` : `of the root-mean-square over ${logNorms.length} runs`;
  const est = `growth rate of log‖x_t‖ ${fmt(m)} ± ${fmt(hw)} per step ${over} (99.7 %)`;
  let verdict: GrowthEstimate['verdict'];
  if ((m + hw) * H <= GROWTH_LIMIT) verdict = 'bounded';
  else if ((m - hw) * H > GROWTH_LIMIT) verdict = 'diverges';
  else verdict = 'undecided';
  return { rate: m, halfWidth: hw, runs: logNorms.length, windows, verdict, why: est };
}
