// Sweeps over updates that are affine in the swept value (issue 9, items 1 and 4): A(η) = A₀ + ηA₁ is probed once
// per trial and checked against the update at every point; with A₀ = αI and A₁ symmetric the ⟺ boundary comes in
// closed form and is only confirmed. Verdicts and numbers are compared with closed forms; updates where the swept
// value enters non-affinely (everywhere, or only between the probes) must give the per-point answers.
import * as assert from 'node:assert';
import { runChecksInText, type CheckResult } from '../../src/core/check';

function run(body: string, seed = 1): CheckResult {
  const results = runChecksInText(`# T\n\n\`\`\`check\n${body}\n\`\`\`\n`, { seed, timeLimitMs: 30000 });
  assert.strictEqual(results.length, 1);
  return results[0];
}

/** A small seeded generator (mulberry32) for the test's own matrices. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** H = Q diag(λ) Qᵀ with Q a product of two Householder reflections: a random SPD matrix with known eigenvalues. */
function spd(n: number, seed: number): { H: number[][]; lambdas: number[] } {
  const rnd = prng(seed);
  const lambdas = Array.from({ length: n }, () => 0.5 + 4.5 * rnd());
  let Q: number[][] = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
  for (let k = 0; k < 2; k++) {
    const v = Array.from({ length: n }, () => rnd() - 0.5);
    const vv = v.reduce((s, x) => s + x * x, 0);
    // Q ← Q (I − 2 v vᵀ / vᵀv)
    Q = Q.map((row) => {
      const qv = row.reduce((s, x, j) => s + x * v[j], 0);
      return row.map((x, j) => x - (2 * qv * v[j]) / vv);
    });
  }
  const H = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => Q[i].reduce((s, q, k) => s + q * lambdas[k] * Q[j][k], 0)));
  return { H, lambdas };
}

const exact = (x: number) => (x === 0 ? '0' : x.toFixed(17).replace(/0+$/, '').replace(/\.$/, ''));
const mat = (rows: number[][]) => `\\begin{bmatrix} ${rows.map((r) => r.map(exact).join(' & ')).join(' \\\\ ')} \\end{bmatrix}`;
const ones = (n: number) => mat(Array.from({ length: n }, () => [1]));

const relErr = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

