// Decompositions of real matrices: symmetric eigenvalues (tridiagonal QL), shifted Cholesky (JS and the
// WebAssembly kernel), Lanczos for extreme eigenvalues, general eigenvalues/eigenvectors, singular values, norms.
import { wasmKernels } from './wasmKernels';
import { EigenvalueDecomposition, SingularValueDecomposition, determinant } from 'ml-matrix';
import { ShapeError, UndefinedError } from '../errors';
import { EXTREME_EIGEN_MIN_SIZE, Mat, PRIME_SIZE, allFinite, describe, frobenius, isSymmetric, primeValueKernels, primingMatrix, sumSquares, type Value } from './values';

/**
 * Eigenvalues of a symmetric matrix (no eigenvectors): Householder reduction to tridiagonal form, then the
 * implicit QL iteration with Wilkinson-type shifts. About 2n³ flops, much cheaper than a full decomposition.
 */
export function symmetricEigenvalues(a: Mat, poll?: () => void): number[] {
  const n = a.r;
  if (n === 0) return [];
  if (n === 1) return [a.d[0]];
  const A = Float64Array.from(a.d);
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  const v = new Float64Array(n);
  const p = new Float64Array(n);
  for (let k = 0; k < n - 2; k++) {
    poll?.();
    // x = A[k+1.., k]
    let norm = 0;
    for (let i = k + 1; i < n; i++) norm += A[i * n + k] * A[i * n + k];
    norm = Math.sqrt(norm);
    const x0 = A[(k + 1) * n + k];
    d[k] = A[k * n + k];
    if (norm === 0) {
      e[k] = 0;
      continue;
    }
    const alpha = x0 > 0 ? -norm : norm;
    let vn = 0;
    for (let i = k + 1; i < n; i++) {
      v[i] = A[i * n + k];
      if (i === k + 1) v[i] -= alpha;
      vn += v[i] * v[i];
    }
    vn = Math.sqrt(vn);
    e[k] = alpha;
    if (vn === 0) continue;
    for (let i = k + 1; i < n; i++) v[i] /= vn;
    // p = A_sub v, K = v^T p
    let K = 0;
    for (let i = k + 1; i < n; i++) {
      let s = 0;
      const row = i * n;
      for (let j = k + 1; j < n; j++) s += A[row + j] * v[j];
      p[i] = s;
      K += v[i] * s;
    }
    for (let i = k + 1; i < n; i++) p[i] -= K * v[i];
    // A_sub -= 2 v q^T + 2 q v^T
    for (let i = k + 1; i < n; i++) {
      const row = i * n;
      const vi = 2 * v[i];
      const qi = 2 * p[i];
      for (let j = k + 1; j < n; j++) A[row + j] -= vi * p[j] + qi * v[j];
    }
  }
  d[n - 2] = A[(n - 2) * n + n - 2];
  d[n - 1] = A[(n - 1) * n + n - 1];
  e[n - 2] = A[(n - 1) * n + n - 2];
  e[n - 1] = 0;
  // implicit QL on (d, e), e[i] couples i and i+1
  const eps = 2.220446049250313e-16;
  for (let l = 0; l < n; l++) {
    let iter = 0;
    let m: number;
    do {
      for (m = l; m < n - 1; m++) {
        const dd = Math.abs(d[m]) + Math.abs(d[m + 1]);
        if (Math.abs(e[m]) <= eps * dd) break;
      }
      if (m !== l) {
        if (iter++ === 100) throw new Error('eigenvalue iteration did not converge');
        let g = (d[l + 1] - d[l]) / (2 * e[l]);
        let r = Math.hypot(g, 1);
        g = d[m] - d[l] + e[l] / (g + (g >= 0 ? Math.abs(r) : -Math.abs(r)));
        let s = 1;
        let c = 1;
        let pp = 0;
        let i: number;
        let early = false;
        for (i = m - 1; i >= l; i--) {
          const f = s * e[i];
          const b = c * e[i];
          r = Math.hypot(f, g);
          e[i + 1] = r;
          if (r === 0) {
            d[i + 1] -= pp;
            e[m] = 0;
            early = true;
            break;
          }
          s = f / r;
          c = g / r;
          g = d[i + 1] - pp;
          r = (d[i] - g) * s + 2 * c * b;
          pp = s * r;
          d[i + 1] = g + pp;
          g = c * r - b;
        }
        if (early) continue;
        d[l] -= pp;
        e[l] = g;
        e[m] = 0;
      }
    } while (m !== l);
  }
  return Array.from(d).sort((x, y) => x - y);
}

