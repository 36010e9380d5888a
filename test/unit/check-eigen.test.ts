// Eigenvectors (issue 9, notation leftovers): non-symmetric matrices larger than 2×2 against closed forms and
// A v = λ v residuals; complex eigenvalues and defective matrices are errors; a repeated eigenvalue gets the
// canonical basis of its eigenspace, so the result does not depend on rounding.
import * as assert from 'node:assert';
import { runChecksInText, type CheckResult } from '../../src/core/check';
import { eigenSystem } from '../../src/core/check/linalg/eigenvectors';
import { Mat } from '../../src/core/check/linalg/values';
import { Rng } from '../../src/core/check/rng';

function run(body: string, seed = 1): CheckResult {
  const [r] = runChecksInText(`# T\n\n\`\`\`check\n${body}\n\`\`\`\n`, { seed });
  return r;
}

function passes(body: string, seed = 1): CheckResult {
  const r = run(body, seed);
  assert.strictEqual(r.status, 'pass', r.message);
  return r;
}

function mat(rows: number[][]): Mat {
  return new Mat(rows.length, rows[0].length, Float64Array.from(rows.flat()), false);
}

function column(V: Mat, j: number): number[] {
  return Array.from({ length: V.r }, (_, i) => V.d[i * V.c + j]);
}

function close(a: number[], b: number[], tol: number, what: string): void {
  assert.strictEqual(a.length, b.length);
  const d = Math.max(...a.map((x, i) => Math.abs(x - b[i])));
  assert.ok(d <= tol, `${what}: ${a.join(', ')} vs ${b.join(', ')} (max diff ${d})`);
}

/** max_j ‖A v_j − λ_j v_j‖ / ‖A‖_F */
function residual(A: Mat, values: number[], V: Mat): number {
  const n = A.r;
  let worst = 0;
  let fro = 0;
  for (const x of A.d) fro += x * x;
  for (let j = 0; j < n; j++) {
    let s = 0;
    for (let i = 0; i < n; i++) {
      let av = 0;
      for (let k = 0; k < n; k++) av += A.d[i * n + k] * V.d[k * n + j];
      s += (av - values[j] * V.d[i * n + j]) ** 2;
    }
    worst = Math.max(worst, Math.sqrt(s));
  }
  return worst / Math.sqrt(fro);
}

/** S D S⁻¹ for a random S (Gaussian entries) and the diagonal d. */
function similar(d: number[], rng: Rng): Mat {
  const n = d.length;
  return similarFrom(Array.from({ length: n }, () => Array.from({ length: n }, () => rng.gaussian())), d);
}

function similarFrom(S: number[][], d: number[]): Mat {
  const n = d.length;
  // S⁻¹ by Gauss–Jordan
  const M = S.map((row, i) => [...row, ...Array.from({ length: n }, (_, j) => (i === j ? 1 : 0))]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r][c]) > Math.abs(M[p][c])) p = r;
    [M[c], M[p]] = [M[p], M[c]];
    const piv = M[c][c];
    for (let j = 0; j < 2 * n; j++) M[c][j] /= piv;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = M[r][c];
      for (let j = 0; j < 2 * n; j++) M[r][j] -= f * M[c][j];
    }
  }
  const inv = M.map((row) => row.slice(n));
  return mat(S.map((row) => inv[0].map((_, j) => row.reduce((acc, sik, k) => acc + sik * d[k] * inv[k][j], 0))));
}