describe('check sweeps: updates affine in the swept value', () => {
  it('GD on a random SPD H: the ⟺ boundary equals 2/λ_max(H) to 1e-9 relative (closed form from one eigendecomposition)', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const n = 12;
      const { H, lambdas } = spd(n, seed);
      const lmax = Math.max(...lambdas);
      const r = run(
        [
          `given: H = ${mat(H)}, b = ${ones(n)}, w_0 = \\mathbf{0}_${n}`,
          'iterate: w_{t+1} = w_t - \\eta (H w_t - b)',
          `sweep: \\eta \\in [0.01, ${exact(3 / lmax)}]`,
          'claim: \\text{bounded} \\iff \\eta \\le 2/\\lambda_{\\max}(H)',
        ].join('\n'),
      );
      assert.strictEqual(r.status, 'pass', `seed ${seed}: ${r.message}`);
      const found = r.values.empiricalBoundaries as number[];
      assert.strictEqual(found.length, 1, `seed ${seed}: ${JSON.stringify(found)}`);
      assert.ok(relErr(found[0], 2 / lmax) <= 1e-9, `seed ${seed}: boundary ${found[0]} against 2/λ_max = ${2 / lmax}`);
      assert.match(String(r.values.sweepUpdate), /^affine in η: .*A₁ symmetric: ρ\(η\) = max_i \|α \+ ημ_i\|/);
      // at the boundary itself: a bounded oscillation (ρ = 1, symmetric A: no Jordan block)
      assert.match(r.message, /at η = [\d.]+ exactly: bounded, does not converge/);
    }
  });

  it('the boundary is the same as without the structure (a sweep too short for it bisects): within the bisection width', () => {
    const { H, lambdas } = spd(6, 11);
    const lmax = Math.max(...lambdas);
    const body = (points: number) =>
      [
        `given: H = ${mat(H)}, b = ${ones(6)}, w_0 = \\mathbf{0}_6`,
        'iterate: w_{t+1} = w_t - \\eta (H w_t - b)',
        `sweep: \\eta \\in [0.05, ${exact(3 / lmax)}], \\text{${points} points}`,
        'claim: \\text{converges} \\iff \\eta < 2/\\lambda_{\\max}(H)',
      ].join('\n');
    const short = run(body(7));
    const long = run(body(100));
    assert.strictEqual(short.status, 'pass', short.message);
    assert.strictEqual(long.status, 'pass', long.message);
    assert.strictEqual(short.values.sweepUpdate, undefined);
    const [bShort] = short.values.empiricalBoundaries as number[];
    const [bLong] = long.values.empiricalBoundaries as number[];
    assert.ok(relErr(bShort, 2 / lmax) <= 1e-6, `bisected ${bShort} vs ${2 / lmax}`);
    assert.ok(relErr(bLong, 2 / lmax) <= 1e-12, `closed form ${bLong} vs ${2 / lmax}`);
  });

  it('momentum (A₀ not a multiple of I): the family is used with ρ per point; converges ⟺ η < 2(1 + β)/λ', () => {
    const r = run(
      [
        'given: \\lambda = 4, \\beta = 0.5, w_0 = 1, z_0 = 0',
        'iterate: z_{t+1} = \\beta z_t + \\lambda w_t, w_{t+1} = w_t - \\eta z_{t+1}',
        'sweep: \\eta \\in [0.01, 1]',
        'claim: \\text{converges} \\iff \\eta < 2(1 + \\beta)/\\lambda',
      ].join('\n'),
    );
    assert.strictEqual(r.status, 'pass', r.message);
    assert.match(String(r.values.sweepUpdate), /^affine in η: A\(η\) = A₀ \+ ηA₁/);
    assert.doesNotMatch(String(r.values.sweepUpdate), /symmetric/);
    const [b] = r.values.empiricalBoundaries as number[];
    assert.ok(relErr(b, 0.75) <= 1e-6, `boundary ${b}`);
  });

  it('a swept value that enters through η² falls back to probing every point; the boundary is √(2/λ_max)', () => {
    const { H, lambdas } = spd(5, 21);
    const lmax = Math.max(...lambdas);
    const r = run(
      [
        `given: H = ${mat(H)}, w_0 = ${ones(5)}`,
        'iterate: w_{t+1} = w_t - \\eta^2 H w_t',
        'sweep: \\eta \\in [0.1, 1.5]',
        'claim: \\text{bounded} \\iff \\eta \\le \\sqrt{2/\\lambda_{\\max}(H)}',
      ].join('\n'),
    );
    assert.strictEqual(r.status, 'pass', r.message);
    assert.match(String(r.values.sweepUpdate), /^not affine in η/);
    const [b] = r.values.empiricalBoundaries as number[];
    assert.ok(relErr(b, Math.sqrt(2 / lmax)) <= 1e-6, `boundary ${b} vs ${Math.sqrt(2 / lmax)}`);
  });

  it('a swept value that is non-affine only between the probes is caught at the points it affects', () => {
    // η_eff = η + 40 max(0, 0.05 − |η − 0.6|): linear at the four probe values, a bump on (0.55, 0.65)
    const H = [
      [2, 0.5],
      [0.5, 1],
    ];
    const lmax = (3 + Math.sqrt(2)) / 2;
    const r = run(
      [
        `given: H = ${mat(H)}, w_0 = ${ones(2)}`,
        'iterate: w_{t+1} = w_t - (\\eta + 40 \\max(0, 0.05 - |\\eta - 0.6|)) H w_t',
        'sweep: \\eta \\in [0.01, 0.75]',
        'claim: \\text{bounded}',
      ].join('\n'),
    );
    assert.strictEqual(r.status, 'fail', r.message);
    const grid = Array.from({ length: 200 }, (_, i) => (i === 199 ? 0.75 : 0.01 + (0.75 - 0.01) * (i / 199)));
    const effective = (eta: number) => eta + 40 * Math.max(0, 0.05 - Math.abs(eta - 0.6));
    const expected = grid.filter((eta) => effective(eta) * lmax > 2);
    assert.ok(expected.length > 5);
    assert.deepStrictEqual(r.values.failingPoints, expected);
  });

  it('a flip that is not where ρ crosses 1 is bisected (the structural candidate is only confirmed, never assumed)', () => {
    // |w_10| < 1/2 ⟺ |1 − η| < 2^{−1/10}; ρ = |1 − η| crosses 1 at η = 2, inside the sweep but not a flip of the claim
    const r = run(
      [
        'given: w_0 = 1',
        'iterate: w_{t+1} = (1 - \\eta) w_t',
        'sweep: \\eta \\in [0.01, 2.5]',
        'claim: |w_{10}| < 0.5 \\iff |1 - \\eta| < 2^{-1/10}',
      ].join('\n'),
    );
    assert.strictEqual(r.status, 'pass', r.message);
    const found = r.values.empiricalBoundaries as number[];
    const c = Math.pow(2, -0.1);
    assert.strictEqual(found.length, 2, JSON.stringify(found));
    assert.ok(relErr(found[0], 1 - c) <= 1e-6 && relErr(found[1], 1 + c) <= 1e-6, JSON.stringify(found));
  });

  it('a claim part that does not depend on the swept value is computed once per trial: each trial gets its own λ_max', () => {
    const r = run(
      [
        'given: X \\sim \\mathcal{N}(0, 1)^{30 \\times 6}, w_0 = \\mathbf{0}_6',
        'let: H = \\frac{1}{30} X^\\top X',
        'iterate: w_{t+1} = w_t - \\eta (H w_t - \\mathbf{1}_6)',
        'sweep: \\eta \\in [0.01, 2]',
        'trials: 4',
        'claim: \\text{bounded} \\iff \\eta \\le 2/\\lambda_{\\max}(H)',
      ].join('\n'),
    );
    assert.strictEqual(r.status, 'pass', r.message);
    assert.match(r.message, /holds in all 4 trials/);
    // a for-each value changes the matrix: the cached part is per combination
    const each = run(
      [
        'given: c \\in \\{1, 2, 4\\}, X \\sim \\mathcal{N}(0, 1)^{30 \\times 6}, w_0 = \\mathbf{0}_6',
        'let: H = \\frac{c}{30} X^\\top X',
        'iterate: w_{t+1} = w_t - \\eta (H w_t - \\mathbf{1}_6)',
        'sweep: \\eta \\in [0.001, 2]',
        'claim: \\text{bounded} \\iff \\eta \\le 2/\\|H\\|_2',
      ].join('\n'),
    );
    assert.strictEqual(each.status, 'pass', each.message);
    assert.match(each.message, /3 combinations/);
  });
});