/** Σ a[ao + t]·b[bo + t] for t < len, with four partial sums (shorter dependency chains). */
function dot(a: Float64Array, ao: number, b: Float64Array, bo: number, len: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let t = 0;
  for (; t + 3 < len; t += 4) {
    s0 += a[ao + t] * b[bo + t];
    s1 += a[ao + t + 1] * b[bo + t + 1];
    s2 += a[ao + t + 2] * b[bo + t + 2];
    s3 += a[ao + t + 3] * b[bo + t + 3];
  }
  for (; t < len; t++) s0 += a[ao + t] * b[bo + t];
  return s0 + s1 + (s2 + s3);
}

/** Smallest eigenvalue of the symmetric tridiagonal (alpha, beta) of size k by bisection on Sturm counts. */
function tridiagMin(alpha: Float64Array, beta: Float64Array, k: number): number {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < k; i++) {
    const r = (i > 0 ? Math.abs(beta[i - 1]) : 0) + (i < k - 1 ? Math.abs(beta[i]) : 0);
    lo = Math.min(lo, alpha[i] - r);
    hi = Math.max(hi, alpha[i] + r);
  }
  // count of eigenvalues < x (LDLᵀ of T − xI)
  const below = (x: number): number => {
    let c = 0;
    let q = 1;
    for (let i = 0; i < k; i++) {
      const b2 = i > 0 ? beta[i - 1] * beta[i - 1] : 0;
      q = alpha[i] - x - (i > 0 ? b2 / q : 0);
      if (q === 0) q = -1e-300;
      if (q < 0) c++;
    }
    return c;
  };
  for (let it = 0; it < 200; it++) {
    const mid = 0.5 * (lo + hi);
    if (mid <= lo || mid >= hi) break;
    if (below(mid) >= 1) hi = mid;
    else lo = mid;
  }
  return 0.5 * (lo + hi);
}

/**
 * Attempts a Cholesky factorisation of sign·A − σI (A symmetric, row-major, n×n; only its lower triangle is read);
 * returns L (lower triangle, row-major) when every pivot is positive, which proves (up to the factorisation's
 * backward error) that every eigenvalue of sign·A exceeds σ, else undefined. `work` (n·n) is used for L when given;
 * its upper triangle is never read or written.
 * Left-looking, four columns at a time: for two rows at once the dot products with the four pivot rows share
 * their loads (2×4 register block); entries are the usual Cholesky sums, only in a different summation order.
 */
export function choleskyShift(A: Float64Array, n: number, sign: 1 | -1, sigma: number, poll?: () => void, work?: Float64Array): Float64Array | undefined {
  const L = work ?? new Float64Array(n * n);
  // WebAssembly SIMD where the engine has it (about 2.5× faster at n = 500); the JavaScript kernels otherwise
  const simd = n >= WASM_CHOLESKY_MIN_SIZE ? wasmKernels() : undefined;
  if (simd) return simd.cholesky(A, n, sign, sigma, L, poll) ? L : undefined;
  return choleskyShiftJs(A, n, sign, sigma, L, poll);
}

/** From this size on, choleskyShift runs the WebAssembly kernel (below, copying in and out costs more than it saves). */
export const WASM_CHOLESKY_MIN_SIZE = 48;

/** The JavaScript factorisation of choleskyShift (exported for tests that compare both kernels). */
export function choleskyShiftJs(A: Float64Array, n: number, sign: 1 | -1, sigma: number, L: Float64Array, poll?: () => void): Float64Array | undefined {
  // the loops live in small kernels of typed arrays and numbers only, called once per block of four columns: they
  // are optimised after a few blocks of the first factorisation and never meet a case they have not seen
  let j = 0;
  for (; j + 3 < n; j += 4) {
    if (poll) poll();
    if (!cholDiagBlock(A, L, n, sign, sigma, j)) return undefined;
    cholPanel(A, L, n, sign, j);
  }
  // the last n mod 4 columns
  for (; j < n; j++) if (!cholColumn(A, L, n, sign, sigma, j)) return undefined;
  return L;
}

