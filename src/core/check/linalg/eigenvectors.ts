// Eigenvectors of real matrices with real eigenvalues (`\operatorname{eigvec}`): unit vectors in the order of the
// eigenvalues, a sign rule, and one canonical basis for the eigenspace of a repeated eigenvalue.
import { EigenvalueDecomposition, SingularValueDecomposition } from 'ml-matrix';
import { ShapeError } from '../errors';
import { complexList, realEigenvalues, singularValues } from './decompose';
import { Mat, frobenius, isSymmetric } from './values';

/** Eigenvalues closer than this (relative to the largest |λ|) are one repeated eigenvalue. */
export const EIGEN_CLUSTER_TOL = 1e-9;

/**
 * Real eigenvalues in decreasing order (λ₁ ≥ λ₂ ≥ …, as `\lambda_1(W^\top W)` is the largest) and, when asked,
 * unit eigenvectors as the columns of a matrix in the same order. The vectors do not depend on rounding:
 * - a simple eigenvalue's vector is signed so that its largest entry (in absolute value; the first of entries
 *   within 10⁻⁹ of the largest) is positive;
 * - a repeated eigenvalue (eigenvalues within EIGEN_CLUSTER_TOL of each other) gets the canonical basis of its
 *   eigenspace: Gram–Schmidt of the projections P e₁, P e₂, … of the unit vectors onto the eigenspace, in that
 *   order, skipping a projection whose new part has norm below 10⁻⁶, then the same sign rule. P is the orthogonal
 *   projector (from the symmetric decomposition, or the null space of A − λI for other matrices), which is the
 *   same whatever basis the decomposition returned.
 * Complex eigenvalues, and a matrix without a full set of eigenvectors (defective), are errors.
 */
export function eigenSystem(a: Mat, what: string, vectors: boolean): { values: number[]; vectors?: Mat } {
  const n = a.r;
  if (!vectors) return { values: realEigenvalues(a, what).sort((x, y) => y - x) };
  const symmetric = isSymmetric(a);
  const evd = new EigenvalueDecomposition(a.toMl(), { assumeSymmetric: symmetric });
  const re = evd.realEigenvalues;
  const im = symmetric ? re.map(() => 0) : evd.imaginaryEigenvalues;
  const scaleRef = Math.max(1e-300, ...re.map(Math.abs), ...im.map(Math.abs));
  if (im.some((x) => Math.abs(x) > 1e-10 * scaleRef)) {
    throw new ShapeError(`${what} has complex eigenvalues (${complexList(re, im)}), so it has no real eigenvectors; \\operatorname{eigvec} needs real eigenvalues (a symmetric matrix always has them); for the size of the eigenvalues use the spectral radius \\rho(…)`);
  }
  const V = Mat.fromMl(evd.eigenvectorMatrix);
  const order = re.map((_, i) => i).sort((i, j) => re[j] - re[i]);
  const values = order.map((i) => re[i]);
  const out = Mat.zeros(n, n);
  const column = (src: number): Float64Array => Float64Array.from({ length: n }, (_, i) => V.d[i * n + src]);
  for (let c = 0; c < n; ) {
    let k = 1;
    while (c + k < n && values[c] - values[c + k] <= EIGEN_CLUSTER_TOL * scaleRef) k++;
    const basis = k === 1 ? [unit(column(order[c]))] : eigenspaceBasis(a, symmetric, order.slice(c, c + k).map(column), values.slice(c, c + k), what);
    basis.forEach((q, j) => {
      signed(q);
      for (let i = 0; i < n; i++) out.d[i * n + c + j] = q[i];
    });
    c += k;
  }
  if (!symmetric) {
    // eigenvectors that are (nearly) parallel: the matrix is defective (a Jordan block split by rounding)
    const sv = singularValues(out);
    if (Math.min(...sv) < 1e-7 * Math.max(...sv)) throw new ShapeError(`${what} is not diagonalisable (it has fewer independent eigenvectors than its size, like \\begin{bmatrix} 1 & 1 \\\\ 0 & 1 \\end{bmatrix}), so \\operatorname{eigvec} is not defined; \\lambda(…) still gives its eigenvalues`);
  }
  return { values, vectors: out };
}

function unit(v: Float64Array): Float64Array {
  let s = 0;
  for (const x of v) s += x * x;
  const f = 1 / Math.sqrt(s);
  for (let i = 0; i < v.length; i++) v[i] *= f;
  return v;
}

/** The sign rule: the largest entry in absolute value is positive (the first one of entries within 10⁻⁹ of it). */
function signed(v: Float64Array): void {
  let big = 0;
  for (const x of v) big = Math.max(big, Math.abs(x));
  const first = v.find((x) => Math.abs(x) >= big * (1 - 1e-9)) ?? 1;
  if (first < 0) for (let i = 0; i < v.length; i++) v[i] = -v[i];
}

/**
 * The canonical orthonormal basis of the eigenspace of a repeated eigenvalue (k copies): Gram–Schmidt (twice, for
 * orthogonality) of P e₁, P e₂, … where P is the orthogonal projector onto the eigenspace.
 */
function eigenspaceBasis(a: Mat, symmetric: boolean, cols: Float64Array[], lambdas: number[], what: string): Float64Array[] {
  const n = a.r;
  const k = cols.length;
  let span: Float64Array[];
  if (symmetric) span = cols.map((c) => unit(c));
  else {
    // the null space of A − λI, from the singular value decomposition
    const lambda = lambdas.reduce((x, y) => x + y, 0) / k;
    const shifted = new Mat(n, n, Float64Array.from(a.d), false);
    for (let i = 0; i < n; i++) shifted.d[i * n + i] -= lambda;
    const svd = new SingularValueDecomposition(shifted.toMl(), { computeLeftSingularVectors: false, computeRightSingularVectors: true, autoTranspose: false });
    const sv = svd.diagonal;
    const Vr = svd.rightSingularVectors;
    const tol = 1e-8 * Math.max(1e-300, ...sv, frobenius(a));
    const idx = sv.map((_, i) => i).filter((i) => sv[i] <= tol);
    if (idx.length < k) {
      const f = String(Number(lambda.toPrecision(6))).replace('-', '−');
      throw new ShapeError(`${what} is not diagonalisable: the eigenvalue ${f} is repeated ${k} times but has ${idx.length} independent eigenvector${idx.length === 1 ? '' : 's'}, so \\operatorname{eigvec} is not defined; \\lambda(…) still gives its eigenvalues`);
    }
    span = idx.slice(0, k).map((j) => Float64Array.from({ length: n }, (_, i) => Vr.get(i, j)));
  }
  const out: Float64Array[] = [];
  for (let j = 0; j < n && out.length < k; j++) {
    // P e_j = Σ_s s_j s (s orthonormal spanning the eigenspace)
    const r = new Float64Array(n);
    for (const s of span) for (let i = 0; i < n; i++) r[i] += s[j] * s[i];
    for (let pass = 0; pass < 2; pass++) {
      for (const q of out) {
        let d = 0;
        for (let i = 0; i < n; i++) d += q[i] * r[i];
        for (let i = 0; i < n; i++) r[i] -= d * q[i];
      }
    }
    let len = 0;
    for (const x of r) len += x * x;
    if (Math.sqrt(len) < 1e-6) continue;
    out.push(unit(r));
  }
  return out;
}