describe('eigenvectors of non-symmetric matrices', () => {
  it('3×3 upper triangular: closed forms (λ = 6, 4, 1; v = (16, 25, 10)/√981, (2, 3, 0)/√13, e₁)', () => {
    const A = mat([[1, 2, 3], [0, 4, 5], [0, 0, 6]]);
    const { values, vectors } = eigenSystem(A, '`A`', true);
    close(values, [6, 4, 1], 1e-12, 'eigenvalues');
    const V = vectors as Mat;
    close(column(V, 0), [16, 25, 10].map((x) => x / Math.sqrt(981)), 1e-12, 'v₁');
    close(column(V, 1), [2, 3, 0].map((x) => x / Math.sqrt(13)), 1e-12, 'v₂');
    close(column(V, 2), [1, 0, 0], 1e-12, 'v₃');
    passes(String.raw`given: A = \begin{bmatrix} 1 & 2 & 3 \\ 0 & 4 & 5 \\ 0 & 0 & 6 \end{bmatrix}
claim: \lambda(A) = (6, 4, 1) \land \operatorname{eigvec}_1(A) = \frac{1}{\sqrt{981}} (16, 25, 10) \land \operatorname{eigvec}_2(A) = \frac{1}{\sqrt{13}} (2, 3, 0) \land \operatorname{eigvec}_3(A) = (1, 0, 0)`);
  });

  it('random S D S⁻¹ of sizes 3 and 5 with real eigenvalues: λ = D, A v = λ v to 10⁻¹⁰, unit vectors, largest entry positive', () => {
    const rng = new Rng(7);
    for (const d of [[3, -1, 0.5], [5, 4, 3, 2, 1], [2.5, -3, 0.25, 1, -0.75]]) {
      for (let trial = 0; trial < 10; trial++) {
        const A = similar(d, rng);
        const { values, vectors } = eigenSystem(A, '`A`', true);
        close(values, [...d].sort((x, y) => y - x), 1e-8, 'eigenvalues');
        const V = vectors as Mat;
        assert.ok(residual(A, values, V) < 1e-10, `residual ${residual(A, values, V)}`);
        for (let j = 0; j < V.c; j++) {
          const v = column(V, j);
          close([Math.hypot(...v)], [1], 1e-12, 'unit length');
          const big = v.reduce((m, x) => (Math.abs(x) > Math.abs(m) ? x : m), 0);
          assert.ok(big > 0, 'largest entry positive');
        }
      }
    }
  });

  it('in a check: A eigvec_i(A) = λ_i(A) eigvec_i(A) for a 5×5 S diag(5, 4, 3, 2, 1) S⁻¹, every seed', () => {
    for (let seed = 1; seed <= 5; seed++) {
      passes(String.raw`given: S \sim \mathcal{N}(0, 1)^{5 \times 5}, D = \operatorname{diag}((5, 4, 3, 2, 1))
let: A = S D S^{-1}, Q = \operatorname{eigvec}(A)
tolerance: 1e-8
claim: \lambda(A) = (5, 4, 3, 2, 1) \land A Q = Q \operatorname{diag}(\lambda(A)) \land \sum_{i=1}^{5} \|A \operatorname{eigvec}_i(A) - \lambda_i(A) \operatorname{eigvec}_i(A)\| = 0`, seed);
    }
  });

  it('complex eigenvalues: eigvec is an error listing them; a defective matrix is an error', () => {
    const rot = run(String.raw`given: R = \begin{bmatrix} 0 & -2 & 0 \\ 2 & 0 & 0 \\ 0 & 0 & 1 \end{bmatrix}
claim: \operatorname{eigvec}_1(R) = (0, 0, 1)`);
    assert.strictEqual(rot.status, 'error');
    assert.match(rot.message, /`R` has complex eigenvalues \(0 ± 2i, 1\), so it has no real eigenvectors/);
    const jordan = run(String.raw`given: J = \begin{bmatrix} 1 & 1 \\ 0 & 1 \end{bmatrix}
claim: \operatorname{eigvec}(J) = I`);
    assert.strictEqual(jordan.status, 'error');
    assert.match(jordan.message, /`J` is not diagonalisable/);
    // its eigenvalues are still there
    passes(String.raw`given: J = \begin{bmatrix} 1 & 1 \\ 0 & 1 \end{bmatrix}
claim: \lambda(J) = (1, 1)`);
  });
});