/** Columns j…j + 3 of L inside the 4×4 diagonal block, column by column; false when a pivot is not positive. */
function cholDiagBlock(A: Float64Array, L: Float64Array, n: number, sign: number, sigma: number, j: number): boolean {
  for (let c = j; c < j + 4; c++) {
    const rc = c * n;
    const dc = sign * A[rc + c] - sigma - dot(L, rc, L, rc, c);
    if (!(dc > 0)) return false;
    const lcc = Math.sqrt(dc);
    L[rc + c] = lcc;
    const inv = 1 / lcc;
    for (let i = c + 1; i < j + 4; i++) {
      const ri = i * n;
      L[ri + c] = (sign * A[ri + c] - dot(L, ri, L, rc, c)) * inv;
    }
  }
  return true;
}

/**
 * Columns j…j + 3 of L below the diagonal block (rows i ≥ j + 4), two rows at a time: the dot products of both rows
 * with the four pivot rows share their loads (2×4 register block).
 */
function cholPanel(A: Float64Array, L: Float64Array, n: number, sign: number, j: number): void {
  const p0 = j * n;
  const p1 = p0 + n;
  const p2 = p1 + n;
  const p3 = p2 + n;
  const i0 = 1 / L[p0 + j];
  const i1 = 1 / L[p1 + j + 1];
  const i2 = 1 / L[p2 + j + 2];
  const i3 = 1 / L[p3 + j + 3];
  const l10 = L[p1 + j];
  const l20 = L[p2 + j];
  const l21 = L[p2 + j + 1];
  const l30 = L[p3 + j];
  const l31 = L[p3 + j + 1];
  const l32 = L[p3 + j + 2];
  for (let i = j + 4; i < n; i += 2) {
    const r0 = i * n;
    const two = i + 1 < n;
    // the second row of the pair is row i itself when i is the last row (computed twice, stored once)
    const r1 = two ? r0 + n : r0;
    let a0 = 0;
    let a1 = 0;
    let a2 = 0;
    let a3 = 0;
    let b0 = 0;
    let b1 = 0;
    let b2 = 0;
    let b3 = 0;
    for (let k = 0; k < j; k++) {
      const u = L[r0 + k];
      const v = L[r1 + k];
      const x0 = L[p0 + k];
      const x1 = L[p1 + k];
      const x2 = L[p2 + k];
      const x3 = L[p3 + k];
      a0 += u * x0;
      a1 += u * x1;
      a2 += u * x2;
      a3 += u * x3;
      b0 += v * x0;
      b1 += v * x1;
      b2 += v * x2;
      b3 += v * x3;
    }
    const c0 = (sign * A[r0 + j] - a0) * i0;
    const c1 = (sign * A[r0 + j + 1] - (a1 + c0 * l10)) * i1;
    const c2 = (sign * A[r0 + j + 2] - (a2 + c0 * l20 + c1 * l21)) * i2;
    const c3 = (sign * A[r0 + j + 3] - (a3 + c0 * l30 + c1 * l31 + c2 * l32)) * i3;
    L[r0 + j] = c0;
    L[r0 + j + 1] = c1;
    L[r0 + j + 2] = c2;
    L[r0 + j + 3] = c3;
    if (!two) return;
    const d0 = (sign * A[r1 + j] - b0) * i0;
    const d1 = (sign * A[r1 + j + 1] - (b1 + d0 * l10)) * i1;
    const d2 = (sign * A[r1 + j + 2] - (b2 + d0 * l20 + d1 * l21)) * i2;
    const d3 = (sign * A[r1 + j + 3] - (b3 + d0 * l30 + d1 * l31 + d2 * l32)) * i3;
    L[r1 + j] = d0;
    L[r1 + j + 1] = d1;
    L[r1 + j + 2] = d2;
    L[r1 + j + 3] = d3;
  }
}

