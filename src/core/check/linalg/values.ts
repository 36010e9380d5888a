// Values of the check language and the arithmetic on them: scalars, booleans, vectors (columns),
// matrices, a size-less identity `I`, and sets (explicit sets, intervals and arg-min results).
import { Matrix, determinant, inverse, solve } from 'ml-matrix';
import { ShapeError, UndefinedError } from '../errors';

/** Real matrix, row-major. `vec` marks a column vector (n×1). */
export class Mat {
  constructor(
    readonly r: number,
    readonly c: number,
    readonly d: Float64Array,
    readonly vec: boolean,
  ) {}

  static zeros(r: number, c: number, vec = false): Mat {
    return new Mat(r, c, new Float64Array(r * c), vec && c === 1);
  }

  static vector(xs: ArrayLike<number>): Mat {
    return new Mat(xs.length, 1, Float64Array.from(xs), true);
  }

  static identity(n: number): Mat {
    const m = Mat.zeros(n, n);
    for (let i = 0; i < n; i++) m.d[i * n + i] = 1;
    return m;
  }

  static fromMl(m: Matrix, vec = false): Mat {
    const r = m.rows;
    const c = m.columns;
    const d = new Float64Array(r * c);
    for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) d[i * c + j] = m.get(i, j);
    return new Mat(r, c, d, vec && c === 1);
  }

  toMl(): Matrix {
    const m = new Matrix(this.r, this.c);
    for (let i = 0; i < this.r; i++) for (let j = 0; j < this.c; j++) m.set(i, j, this.d[i * this.c + j]);
    return m;
  }

  get(i: number, j: number): number {
    return this.d[i * this.c + j];
  }

  get square(): boolean {
    return this.r === this.c;
  }
}

/** `s·I` whose size is taken from the matrix it meets. */
export class Eye {
  constructor(readonly s: number) {}
}

/** A finite set of values, e.g. `\{1, 2, 3\}`. */
export class FiniteSet {
  constructor(readonly items: number[]) {}
}

/** A union of closed intervals (an arg-min result or an interval `[a, b]`), with the extreme value found. */
export class IntervalSet {
  constructor(
    readonly intervals: [number, number][],
    readonly extreme = NaN,
    readonly variable = '',
    /** For an arg-min/arg-max over a sweep: the objective at any point (to report it at a claimed point). */
    readonly objective?: { label: string; at: (x: number) => number },
  ) {}
}

export type Value = number | boolean | Mat | Eye | FiniteSet | IntervalSet;

export function describe(v: Value): string {
  if (typeof v === 'number') return 'a scalar';
  if (typeof v === 'boolean') return 'a truth value';
  if (v instanceof Mat) {
    if (v.vec) return `a ${v.r}-vector`;
    return `a ${v.r}×${v.c} matrix`;
  }
  if (v instanceof Eye) return 'the identity I';
  return 'a set';
}

export function isScalar(v: Value): v is number {
  return typeof v === 'number';
}

/** 1×1 matrices become scalars (so that x^T y is a number). */
export function demote(m: Mat): Value {
  return m.r === 1 && m.c === 1 ? m.d[0] : m;
}

export function eyeOf(e: Eye, n: number): Mat {
  const m = Mat.identity(n);
  if (e.s !== 1) for (let i = 0; i < n; i++) m.d[i * n + i] = e.s;
  return m;
}

function map2(a: Mat, b: Mat, f: (x: number, y: number) => number): Mat {
  const out = new Float64Array(a.d.length);
  for (let i = 0; i < out.length; i++) out[i] = f(a.d[i], b.d[i]);
  return new Mat(a.r, a.c, out, a.vec && b.vec);
}

export function scale(a: Mat, s: number): Mat {
  const out = new Float64Array(a.d.length);
  for (let i = 0; i < out.length; i++) out[i] = a.d[i] * s;
  return new Mat(a.r, a.c, out, a.vec);
}

export function add(a: Value, b: Value, sign: 1 | -1): Value {
  if (typeof a === 'number' && typeof b === 'number') return sign === 1 ? a + b : a - b;
  if (a instanceof Mat && b instanceof Mat) {
    if (a.r !== b.r || a.c !== b.c) throw new ShapeError(`cannot ${sign === 1 ? 'add' : 'subtract'} ${describe(a)} and ${describe(b)}`);
    return sign === 1 ? map2(a, b, (x, y) => x + y) : map2(a, b, (x, y) => x - y);
  }
  if (a instanceof Eye && b instanceof Eye) return new Eye(sign === 1 ? a.s + b.s : a.s - b.s);
  if (a instanceof Eye && b instanceof Mat && b.square && !b.vec) return add(eyeOf(a, b.r), b, sign);
  if (a instanceof Mat && b instanceof Eye && a.square && !a.vec) return add(a, eyeOf(b, a.r), sign);
  if (a instanceof Mat && a.r === 1 && a.c === 1 && typeof b === 'number') return add(a.d[0], b, sign);
  // `0` where a vector or matrix is expected is the zero of that shape (also the start of a sum of vectors)
  if (a === 0 && b instanceof Mat) return sign === 1 ? b : neg(b);
  if (b === 0 && a instanceof Mat) return a;
  throw new ShapeError(`cannot ${sign === 1 ? 'add' : 'subtract'} ${describe(a)} and ${describe(b)}`);
}

