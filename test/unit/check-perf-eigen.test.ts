// Fast paths of the check engine (issue 3, NTK performance): the extreme-eigenvalue solver (shift-invert Lanczos
// with a Cholesky certificate) must agree with the full symmetric eigenvalue routine, and two-index definitions
// compiled to closures must produce exactly the matrix the interpreter produces, with the same errors.
import * as assert from 'node:assert';
import { runChecksInText } from '../../src/core/check';
import { Rng } from '../../src/core/check/rng';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { wasmKernels } from '../../src/core/check/linalg/wasmKernels';
import { Mat, matmul, transpose } from '../../src/core/check/linalg/values';
import { WASM_CHOLESKY_MIN_SIZE, choleskyShift, choleskyShiftJs, spectralRadius, symmetricEigenvalues, symmetricExtremeEigenvalue } from '../../src/core/check/linalg/decompose';

const root = path.resolve(__dirname, '..', '..', '..');

function randomSymmetric(n: number, seed: number): Mat {
  const rng = new Rng(seed);
  const m = Mat.zeros(n, n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      const x = rng.gaussian();
      m.d[i * n + j] = x;
      m.d[j * n + i] = x;
    }
  }
  return m;
}

/** H_ij = c(π − arccos c)/(2π) with c = x_iᵀx_j for n unit vectors in R^d (the NTK Gram matrix). */
function ntk(n: number, d: number, seed: number): Mat {
  const rng = new Rng(seed);
  const x = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let k = 0; k < d; k++) {
      const v = rng.gaussian();
      x[i * d + k] = v;
      s += v * v;
    }
    for (let k = 0; k < d; k++) x[i * d + k] /= Math.sqrt(s);
  }
  const h = Mat.zeros(n, n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let c = 0;
      for (let k = 0; k < d; k++) c += x[i * d + k] * x[j * d + k];
      c = Math.min(1, Math.max(-1, c));
      h.d[i * n + j] = (c * (Math.PI - Math.acos(c))) / (2 * Math.PI);
    }
  }
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) h.d[i * n + j] = h.d[j * n + i];
  return h;
}

function relErr(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b));
}