/** Column j of L (diagonal and below) one entry at a time; false when the pivot is not positive. */
function cholColumn(A: Float64Array, L: Float64Array, n: number, sign: number, sigma: number, j: number): boolean {
  const rj = j * n;
  const dj = sign * A[rj + j] - sigma - dot(L, rj, L, rj, j);
  if (!(dj > 0)) return false;
  const ljj = Math.sqrt(dj);
  L[rj + j] = ljj;
  const inv = 1 / ljj;
  for (let i = j + 1; i < n; i++) {
    const ri = i * n;
    L[ri + j] = (sign * A[ri + j] - dot(L, ri, L, rj, j)) * inv;
  }
  return true;
}

/** Copies the strict lower triangle of L into its upper triangle (L[i, k] → position (k, i)), making Lᵀ's rows contiguous. */
function mirrorLower(L: Float64Array, n: number): void {
  for (let i = 1; i < n; i++) {
    const ri = i * n;
    for (let k = 0; k < i; k++) L[k * n + i] = L[ri + k];
  }
}

/**
 * x = (L Lᵀ)⁻¹ y for L from choleskyShift after mirrorLower (row i of Lᵀ is at positions i·n + i…); y is overwritten.
 * Both triangular solves are dot products over contiguous rows, two rows at a time (sharing the loads of y or x).
 */
function cholSolve(L: Float64Array, n: number, y: Float64Array, x: Float64Array): void {
  // L z = y (z stored in y): rows i and i + 1 share the sum over k < i
  let i = 0;
  for (; i + 1 < n; i += 2) {
    const r0 = i * n;
    const r1 = r0 + n;
    let s0 = 0;
    let s1 = 0;
    for (let k = 0; k < i; k++) {
      const v = y[k];
      s0 += L[r0 + k] * v;
      s1 += L[r1 + k] * v;
    }
    const z0 = (y[i] - s0) / L[r0 + i];
    y[i] = z0;
    y[i + 1] = (y[i + 1] - (s1 + L[r1 + i] * z0)) / L[r1 + i + 1];
  }
  if (i < n) {
    const ri = i * n;
    y[i] = (y[i] - dot(L, ri, y, 0, i)) / L[ri + i];
  }
  // Lᵀ x = z, from the last row up: rows i and i − 1 share the sum over k > i
  i = n - 1;
  for (; i >= 1; i -= 2) {
    const r0 = i * n;
    const r1 = r0 - n;
    let s0 = 0;
    let s1 = 0;
    for (let k = i + 1; k < n; k++) {
      const v = x[k];
      s0 += L[r0 + k] * v;
      s1 += L[r1 + k] * v;
    }
    const x0 = (y[i] - s0) / L[r0 + i];
    x[i] = x0;
    x[i - 1] = (y[i - 1] - (s1 + L[r1 + i] * x0)) / L[r1 + i - 1];
  }
  if (i === 0) x[0] = (y[0] - dot(L, 1, x, 1, n - 1)) / L[0];
}

/** w = sign·A·q for a row-major n×n A and q = q[qo…qo + n), eight rows at a time (the loads of q are shared). */
function matvecAt(A: Float64Array, n: number, sign: number, q: Float64Array, qo: number, w: Float64Array): void {
  let i = 0;
  for (; i + 7 < n; i += 8) {
    const r0 = i * n;
    const r1 = r0 + n;
    const r2 = r1 + n;
    const r3 = r2 + n;
    const r4 = r3 + n;
    const r5 = r4 + n;
    const r6 = r5 + n;
    const r7 = r6 + n;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let s4 = 0;
    let s5 = 0;
    let s6 = 0;
    let s7 = 0;
    for (let k = 0; k < n; k++) {
      const x = q[qo + k];
      s0 += A[r0 + k] * x;
      s1 += A[r1 + k] * x;
      s2 += A[r2 + k] * x;
      s3 += A[r3 + k] * x;
      s4 += A[r4 + k] * x;
      s5 += A[r5 + k] * x;
      s6 += A[r6 + k] * x;
      s7 += A[r7 + k] * x;
    }
    w[i] = sign * s0;
    w[i + 1] = sign * s1;
    w[i + 2] = sign * s2;
    w[i + 3] = sign * s3;
    w[i + 4] = sign * s4;
    w[i + 5] = sign * s5;
    w[i + 6] = sign * s6;
    w[i + 7] = sign * s7;
  }
  for (; i < n; i++) w[i] = sign * dot(A, i * n, q, qo, n);
}