export function neg(a: Value): Value {
  if (typeof a === 'number') return -a;
  if (a instanceof Mat) return scale(a, -1);
  if (a instanceof Eye) return new Eye(-a.s);
  throw new ShapeError(`cannot negate ${describe(a)}`);
}

export function matmul(a: Mat, b: Mat): Mat {
  if (a.c !== b.r) {
    throw new ShapeError(`cannot multiply ${describe(a)} by ${describe(b)} (inner sizes ${a.c} and ${b.r} differ${a.vec && b.vec ? '; for a dot product write x^\\top y' : ''})`);
  }
  if (transposeOf.get(b) === a && a.r > 1) return gram(a);
  return matmulGeneral(a, b);
}

function matmulGeneral(a: Mat, b: Mat): Mat {
  const n = a.r;
  const m = b.c;
  const k = a.c;
  const out = new Float64Array(n * m);
  const ad = a.d;
  const bd = b.d;
  if (m === 1) {
    // matrix times column: the same sums in the same order as the loop below, one row at a time
    for (let i = 0; i < n; i++) {
      const io = i * k;
      let s = 0;
      for (let p = 0; p < k; p++) {
        const av = ad[io + p];
        if (av !== 0) s += av * bd[p];
      }
      out[i] = s;
    }
    return new Mat(n, 1, out, b.vec);
  }
  for (let i = 0; i < n; i++) {
    const io = i * k;
    const oo = i * m;
    for (let p = 0; p < k; p++) {
      const av = ad[io + p];
      if (av === 0) continue;
      const bo = p * m;
      for (let j = 0; j < m; j++) out[oo + j] += av * bd[bo + j];
    }
  }
  return new Mat(n, m, out, m === 1 && b.vec);
}

/** Below this size the full symmetric eigenvalue routine is used for λ_min/λ_max (it is cheap there). */
export const EXTREME_EIGEN_MIN_SIZE = 64;

let primed = false;

/** Size of the tiny matrix of the priming runs (odd, not a multiple of 4 or 8, so remainder loops run too). */
export const PRIME_SIZE = 11;

/** The priming matrix (PRIME_SIZE², row-major): symmetric and diagonally dominant, so positive definite. */
export function primingMatrix(): Float64Array {
  const n = PRIME_SIZE;
  const A = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) A[i * n + j] = i === j ? n : 1 / (1 + i + j);
  return A;
}

/**
 * Runs the kernels of this file that large problems use (a·aᵀ, transposes, symmetry and finiteness tests) on tiny
 * inputs before the first large problem, so that they have type feedback when the JIT compiler optimises them
 * (linalg/decompose.ts `primeKernels` does the same for the factorisations and calls this first).
 */
export function primeValueKernels(): void {
  if (primed) return;
  primed = true;
  const n = PRIME_SIZE;
  const A = primingMatrix();
  const m = new Mat(n, n, A, false);
  const g = new Mat(n, 5, A.slice(0, 5 * n), false);
  for (let rep = 0; rep < 12; rep++) {
    gram(g);
    transpose(g);
    isSymmetric(m);
    allFinite(A);
  }
  symmetricWithin(Float64Array.of(0, 1, 2, 0), 2, 0);
  allFinite(Float64Array.of(0, NaN));
}

/** Matrices made by `transpose`, mapped to their source (values are never changed in place). */
const transposeOf = new WeakMap<Mat, Mat>();

/**
 * a·aᵀ computed once per pair i ≤ j and mirrored: every entry is Σ_p a_ip·a_jp summed in p order, as matmul does;
 * the product is symmetric by construction. Non-finite entries use the general loop (0·∞ must stay NaN).
 */
export function gram(a: Mat): Mat {
  if (a.r >= EXTREME_EIGEN_MIN_SIZE) primeValueKernels();
  const n = a.r;
  const k = a.c;
  const ad = a.d;
  if (!allFinite(ad)) return matmulGeneral(a, transpose(a) as Mat);
  const out = new Float64Array(n * n);
  // the loops live in small kernels of typed arrays and numbers only (quickly optimised, never deoptimised)
  let i = 0;
  for (; i + 1 < n; i += 2) gramRowPair(ad, k, out, n, i);
  if (i < n) gramRow(ad, k, out, n, i);
  return new Mat(n, n, out, false);
}