describe('check engine fast paths', () => {
  it('G Gᵀ (blocked Gram product) equals the plain sums in p order bit for bit, for odd and even sizes', () => {
    for (const [r, c] of [[7, 3], [64, 5], [65, 40], [130, 1]]) {
      const rng = new Rng(r + c);
      const g = Mat.zeros(r, c);
      for (let t = 0; t < r * c; t++) g.d[t] = rng.gaussian();
      const k = matmul(g, transpose(g) as Mat);
      for (let i = 0; i < r; i++) {
        for (let j = 0; j < r; j++) {
          let s = 0;
          for (let p = 0; p < c; p++) s += g.d[i * c + p] * g.d[j * c + p];
          if (!Object.is(k.d[i * r + j], s)) assert.fail(`${r}×${c}: entry (${i}, ${j}) is ${k.d[i * r + j]}, expected ${s}`);
        }
      }
    }
  });

  describe('blocked Cholesky of sign·A − σI', () => {
    /** Textbook Cholesky (column by column, plain sums) as the reference. */
    function reference(a: Float64Array, n: number, sign: 1 | -1, sigma: number): Float64Array | undefined {
      const l = new Float64Array(n * n);
      for (let j = 0; j < n; j++) {
        let d = sign * a[j * n + j] - sigma;
        for (let k = 0; k < j; k++) d -= l[j * n + k] ** 2;
        if (!(d > 0)) return undefined;
        l[j * n + j] = Math.sqrt(d);
        for (let i = j + 1; i < n; i++) {
          let s = sign * a[i * n + j];
          for (let k = 0; k < j; k++) s -= l[i * n + k] * l[j * n + k];
          l[i * n + j] = s / l[j * n + j];
        }
      }
      return l;
    }

    function spd(n: number, seed: number): Mat {
      // G Gᵀ/n + I: eigenvalues in about [1, 5]
      const g = Mat.zeros(n, n);
      const rng = new Rng(seed);
      for (let t = 0; t < n * n; t++) g.d[t] = rng.gaussian() / Math.sqrt(n);
      const a = matmul(g, transpose(g) as Mat);
      for (let i = 0; i < n; i++) a.d[i * n + i] += 1;
      return a;
    }

    for (const n of [1, 3, 4, 6, 9, 37, 64, 101]) {
      it(`n = ${n}: agrees with the textbook factorisation to 1e-12 (lower triangle)`, () => {
        const a = spd(n, n);
        const sigma = 0.5;
        const l = choleskyShift(a.d, n, 1, sigma);
        const ref = reference(a.d, n, 1, sigma);
        assert.ok(l && ref);
        for (let i = 0; i < n; i++) {
          for (let j = 0; j <= i; j++) {
            assert.ok(Math.abs(l[i * n + j] - ref[i * n + j]) <= 1e-12 * Math.max(1, Math.abs(ref[i * n + j])), `L[${i}][${j}]`);
          }
        }
        // and L Lᵀ reproduces A − σI
        for (let i = 0; i < n; i++) {
          for (let j = 0; j <= i; j++) {
            let s = 0;
            for (let k = 0; k <= j; k++) s += l[i * n + k] * l[j * n + k];
            assert.ok(Math.abs(s - (a.d[i * n + j] - (i === j ? sigma : 0))) <= 1e-12 * 5, `(LLᵀ)[${i}][${j}]`);
          }
        }
      });
    }

    it('fails exactly around the smallest eigenvalue (σ just below succeeds, just above fails), for ±A', () => {
      for (const n of [66, 97]) {
        const a = spd(n, 100 + n);
        const ev = symmetricEigenvalues(a);
        const lo = ev[0];
        const hi = ev[n - 1];
        assert.ok(choleskyShift(a.d, n, 1, lo - 1e-9 * hi), `n = ${n}: below λ_min`);
        assert.strictEqual(choleskyShift(a.d, n, 1, lo + 1e-9 * hi), undefined, `n = ${n}: above λ_min`);
        // −A − σI is positive definite iff σ < −λ_max(A)
        assert.ok(choleskyShift(a.d, n, -1, -hi - 1e-9 * hi), `n = ${n}: below −λ_max`);
        assert.strictEqual(choleskyShift(a.d, n, -1, -hi + 1e-9 * hi), undefined, `n = ${n}: above −λ_max`);
      }
    });

    describe('the WebAssembly SIMD kernel', () => {
      const simd = wasmKernels();
      it('is available on this Node and used from WASM_CHOLESKY_MIN_SIZE on', () => {
        assert.ok(simd, 'WebAssembly with SIMD instantiates');
        assert.ok(WASM_CHOLESKY_MIN_SIZE <= 64);
      });
      for (const n of [48, 49, 50, 77, 130]) {
        it(`n = ${n}: the same factor as the JavaScript kernel to 1e-13, and the same pivot failures`, () => {
          assert.ok(simd);
          const a = spd(n, 300 + n);
          const js = choleskyShiftJs(a.d, n, 1, 0.5, new Float64Array(n * n));
          const out = new Float64Array(n * n).fill(7); // the upper triangle must stay as it was
          assert.ok(js && simd.cholesky(a.d, n, 1, 0.5, out));
          for (let i = 0; i < n; i++) {
            for (let j = 0; j < n; j++) {
              if (j > i) assert.equal(out[i * n + j], 7, `upper (${i}, ${j}) untouched`);
              else assert.ok(Math.abs(out[i * n + j] - js[i * n + j]) <= 1e-13 * Math.max(1, Math.abs(js[i * n + j])), `L[${i}][${j}]`);
            }
          }
          const ev = symmetricEigenvalues(a);
          const [lo, hi] = [ev[0], ev[n - 1]];
          const w = new Float64Array(n * n);
          assert.equal(simd.cholesky(a.d, n, 1, lo - 1e-9 * hi, w), true);
          assert.equal(simd.cholesky(a.d, n, 1, lo + 1e-9 * hi, w), false);
          assert.equal(simd.cholesky(a.d, n, -1, -hi - 1e-9 * hi, w), true);
          assert.equal(simd.cholesky(a.d, n, -1, -hi + 1e-9 * hi, w), false);
        });
      }
      it('a NaN entry fails the factorisation; poll runs between blocks of rows', () => {
        assert.ok(simd);
        const n = 400;
        const a = spd(n, 9);
        let polls = 0;
        assert.ok(simd.cholesky(a.d, n, 1, 0, new Float64Array(n * n), () => polls++));
        assert.ok(polls >= 10, `${polls} polls`);
        a.d[5 * n + 5] = Number.NaN;
        assert.equal(simd.cholesky(a.d, n, 1, 0, new Float64Array(n * n)), false);
      });
      it('a poll that throws (time limit, cancel) stops the factorisation', () => {
        assert.ok(simd);
        const a = spd(200, 10);
        assert.throws(() => simd.cholesky(a.d, 200, 1, 0, new Float64Array(200 * 200), () => {
          throw new Error('cancelled');
        }), /cancelled/);
      });
      it('kernels.ts is the compilation of kernels.wat', function () {
        this.timeout(60000);
        const r = spawnSync(process.execPath, [path.join(root, 'scripts', 'build-wasm.mjs'), '--check'], { encoding: 'utf8' });
        assert.equal(r.status, 0, r.stderr + r.stdout);
      });
    });

    it('an indefinite matrix has no factorisation at σ = 0; a reused work buffer gives the same factor', () => {
      const a = randomSymmetric(70, 12);
      assert.strictEqual(choleskyShift(a.d, 70, 1, 0), undefined);
      const b = spd(70, 5);
      const work = new Float64Array(70 * 70).fill(Number.NaN);
      const l1 = choleskyShift(b.d, 70, 1, 0.25);
      const l2 = choleskyShift(b.d, 70, 1, 0.25, undefined, work);
      assert.ok(l1 && l2 === work);
      for (let i = 0; i < 70; i++) for (let j = 0; j <= i; j++) assert.ok(Object.is(l1[i * 70 + j], l2[i * 70 + j]));
    });
  });

  describe('extreme eigenvalues of symmetric matrices', () => {
    it('λ_min and λ_max of a random 120×120 symmetric matrix agree with the full routine to 1e-9', () => {
      const a = randomSymmetric(120, 7);
      const all = symmetricEigenvalues(a);
      const lo = symmetricExtremeEigenvalue(a, 'min');
      const hi = symmetricExtremeEigenvalue(a, 'max');
      assert.strictEqual(lo.method, 'lanczos');
      assert.strictEqual(hi.method, 'lanczos');
      assert.ok(all[0] < 0 && all[all.length - 1] > 0, 'the test matrix is indefinite');
      assert.ok(relErr(lo.value, all[0]) <= 1e-9, `λ_min ${lo.value} vs ${all[0]}`);
      assert.ok(relErr(hi.value, all[all.length - 1]) <= 1e-9, `λ_max ${hi.value} vs ${all[all.length - 1]}`);
      const rho = spectralRadius(a);
      assert.ok(relErr(rho, Math.max(-all[0], all[all.length - 1])) <= 1e-9, `ρ ${rho}`);
    });

    it('λ_min of the NTK matrix (n = 200, d = 40) agrees with the full routine to 1e-9', () => {
      const h = ntk(200, 40, 3);
      const all = symmetricEigenvalues(h);
      const lo = symmetricExtremeEigenvalue(h, 'min');
      assert.strictEqual(lo.method, 'lanczos');
      assert.ok(all[0] > 0, 'the NTK matrix is positive definite');
      assert.ok(relErr(lo.value, all[0]) <= 1e-9, `λ_min ${lo.value} vs ${all[0]}`);
    });

    it('λ_min and λ_max of NTK matrices of odd sizes (n = 65, 131) agree with the full routine to 1e-9', () => {
      for (const n of [65, 131]) {
        const h = ntk(n, 10, n);
        const all = symmetricEigenvalues(h);
        const lo = symmetricExtremeEigenvalue(h, 'min');
        const hi = symmetricExtremeEigenvalue(h, 'max');
        assert.strictEqual(lo.method, 'lanczos');
        assert.ok(relErr(lo.value, all[0]) <= 1e-9, `n = ${n}: λ_min ${lo.value} vs ${all[0]}`);
        assert.ok(relErr(hi.value, all[n - 1]) <= 1e-9, `n = ${n}: λ_max ${hi.value} vs ${all[n - 1]}`);
      }
    });

    it('finds a smallest eigenvalue of multiplicity 3 hidden below a near-copy (Q diag Qᵀ)', () => {
      // eigenvalues −1 (three times), −0.999999, then 1…2: the certificate must not stop at a wrong cluster member
      const n = 100;
      const lambdas = Array.from({ length: n }, (_, i) => (i < 3 ? -1 : i === 3 ? -0.999999 : 1 + i / n));
      const q = randomSymmetric(n, 11);
      // orthonormalise the columns of q (Gram–Schmidt) to get an orthogonal Q
      for (let j = 0; j < n; j++) {
        for (let k = 0; k < j; k++) {
          let s = 0;
          for (let i = 0; i < n; i++) s += q.d[i * n + j] * q.d[i * n + k];
          for (let i = 0; i < n; i++) q.d[i * n + j] -= s * q.d[i * n + k];
        }
        let s = 0;
        for (let i = 0; i < n; i++) s += q.d[i * n + j] ** 2;
        for (let i = 0; i < n; i++) q.d[i * n + j] /= Math.sqrt(s);
      }
      const a = Mat.zeros(n, n);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          let s = 0;
          for (let k = 0; k < n; k++) s += q.d[i * n + k] * lambdas[k] * q.d[j * n + k];
          a.d[i * n + j] = s;
        }
      }
      for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) a.d[i * n + j] = a.d[j * n + i];
      const lo = symmetricExtremeEigenvalue(a, 'min');
      assert.ok(Math.abs(lo.value + 1) <= 1e-9, `λ_min ${lo.value} (${lo.method})`);
      const hi = symmetricExtremeEigenvalue(a, 'max');
      assert.ok(Math.abs(hi.value - (1 + (n - 1) / n)) <= 1e-9, `λ_max ${hi.value} (${hi.method})`);
    });

    it('non-finite entries are left to the full routine (no certificate on NaN)', () => {
      const a = randomSymmetric(80, 5);
      a.d[3] = NaN;
      a.d[3 * 80] = NaN;
      assert.throws(() => symmetricExtremeEigenvalue(a, 'min'), /did not converge/);
      assert.throws(() => symmetricEigenvalues(a), /did not converge/);
    });
  });

  describe('two-index definitions', () => {
    const fence = (...lines: string[]) => ['```check', ...lines, '```', ''].join('\n');

    it('the compiled NTK definition gives exactly the interpreter’s matrix (n = 200) and λ_min > 0 passes', () => {
      // P is the same formula wrapped in a one-term sum, which the compiler does not handle (interpreter path)
      const H = String.raw`\frac{C[i, j] (\pi - \arccos(\min(1, \max(-1, C[i, j]))))}{2\pi}`;
      const text = fence(
        'title: NTK fast path',
        String.raw`given: n = 200, d = 40, G \sim \mathcal{N}(0, 1)^{n \times d}`,
        String.raw`let: K = G G^\top`,
        String.raw`let: C_{ij} = \frac{K[i, j]}{\sqrt{K[i, i] K[j, j]}}, i, j = 1, \dots, n`,
        String.raw`let: H_{ij} = ${H}, i, j = 1, \dots, n`,
        String.raw`let: P_{ij} = \sum_{k=1}^{1} ${H}, i, j = 1, \dots, n`,
        String.raw`claim: \|H - P\|_F = 0 \text{ and } \lambda_{\min}(H) > 0`,
      );
      const [r] = runChecksInText(text, { timeLimitMs: 60_000 });
      assert.strictEqual(r.status, 'pass', r.message);
    });

    it('an index out of range in a compiled definition reports the interpreter’s error and place', () => {
      const text = fence(
        'title: bad index',
        String.raw`given: A = \begin{bmatrix} 1 & 2 \\ 3 & 4 \end{bmatrix}`,
        String.raw`let: B_{ij} = A[i, j + 1], i, j = 1, \dots, 2`,
        String.raw`claim: B[1, 1] = 2`,
      );
      const [r] = runChecksInText(text);
      assert.strictEqual(r.status, 'error');
      assert.match(r.message, /index 3 is outside 1…2/);
      assert.strictEqual(r.problems.length, 1);
      const line = r.problems[0].range.start.line;
      assert.strictEqual(line, 3, 'the error points at the line of the definition');
    });

    it('log of zero/negative entries gives the interpreter’s verdict and message', () => {
      const run = (expr: string) =>
        runChecksInText(fence('title: log of negative', String.raw`let: B_{ij} = ${expr}, i, j = 1, \dots, 3`, String.raw`claim: B[2, 1] = 0`))[0];
      const fast = run(String.raw`\log(i - j)`);
      const slow = run(String.raw`\sum_{k=1}^{1} \log(i - j)`);
      assert.match(fast.message, /undefined: log of a (zero|negative) number/);
      assert.strictEqual(fast.status, slow.status);
      assert.strictEqual(fast.message, slow.message);
      assert.deepStrictEqual(fast.problems, slow.problems);
    });
  });
});