/**
 * Lanczos with full reorthogonalisation, one step per call of `step`, which returns the smallest Ritz value so far.
 * The operator is sign·A (`inverse` false) or −(L Lᵀ)⁻¹ for a mirrored Cholesky factor L in `M` (shift-invert).
 * (Plain fields of fixed types rather than callbacks or a union of records: the same code serves both runs without
 * the JIT compiler's call-target or shape speculation failing between them.)
 */
class Lanczos {
  private readonly Q: Float64Array;
  private readonly alpha: Float64Array;
  private readonly beta: Float64Array;
  private readonly w: Float64Array;
  private readonly h: Float64Array;
  private readonly c: Float64Array;
  private readonly tmp: Float64Array;
  private scale = 0;
  /** Steps done. */
  k = 0;
  /** True when no further step is possible (Krylov space exhausted or maxK reached). */
  done = false;

  constructor(
    private readonly n: number,
    private readonly maxK: number,
    private readonly inverse: boolean,
    private readonly M: Float64Array,
    private readonly sign: number,
  ) {
    this.Q = new Float64Array(maxK * n);
    this.alpha = new Float64Array(maxK);
    this.beta = new Float64Array(maxK);
    this.w = new Float64Array(n);
    this.h = new Float64Array(maxK);
    this.c = new Float64Array(maxK);
    this.tmp = new Float64Array(n);
    lanczosStart(this.Q, n);
  }

  step(): number {
    const { n, Q, w, h, c } = this;
    const k = this.k;
    if (this.inverse) {
      const tmp = this.tmp;
      tmp.set(Q.subarray(k * n, (k + 1) * n));
      cholSolve(this.M, n, tmp, w);
      negate(w, n);
    } else matvecAt(this.M, n, this.sign, Q, k * n, w);
    reorthogonalise(Q, n, k, w, c, h);
    const a = h[k];
    this.alpha[k] = a;
    const b = Math.sqrt(sumSquares(w));
    this.beta[k] = b;
    this.scale = Math.max(Math.max(this.scale, Math.abs(a)), b);
    this.k = k + 1;
    this.done = b <= 1e-14 * this.scale || k + 1 === this.maxK;
    if (!this.done) divideInto(w, n, b, Q, (k + 1) * n);
    return tridiagMin(this.alpha, this.beta, k + 1);
  }
}

/** The deterministic start vector of every Lanczos run (xorshift numbers, normalised) in Q[0…n). */
function lanczosStart(Q: Float64Array, n: number): void {
  let seed = 0x9e3779b9 | 0;
  let nrm = 0;
  for (let i = 0; i < n; i++) {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    const x = (seed >>> 0) / 4294967296 - 0.5;
    Q[i] = x;
    nrm += x * x;
  }
  nrm = Math.sqrt(nrm);
  for (let i = 0; i < n; i++) Q[i] /= nrm;
}

/** w ← −w (first n entries). */
function negate(w: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) w[i] = -w[i];
}

/** out[o + i] = w[i] / s for i < n. */
function divideInto(w: Float64Array, n: number, s: number, out: Float64Array, o: number): void {
  for (let i = 0; i < n; i++) out[o + i] = w[i] / s;
}

/**
 * Full reorthogonalisation of w against the Lanczos vectors 0…k (rows of Q), twice (classical Gram–Schmidt with
 * one repetition); h[m] receives the total coefficient of vector m, c is scratch.
 */
function reorthogonalise(Q: Float64Array, n: number, k: number, w: Float64Array, c: Float64Array, h: Float64Array): void {
  for (let pass = 0; pass < 2; pass++) {
    for (let m = 0; m <= k; m++) {
      const s = dot(Q, m * n, w, 0, n);
      c[m] = s;
      h[m] = pass === 0 ? s : h[m] + s;
    }
    for (let m = 0; m <= k; m++) subtractScaled(w, n, c[m], Q, m * n);
  }
}