describe('repeated eigenvalues: the canonical basis of the eigenspace', () => {
  const u = [1, 1, 1].map((x) => x / Math.sqrt(3));
  // 3I − 2uuᵀ: eigenvalue 3 twice (u⊥) and 1 (u)
  const A1 = mat([0, 1, 2].map((i) => [0, 1, 2].map((j) => (i === j ? 3 : 0) - 2 * u[i] * u[j])));
  const expected = [[2, -1, -1].map((x) => x / Math.sqrt(6)), [0, 1, -1].map((x) => x / Math.sqrt(2)), u];

  it('3I − 2uuᵀ: Gram–Schmidt of P e₁, P e₂ gives (2, −1, −1)/√6 and (0, 1, −1)/√2, then u', () => {
    const V = eigenSystem(A1, '`A`', true).vectors as Mat;
    for (let j = 0; j < 3; j++) close(column(V, j), expected[j], 1e-12, `column ${j + 1}`);
  });

  it('does not depend on rounding: the same matrix built three ways gives the same vectors to 10⁻¹²', () => {
    // Q diag(3, 3, 1) Qᵀ with Q = [a rotated basis of u⊥, u]: a different rounding of the same matrix
    const c = Math.cos(0.7);
    const s = Math.sin(0.7);
    const b1 = expected[0].map((x, i) => c * x + s * expected[1][i]);
    const b2 = expected[0].map((x, i) => -s * x + c * expected[1][i]);
    const Q = [b1, b2, u];
    const lam = [3, 3, 1];
    const A2 = mat([0, 1, 2].map((i) => [0, 1, 2].map((j) => Q.reduce((acc, q, k) => acc + lam[k] * q[i] * q[j], 0))));
    const A3 = mat([[7 / 3, -2 / 3, -2 / 3], [-2 / 3, 7 / 3, -2 / 3], [-2 / 3, -2 / 3, 7 / 3]]);
    for (const A of [A2, A3]) {
      const V = eigenSystem(A, '`A`', true).vectors as Mat;
      for (let j = 0; j < 3; j++) close(column(V, j), expected[j], 1e-12, `column ${j + 1}`);
    }
  });

  it('the identity and diag(2, 1, 2): unit vectors in the order of the coordinates', () => {
    passes(String.raw`given: A = \begin{bmatrix} 2 & 0 & 0 \\ 0 & 1 & 0 \\ 0 & 0 & 2 \end{bmatrix}
claim: \operatorname{eigvec}(I_4) = I_4 \land \operatorname{eigvec}(A) = \begin{bmatrix} 1 & 0 & 0 \\ 0 & 0 & 1 \\ 0 & 1 & 0 \end{bmatrix}`);
  });

  it('a non-symmetric matrix with a repeated eigenvalue: the same basis from S and from 3S in S diag(2, 2, −1) S⁻¹', () => {
    const rng = new Rng(3);
    for (let trial = 0; trial < 10; trial++) {
      const S = Array.from({ length: 3 }, () => Array.from({ length: 3 }, () => rng.gaussian()));
      const A = similarFrom(S, [2, 2, -1]);
      const A3 = similarFrom(S.map((row) => row.map((x) => 3 * x)), [2, 2, -1]);
      assert.ok(A.d.some((x, i) => x !== A3.d[i]), 'the two products round differently');
      const { values, vectors } = eigenSystem(A, '`A`', true);
      close(values, [2, 2, -1], 1e-8, 'eigenvalues');
      const V = vectors as Mat;
      assert.ok(residual(A, values, V) < 1e-9, `residual ${residual(A, values, V)}`);
      const W = eigenSystem(A3, '`A`', true).vectors as Mat;
      for (let j = 0; j < 3; j++) close(column(W, j), column(V, j), 1e-8, `column ${j + 1}`);
    }
  });

  it('a symmetric random matrix with a double eigenvalue (O diag(3, 3, 1, 0) Oᵀ): QᵀQ = I, A Q = Q Λ, in a check', () => {
    for (let seed = 1; seed <= 5; seed++) {
      passes(String.raw`given: Z \sim \mathcal{N}(0, 1)^{4 \times 4}
let: O = \operatorname{eigvec}(Z + Z^\top)
  A = O \operatorname{diag}((3, 3, 1, 0)) O^\top
  Q = \operatorname{eigvec}(A)
claim: \lambda(A) = (3, 3, 1, 0) \land Q^\top Q = I_4 \land A Q = Q \operatorname{diag}(\lambda(A))`, seed);
    }
  });
});