/** True when every entry is finite. */
export function allFinite(d: Float64Array): boolean {
  for (let t = 0; t < d.length; t++) if (!Number.isFinite(d[t])) return false;
  return true;
}

/**
 * Rows i and i + 1 of a·aᵀ (a: n×k, row-major) for columns j ≥ i, mirrored below the diagonal: four columns at a
 * time (independent sums, each accumulated in p order); the pair's own 2×2 corner is computed twice with the same
 * value both times (products commute).
 */
function gramRowPair(ad: Float64Array, k: number, out: Float64Array, n: number, i: number): void {
  const io = i * k;
  const io1 = io + k;
  let j = i;
  for (; j + 3 < n; j += 4) {
    const j0 = j * k;
    const j1 = j0 + k;
    const j2 = j1 + k;
    const j3 = j2 + k;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let t0 = 0;
    let t1 = 0;
    let t2 = 0;
    let t3 = 0;
    for (let p = 0; p < k; p++) {
      const x = ad[io + p];
      const y = ad[io1 + p];
      const b0 = ad[j0 + p];
      const b1 = ad[j1 + p];
      const b2 = ad[j2 + p];
      const b3 = ad[j3 + p];
      s0 += x * b0;
      s1 += x * b1;
      s2 += x * b2;
      s3 += x * b3;
      t0 += y * b0;
      t1 += y * b1;
      t2 += y * b2;
      t3 += y * b3;
    }
    const o = i * n + j;
    out[o] = s0;
    out[o + 1] = s1;
    out[o + 2] = s2;
    out[o + 3] = s3;
    out[o + n] = t0;
    out[o + n + 1] = t1;
    out[o + n + 2] = t2;
    out[o + n + 3] = t3;
    out[j * n + i] = s0;
    out[(j + 1) * n + i] = s1;
    out[(j + 2) * n + i] = s2;
    out[(j + 3) * n + i] = s3;
    out[j * n + i + 1] = t0;
    out[(j + 1) * n + i + 1] = t1;
    out[(j + 2) * n + i + 1] = t2;
    out[(j + 3) * n + i + 1] = t3;
  }
  for (; j < n; j++) {
    const jo = j * k;
    let s = 0;
    let t = 0;
    for (let p = 0; p < k; p++) {
      const b = ad[jo + p];
      s += ad[io + p] * b;
      t += ad[io1 + p] * b;
    }
    out[i * n + j] = s;
    out[j * n + i] = s;
    out[(i + 1) * n + j] = t;
    out[j * n + i + 1] = t;
  }
}

/** Row i of a·aᵀ for columns j ≥ i, mirrored (the last row when n is odd). */
function gramRow(ad: Float64Array, k: number, out: Float64Array, n: number, i: number): void {
  const io = i * k;
  for (let j = i; j < n; j++) {
    const jo = j * k;
    let s = 0;
    for (let p = 0; p < k; p++) s += ad[io + p] * ad[jo + p];
    out[i * n + j] = s;
    out[j * n + i] = s;
  }
}

export function mul(a: Value, b: Value, dot = false): Value {
  if (typeof a === 'number' && typeof b === 'number') return a * b;
  if (typeof a === 'number' && b instanceof Mat) return scale(b, a);
  if (a instanceof Mat && typeof b === 'number') return scale(a, b);
  if (typeof a === 'number' && b instanceof Eye) return new Eye(a * b.s);
  if (a instanceof Eye && typeof b === 'number') return new Eye(a.s * b);
  if (a instanceof Eye && b instanceof Eye) return new Eye(a.s * b.s);
  if (a instanceof Eye && b instanceof Mat) return scale(b, a.s);
  if (a instanceof Mat && b instanceof Eye) return scale(a, b.s);
  if (a instanceof Mat && b instanceof Mat) {
    if (dot && a.vec && b.vec) {
      if (a.r !== b.r) throw new ShapeError(`cannot take the dot product of ${describe(a)} and ${describe(b)}`);
      let s = 0;
      for (let i = 0; i < a.r; i++) s += a.d[i] * b.d[i];
      return s;
    }
    if (a.r === 1 && b.c === 1 && a.c === b.r) {
      // row times column: a number, without allocating
      let s = 0;
      const ad = a.d;
      const bd = b.d;
      for (let i = 0; i < a.c; i++) s += ad[i] * bd[i];
      return s;
    }
    return demote(matmul(a, b));
  }
  throw new ShapeError(`cannot multiply ${describe(a)} by ${describe(b)}`);
}