/** w[i] −= s · x[xo + i] for i < n. */
function subtractScaled(w: Float64Array, n: number, s: number, x: Float64Array, xo: number): void {
  for (let i = 0; i < n; i++) w[i] -= s * x[xo + i];
}

let primed = false;

/**
 * Runs the dense kernels once on tiny inputs before the first large problem, so that every branch (remainder
 * loops, failed pivots, both Lanczos operators) has type feedback when the JIT compiler optimises the hot loops:
 * otherwise the optimised code of a first large call is discarded when it reaches a branch it has not seen, and the
 * next call starts over in the interpreter. Results are discarded; the cost is a fraction of a millisecond, once.
 */
export function primeKernels(): void {
  if (primed) return;
  primed = true;
  // V8 allocates a function's feedback (where types and branches are recorded) only after it has run for a while:
  // each kernel is called a few dozen times. Sizes are odd and not multiples of 4 or 8, so remainder loops run too.
  const n = PRIME_SIZE;
  const A = primingMatrix();
  primeValueKernels();
  for (let rep = 0; rep < 12; rep++) {
    normInfOf(A, n);
    choleskyShift(A, n, 1, 2 * n);
    choleskyShift(A, n, -1, 0);
    const L = choleskyShift(A, n, 1, 0);
    if (!L) return;
    mirrorLower(L, n);
    for (const inverse of [false, true]) {
      const run = new Lanczos(n, rep === 0 ? n : 3, inverse, inverse ? L : A, 1);
      while (!run.done) run.step();
    }
  }
}

/** max_i Σ_j |A[i, j]| (n×n, row-major). */
function normInfOf(A: Float64Array, n: number): number {
  let norm = 0;
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    let s = 0;
    for (let j = 0; j < n; j++) s += Math.abs(A[ri + j]);
    norm = Math.max(norm, s);
  }
  return norm;
}

/** Steps of the plain Lanczos run that estimates λ_min(B) before the first shift is chosen. */
const PLAIN_LANCZOS_STEPS = 25;

/**
 * Smallest (which = 'min') or largest eigenvalue of a symmetric matrix without a full decomposition (B = ±A):
 *  1. a short Lanczos run on B gives θ₀ ≥ λ_min(B) (a Rayleigh quotient);
 *  2. a shift σ < λ_min(B) is found by Cholesky factorisations of B − σI (success proves every eigenvalue > σ);
 *  3. Lanczos on (B − σI)⁻¹ (two triangular solves per step) converges quickly to 1/(λ_min(B) − σ), giving θ;
 *  4. certificate: Cholesky of B − (θ − δ)I must succeed, δ = max(1e-11·|θ|, 4·n·ε·‖A‖_∞) (the factorisation of
 *     step 2 serves when σ ≥ θ − δ); so λ_min(B) lies in [θ − δ, θ] up to the factorisation's backward error.
 * Whenever a step cannot be certified the full routine (symmetricEigenvalues) decides.
 */
export function symmetricExtremeEigenvalue(a: Mat, which: 'min' | 'max', poll?: () => void): { value: number; method: 'lanczos' | 'full' } {
  const n = a.r;
  const full = () => {
    const ev = symmetricEigenvalues(a, poll);
    return { value: which === 'min' ? ev[0] : ev[ev.length - 1], method: 'full' as const };
  };
  if (n < EXTREME_EIGEN_MIN_SIZE) return full();
  primeKernels();
  const A = a.d;
  if (!allFinite(A)) return full();
  const sign: 1 | -1 = which === 'min' ? 1 : -1;
  const normInf = normInfOf(A, n);
  if (normInf === 0) return { value: 0, method: 'lanczos' };
  const eps = 2.220446049250313e-16;
  // 1. rough upper bound θ₀ (Ritz values decrease monotonically towards λ_min(B))
  const hist: number[] = [];
  const plain = new Lanczos(n, Math.min(n, PLAIN_LANCZOS_STEPS), false, A, sign);
  while (!plain.done) {
    poll?.();
    hist.push(plain.step());
  }
  const theta0 = hist[hist.length - 1];
  if (!Number.isFinite(theta0)) return full();
  // 2. a certified lower shift σ close below λ_min(B): estimate the remaining error of θ₀ from the geometric
  //    decrease of the Ritz value, step down by a few times that estimate, and widen until Cholesky succeeds
  const K = hist.length;
  const m = Math.min(10, Math.floor((K - 1) / 2));
  const d1 = m >= 1 ? hist[K - 1 - 2 * m] - hist[K - 1 - m] : normInf;
  const d2 = m >= 1 ? hist[K - 1 - m] - hist[K - 1] : normInf;
  const r = d1 > 0 ? Math.min(0.95, Math.max(0, d2 / d1)) : 0.95;
  let g = Math.max(3 * d2 * (r / (1 - r) + 0.5), 1e-8 * normInf);
  let L: Float64Array | undefined;
  let sigma = theta0;
  // σ < −‖A‖_∞ ≤ λ_min(B) always succeeds in exact arithmetic, so the widening ends there
  const floor = -1.01 * normInf - 1e-300;
  const work = new Float64Array(n * n);
  for (let tries = 0; tries < 12 && !L; tries++) {
    sigma = Math.max(theta0 - g, floor);
    L = choleskyShift(A, n, sign, sigma, poll, work);
    if (sigma === floor) break;
    g *= 10;
  }
  if (!L) return full();
  // 3. shift-invert Lanczos: largest eigenvalue μ of (B − σI)⁻¹ is the smallest of −(B − σI)⁻¹
  mirrorLower(L, n);
  let mu = NaN;
  let prev = NaN;
  let settled = 0;
  // the certificate's margin δ for an estimate θ (step 4)
  const margin = (theta: number) => Math.max(1e-11 * Math.abs(theta), 4 * n * eps * normInf);
  const inverse = new Lanczos(n, Math.min(n, 120), true, L, 1);
  while (!inverse.done && settled < 2) {
    poll?.();
    mu = -inverse.step();
    // settled when θ = σ + 1/μ moved by less than δ/100 in two consecutive steps (far below what step 4 tests)
    const theta = sigma + 1 / mu;
    settled = Math.abs(theta - (sigma + 1 / prev)) <= 0.01 * margin(theta) ? settled + 1 : 0;
    prev = mu;
  }
  if (!(mu > 0) || !Number.isFinite(mu)) return full();
  const theta = sigma + 1 / mu;
  // 4. certificate
  const delta = margin(theta);
  // the factorisation at σ already certifies when σ ≥ θ − δ; otherwise factorise at θ − δ (L's storage is reused)
  if (sigma < theta - delta && !choleskyShift(A, n, sign, theta - delta, poll, work)) return full();
  return { value: sign * theta, method: 'lanczos' };
}

/** Eigenvalues as (re, im) pairs. */
export function eigenvalues(a: Mat): { re: number[]; im: number[]; symmetric: boolean } {
  const symmetric = isSymmetric(a);
  if (symmetric) {
    const re = symmetricEigenvalues(a);
    return { re, im: re.map(() => 0), symmetric };
  }
  const evd = new EigenvalueDecomposition(a.toMl(), { assumeSymmetric: symmetric });
  return { re: evd.realEigenvalues, im: symmetric ? evd.realEigenvalues.map(() => 0) : evd.imaginaryEigenvalues, symmetric };
}

/** Eigenvalues for a message: `0 ± 1i, 2` (conjugate pairs once, at most 6 shown). */
export function complexList(re: number[], im: number[]): string {
  const f = (x: number): string => String(Number(x.toPrecision(4))).replace('-', '−');
  const items: string[] = [];
  for (let i = 0; i < re.length; i++) {
    if (im[i] < 0 && im.some((y, j) => j !== i && Math.abs(y + im[i]) <= 1e-12 * Math.abs(im[i]) && Math.abs(re[j] - re[i]) <= 1e-12 * Math.max(1, Math.abs(re[i])))) continue;
    items.push(im[i] === 0 ? f(re[i]) : `${f(re[i])} ± ${f(Math.abs(im[i]))}i`);
  }
  return items.length > 6 ? `${items.slice(0, 6).join(', ')}, …` : items.join(', ');
}