export function transpose(a: Value): Value {
  if (typeof a === 'number' || a instanceof Eye) return a;
  if (!(a instanceof Mat)) throw new ShapeError(`cannot transpose ${describe(a)}`);
  // a vector and its transpose share the same numbers (values are never changed in place)
  if (a.c === 1) return new Mat(1, a.r, a.d, false);
  if (a.r === 1) return new Mat(a.c, 1, a.d, true);
  const out = new Float64Array(a.d.length);
  transposeInto(a.d, a.r, a.c, out);
  const t = new Mat(a.c, a.r, out, false);
  transposeOf.set(t, a);
  return t;
}

/** out (c×r) = transpose of d (r×c), both row-major. */
function transposeInto(d: Float64Array, r: number, c: number, out: Float64Array): void {
  for (let i = 0; i < r; i++) {
    const o = i * c;
    for (let j = 0; j < c; j++) out[j * r + i] = d[o + j];
  }
}

export function requireSquare(a: Value, what: string): Mat {
  if (!(a instanceof Mat) || a.vec || !a.square) {
    if (a instanceof Mat && a.r === 1 && a.c === 1) return a;
    const eig = /lambda|rho|eigvec/.test(what) && a instanceof Mat && !a.vec;
    throw new ShapeError(`${what} needs a square matrix, got ${describe(a)}${eig ? ': eigenvalues exist only for square matrices; for a non-square X use its singular values \\sigma_{\\max}(X), \\sigma_{\\min}(X), or the eigenvalues of X^\\top X' : ''}`);
  }
  return a;
}

export function inv(a: Value): Value {
  if (typeof a === 'number') {
    if (a === 0) throw new UndefinedError('division by zero (1/0)');
    return 1 / a;
  }
  if (a instanceof Eye) {
    if (a.s === 0) throw new UndefinedError('inverse of 0·I');
    return new Eye(1 / a.s);
  }
  const m = requireSquare(a, 'the inverse ^{-1}');
  const det = determinant(m.toMl());
  if (det === 0 || !Number.isFinite(det)) throw new UndefinedError(`the ${m.r}×${m.c} matrix is singular (no inverse)`);
  return Mat.fromMl(inverse(m.toMl()));
}

export function solveLinear(a: Mat, b: Mat): Mat {
  return Mat.fromMl(solve(a.toMl(), b.toMl()), b.vec);
}

export function matPow(a: Mat, n: number): Mat {
  let result = Mat.identity(a.r);
  let base = a;
  let k = n;
  while (k > 0) {
    if (k & 1) result = matmul(result, base);
    base = matmul(base, base);
    k >>= 1;
  }
  return result;
}

export function frobenius(a: Mat): number {
  return Math.sqrt(sumSquares(a.d));
}

/** Σ d[i]², summed in index order. */
export function sumSquares(d: Float64Array): number {
  let s = 0;
  for (let i = 0; i < d.length; i++) s += d[i] * d[i];
  return s;
}

export function isSymmetric(a: Mat): boolean {
  if (a.r !== a.c) return false;
  return symmetricWithin(a.d, a.r, 1e-12 * Math.max(1, Math.sqrt(sumSquares(a.d))));
}

/** False when some |d[i, j] − d[j, i]| > tol, i < j (n×n, row-major); a NaN difference does not count. */
export function symmetricWithin(d: Float64Array, n: number, tol: number): boolean {
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    for (let j = i + 1; j < n; j++) if (Math.abs(d[ri + j] - d[j * n + i]) > tol) return false;
  }
  return true;
}

export function flatten(v: Value): Float64Array {
  if (typeof v === 'number') return Float64Array.of(v);
  if (v instanceof Mat) return v.d;
  throw new ShapeError(`expected numbers, got ${describe(v)}`);
}

export function sameShape(proto: Value, data: Float64Array, offset: number): Value {
  if (typeof proto === 'number') return data[offset];
  if (proto instanceof Mat) return new Mat(proto.r, proto.c, data.slice(offset, offset + proto.d.length), proto.vec);
  throw new ShapeError(`unsupported state ${describe(proto)}`);
}

export function valueSize(v: Value): number {
  if (typeof v === 'number') return 1;
  if (v instanceof Mat) return v.d.length;
  return 0;
}

/** Plain JSON form of a value for results. */
export function toPlain(v: Value): unknown {
  if (typeof v === 'number' || typeof v === 'boolean') return v;
  if (v instanceof Mat) {
    if (v.vec) return Array.from(v.d);
    if (v.r * v.c > 400) return `${v.r}×${v.c} matrix`;
    const rows: number[][] = [];
    for (let i = 0; i < v.r; i++) rows.push(Array.from(v.d.subarray(i * v.c, (i + 1) * v.c)));
    return rows;
  }
  if (v instanceof Eye) return `${v.s}·I`;
  if (v instanceof FiniteSet) return v.items;
  return v.intervals;
}