export function realEigenvalues(a: Mat, what: string): number[] {
  const { re, im } = eigenvalues(a);
  const scaleRef = Math.max(1e-300, ...re.map(Math.abs), ...im.map(Math.abs));
  if (im.some((x) => Math.abs(x) > 1e-10 * scaleRef)) {
    throw new UndefinedError(`${what}: the matrix has complex eigenvalues (${complexList(re, im)})`);
  }
  return re;
}

/** λ_min or λ_max of a square matrix (real eigenvalues required); symmetric matrices of size ≥ 64 skip the full decomposition. */
export function extremeEigenvalue(a: Mat, which: 'min' | 'max', what: string): number {
  if (a.r >= EXTREME_EIGEN_MIN_SIZE && isSymmetric(a)) return symmetricExtremeEigenvalue(a, which).value;
  const ev = realEigenvalues(a, what);
  return which === 'min' ? Math.min(...ev) : Math.max(...ev);
}

export function spectralRadius(a: Mat): number {
  if (a.r >= EXTREME_EIGEN_MIN_SIZE && isSymmetric(a)) {
    return Math.max(Math.abs(symmetricExtremeEigenvalue(a, 'min').value), Math.abs(symmetricExtremeEigenvalue(a, 'max').value));
  }
  const { re, im } = eigenvalues(a);
  let r = 0;
  for (let i = 0; i < re.length; i++) r = Math.max(r, Math.hypot(re[i], im[i]));
  return r;
}

export function singularValues(a: Mat): number[] {
  if (a.r === 0 || a.c === 0) return [];
  const svd = new SingularValueDecomposition(a.toMl(), { computeLeftSingularVectors: false, computeRightSingularVectors: false, autoTranspose: true });
  return svd.diagonal;
}

export function det(a: Mat): number {
  return determinant(a.toMl());
}

export function norm2(v: Value): number {
  if (typeof v === 'number') return Math.abs(v);
  if (v instanceof Mat) return v.vec || v.r === 1 || v.c === 1 ? frobenius(v) : Math.max(0, ...singularValues(v));
  throw new ShapeError(`cannot take the norm of ${describe(v)}`);
}

/** Flatten a value to numbers (scalars, vectors, matrices). */

/**
 * Lower Cholesky factor L (S = L Lᵀ, zero pivots allowed) of a covariance matrix, or the reason it is not one: not
 * symmetric (the entries that differ), or not positive semidefinite (its smallest eigenvalue).
 */
export function covarianceFactor(S: Mat): Float64Array | string {
  const n = S.r;
  const scale = Math.max(1e-300, ...Array.from(S.d, Math.abs));
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const a = S.d[i * n + j];
      const b = S.d[j * n + i];
      if (Math.abs(a - b) > 1e-12 * scale) {
        const f = (x: number): string => String(Number(x.toPrecision(6))).replace('-', '−');
        return `is not symmetric (entry (${i + 1},${j + 1}) = ${f(a)} but (${j + 1},${i + 1}) = ${f(b)}); a covariance matrix is symmetric: write it in full, or use C C^\\top`;
      }
    }
  }
  const L = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let dj = S.d[j * n + j];
    for (let k = 0; k < j; k++) dj -= L[j * n + k] * L[j * n + k];
    const tol = 1e-12 * Math.max(1, Math.abs(S.d[j * n + j]));
    if (dj < -tol) {
      const low = Math.min(...symmetricEigenvalues(S));
      return `is not positive semidefinite (its smallest eigenvalue is ${String(Number(low.toPrecision(4))).replace('-', '−')} < 0); a covariance matrix has eigenvalues ≥ 0, as C C^\\top does`;
    }
    const ljj = dj > tol ? Math.sqrt(dj) : 0;
    L[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let v = S.d[i * n + j];
      for (let k = 0; k < j; k++) v -= L[i * n + k] * L[j * n + k];
      L[i * n + j] = ljj > 0 ? v / ljj : 0;
    }
  }
  return L;
}
