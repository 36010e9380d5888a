// The examples of issue 3, each as a real ```check block in Markdown, with verdicts and decisive numbers
// asserted against closed forms.
import * as assert from 'node:assert';
import { runChecksInText, type CheckResult } from '../../src/core/check';

function fence(body: string): string {
  return ['# Writeup', '', 'Some derivation.', '', '```check', body.trim(), '```', ''].join('\n');
}

function runOne(body: string): CheckResult {
  const results = runChecksInText(fence(body));
  assert.strictEqual(results.length, 1);
  return results[0];
}

function near(actual: unknown, expected: number, tol: number, what: string): void {
  assert.strictEqual(typeof actual, 'number', `${what} should be a number, got ${JSON.stringify(actual)}`);
  assert.ok(Math.abs((actual as number) - expected) <= tol, `${what}: ${actual} is not within ${tol} of ${expected}`);
}

describe('check examples (issue 3)', () => {
  describe('scalar gradient descent on (y − σw)²', () => {
    const gd = String.raw`
title: Scalar GD converges iff η < 1/σ²
given: \sigma = 2, y = 1, w_0 = 0
iterate: w_{t+1} = w_t + 2\eta\sigma(y - \sigma w_t)
sweep: \eta \in [0.01, 0.5]
claim: \text{converges} \iff \eta < \frac{1}{\sigma^2}
plot: |w_t - y/\sigma|`;

    it('passes "converges ⟺ η < 1/σ²" with the empirical boundary at 1/σ² = 0.25', () => {
      const r = runOne(gd);
      assert.strictEqual(r.status, 'pass', r.message);
      const emp = r.values.empiricalBoundaries as number[];
      assert.strictEqual(emp.length, 1);
      near(emp[0], 0.25, 1e-6, 'empirical boundary');
      assert.deepStrictEqual(r.values.claimedBoundaries, [0.25]);
      assert.match(r.message, /empirical boundary η = 0\.25; claimed 1\/σ² = 0\.25/);
      assert.strictEqual(r.values.gridPoints, 200);
      assert.strictEqual(r.title, 'Scalar GD converges iff η < 1/σ²');
      assert.strictEqual(r.line, 4);
    });

    it('reports total iterations and plots with boundary markers', () => {
      const r = runOne(gd);
      assert.ok(typeof r.values.iterations === 'number' && (r.values.iterations as number) > 1000, `iterations = ${r.values.iterations}`);
      const sides = r.plots.find((p) => p.markers && p.markers.length >= 2);
      assert.ok(sides, 'a plot with claimed and empirical boundary markers');
      assert.ok(sides.markers?.some((m) => /claimed/.test(m.label) && m.x === 0.25));
      const traj = r.plots.find((p) => p.xLabel === 't');
      assert.ok(traj, 'a trajectory plot over t');
      assert.ok(r.plots.some((p) => p.title.includes('|w_t')), 'the `plot:` expression is plotted');
    });

    it('at η = 1/σ² exactly the iterates form a bounded 2-cycle (bounded, not convergent)', () => {
      const r = runOne(gd);
      const at = r.values.atClaimedBoundary as { converges: boolean; bounded: boolean };
      assert.strictEqual(at.bounded, true);
      assert.strictEqual(at.converges, false);
      assert.match(r.message, /at η = 0\.25 exactly: bounded, does not converge/);
      const single = runOne(String.raw`
given: \sigma = 2, y = 1, w_0 = 0, \eta = \frac{1}{\sigma^2}
iterate: w_{t+1} = w_t + 2\eta\sigma(y - \sigma w_t)
claim: \text{bounded} \land \lnot \text{converges}`);
      assert.strictEqual(single.status, 'pass', single.message);
      assert.strictEqual(single.values.bounded, true);
      assert.strictEqual(single.values.converges, false);
      near(single.values.rate, 1, 1e-12, 'spectral radius');
    });

    it('fails a wrong boundary (η < 2/σ²) and names both boundaries', () => {
      const r = runOne(gd.replace('\\frac{1}{\\sigma^2}', '\\frac{2}{\\sigma^2}'));
      assert.strictEqual(r.status, 'fail', r.message);
      assert.match(r.message, /empirical boundary η = 0\.25; claimed 2\/σ² = 0\.5/);
    });
  });

  describe('iterations to reach relative error ε', () => {
    const body = (eta: string, abs: boolean) => String.raw`
given: \sigma = 1, y = 1, \eta = ${eta}, \epsilon = 10^{-3}, w_0 = 0
iterate: w_{t+1} = w_t + 2\eta\sigma(y - \sigma w_t)
claim: T_\epsilon = \lceil \log\epsilon / \log${abs ? '|1-2\\eta\\sigma^2|' : '(1-2\\eta\\sigma^2)'} \rceil`;

    it('T_ε = ⌈log ε / log|1 − 2ησ²|⌉ = 31 at η = 0.1 passes', () => {
      const r = runOne(body('0.1', true));
      assert.strictEqual(r.status, 'pass', r.message);
      assert.match(r.message, /T_ε = 31 = 31/);
      // closed form
      assert.strictEqual(Math.ceil(Math.log(1e-3) / Math.log(0.8)), 31);
    });

    it('without |·| at η = 0.75 the formula is undefined (log of a negative number) and the claim fails', () => {
      const r = runOne(body('0.75', false));
      assert.strictEqual(r.status, 'fail', r.message);
      assert.match(r.message, /undefined: log of a negative number \(−0\.5\)/);
    });

    it('with |·| at η = 0.75 it gives 10 and passes', () => {
      const r = runOne(body('0.75', true));
      assert.strictEqual(r.status, 'pass', r.message);
      assert.match(r.message, /T_ε = 10 = 10/);
    });

    it('counts with ≤: exactly 10 for ρ = −0.5 and ε = 2⁻¹⁰', () => {
      const r = runOne(String.raw`
given: \sigma = 1, y = 1, \eta = 0.75, \epsilon = 2^{-10}, w_0 = 0
iterate: w_{t+1} = w_t + 2\eta\sigma(y - \sigma w_t)
claim: T_\epsilon = 10`);
      assert.strictEqual(r.status, 'pass', r.message);
    });
  });

  describe('momentum (seed 001): σ² ∈ {5, 0.05}, β = 0.1, loss ‖Xw − y‖²', () => {
    const setup = (extra = '') => String.raw`
given: \beta = 0.1, \sigma_{\max}^2 = 5, \sigma_{\min}^2 = 0.05,
  X = \begin{bmatrix} \sigma_{\max} & 0 \\ 0 & \sigma_{\min} \end{bmatrix}, y = \begin{bmatrix} 1 \\ 1 \end{bmatrix},
  w_0 = \mathbf{0}_2, z_0 = \mathbf{0}_2, \epsilon = 10^{-3}${extra}
let: g_t = 2X^\top X w_t - 2X^\top y
iterate: z_{t+1} = (1-\beta) z_t + \beta g_t
  w_{t+1} = w_t - \eta z_{t+1}`.trim();

    it('"η = 0.0026 minimises the iterations" fails: the best rate √0.9 is reached on [0.26334, 3.79737]', () => {
      const r = runOne(`title: Momentum: η ≈ 0.0026 is the fastest step size\n${setup()}\nsweep: \\eta \\in [0.001, 4]\nclaim: \\arg\\min_\\eta \\text{rate} \\approx 0.0026\nexpect: fail`);
      assert.strictEqual(r.status, 'pass', r.message);
      assert.match(r.message, /^claim refuted as expected/);
      const set = r.values['argmin_\\eta'] as [number, number][];
      assert.strictEqual(set.length, 1);
      // closed forms: (1 ∓ √(1−β))² / (2βσ²) at the edges where both modes have complex eigenvalues
      const lo = (1 - Math.sqrt(0.9)) ** 2 / (2 * 0.1 * 0.05);
      const hi = (1 + Math.sqrt(0.9)) ** 2 / (2 * 0.1 * 5);
      near(set[0][0], lo, 1e-5 * lo, 'left end of the arg-min plateau');
      near(set[0][1], hi, 1e-5 * hi, 'right end of the arg-min plateau');
      near(set[0][0], 0.26334, 1e-5, 'left end');
      near(set[0][1], 3.79737, 1e-4, 'right end');
      const best = r.values['min of \\text{rate}'] as number;
      near(best, Math.sqrt(0.9), 1e-9, 'best rate');
      near(best, 0.948683, 1e-6, 'best rate');
      assert.strictEqual(Math.ceil(Math.log(1e-3) / Math.log(best)), 132);
    });

    it('inside the plateau the simulated rate is √(1 − β) and T_ε ≈ 132; at η = 0.0026 T_ε exceeds 26,000', () => {
      const inside = runOne(`${setup(', \\eta = 1')}\nsteps: 3000\nclaim: \\text{rate} = \\sqrt{1 - \\beta}`);
      assert.strictEqual(inside.status, 'pass', inside.message);
      near(inside.values.empiricalRate, Math.sqrt(0.9), 2e-3, 'empirical rate at η = 1');
      const T = runOne(`${setup(', \\eta = 1')}\nsteps: 3000\nclaim: T_\\epsilon(w) \\approx 132\ntolerance: 0.1`);
      assert.strictEqual(T.status, 'pass', T.message);
      const slow = runOne(`${setup(', \\eta = 0.0026')}\nsteps: 40000\nclaim: T_\\epsilon(w) > 26000`);
      assert.strictEqual(slow.status, 'pass', slow.message);
      const m = /T_ε\(w\) = (\d+)/.exec(slow.message);
      assert.ok(m && Number(m[1]) > 26000 && Number(m[1]) < 27000, slow.message);
    });

    it('plain GD with η* = 1/(σ²max + σ²min) ≈ 0.19802 needs 346 iterations', () => {
      const r = runOne(String.raw`
given: \sigma_{\max}^2 = 5, \sigma_{\min}^2 = 0.05,
  X = \begin{bmatrix} \sigma_{\max} & 0 \\ 0 & \sigma_{\min} \end{bmatrix}, y = \begin{bmatrix} 1 \\ 1 \end{bmatrix},
  \eta = \frac{1}{\sigma_{\max}^2 + \sigma_{\min}^2}, \epsilon = 10^{-3}, w_0 = \mathbf{0}_2
iterate: w_{t+1} = w_t - \eta(2X^\top X w_t - 2X^\top y)
claim: T_\epsilon = 346`);
      assert.strictEqual(r.status, 'pass', r.message);
      near((r.values.given as Record<string, number>)['η'], 0.19802, 1e-5, 'η*');
      near(r.values.rate, 1 - 2 * 0.05 / 5.05, 1e-12, 'GD rate');
      assert.strictEqual(Math.ceil(Math.log(1e-3) / Math.log(1 - 0.1 / 5.05)), 346);
    });
  });

  describe('linear algebra with random draws', () => {
    for (const [m, n] of [[30, 10], [10, 30]]) {
      it(`kernel ridge identity holds for X ~ N(0,1)^{${m}×${n}}, λ = 0.5`, () => {
        const r = runOne(String.raw`
title: Kernel ridge identity
given: X \sim \mathcal{N}(0,1)^{${m}\times ${n}}, y \sim \mathcal{N}(0,1)^{${m}}, \lambda = 0.5
claim: (X^\top X + \lambda I)^{-1} X^\top y = X^\top (X X^\top + \lambda I)^{-1} y`);
        assert.strictEqual(r.status, 'pass', r.message);
        const m2 = /‖difference‖ = ([0-9.e−-]+)/.exec(r.message);
        assert.ok(m2, r.message);
        assert.ok(Number(m2[1].replace('−', '-')) < 1e-12, r.message);
        assert.strictEqual(r.seed, 1);
      });
    }

    it('a wrong variant of the identity fails', () => {
      const r = runOne(String.raw`
given: X \sim \mathcal{N}(0,1)^{30\times 10}, y \sim \mathcal{N}(0,1)^{30}, \lambda = 0.5
claim: (X^\top X + \lambda I)^{-1} X^\top y = X^\top (X X^\top + 2\lambda I)^{-1} y`);
      assert.strictEqual(r.status, 'fail', r.message);
    });
  });

  describe('derivatives', () => {
    it('∇(x²y³) = (2xy³, 3x²y³) fails at random points (the y-component is 3x²y²)', () => {
      const r = runOne(String.raw`
given: x \sim \mathcal{N}(0, 1), y \sim \mathcal{N}(0, 1)
let: f(x, y) = x^2 y^3
trials: 20
claim: \nabla f = \begin{pmatrix} 2xy^3 \\ 3x^2y^3 \end{pmatrix}
expect: fail`);
      assert.strictEqual(r.status, 'pass', r.message);
      assert.match(r.message, /claim refuted as expected/);
      assert.ok((r.values.failures as number) >= 19, `failures = ${r.values.failures}`);
    });

    it('the correct gradient passes in every trial, computed exactly (no error estimate, no slack)', () => {
      const r = runOne(String.raw`
given: x \sim \mathcal{N}(0, 1), y \sim \mathcal{N}(0, 1)
let: f(x, y) = x^2 y^3
trials: 20
claim: \nabla f = (2xy^3, 3x^2y^2)`);
      assert.strictEqual(r.status, 'pass', r.message);
      assert.strictEqual(r.values.derivatives, 'exact');
      assert.strictEqual(r.values.derivativeErrorEstimate, undefined);
      assert.strictEqual(r.values.failures, 0);
    });

    it('∂/∂y and the Hessian', () => {
      const r = runOne(String.raw`
given: x = 1.3, y = -0.7
let: f(x, y) = x^2 y^3
claim: \frac{\partial f}{\partial y} = 3x^2y^2 \land \nabla^2 f = \begin{bmatrix} 2y^3 & 6xy^2 \\ 6xy^2 & 6x^2 y \end{bmatrix}`);
      assert.strictEqual(r.status, 'pass', r.message);
      const wrong = runOne(String.raw`
given: x = 1.3, y = -0.7
let: f(x, y) = x^2 y^3
claim: \frac{\partial f}{\partial y} = 3x^2y^3`);
      assert.strictEqual(wrong.status, 'fail', wrong.message);
    });
  });

  describe('SGD stability bound (seed 000)', () => {
    it('expected loss contracts by 0.68 per step, so "bounded ⟹ ‖Σ‖_F ≤ √(b/(δs))" fails (20 > 10)', () => {
      const r = runOne(String.raw`
title: SGD bound of question 2
given: \Sigma = 20, s = 0.01, b = 1, \delta = 1, L_0 = 1
iterate: L_{t+1} = (1 - s\Sigma)^2 L_t + \frac{s^2}{b} \Sigma \cdot 2\delta L_t \Sigma \cdot \frac{1}{2}
claim: \text{bounded} \implies \|\Sigma\|_F \le \sqrt{\frac{b/\delta}{s}}
expect: fail`);
      assert.strictEqual(r.status, 'pass', r.message);
      near(r.values.rate, 0.68, 1e-12, 'contraction of the expected loss');
      assert.match(r.message, /bounded = true/);
      assert.match(r.message, /‖Σ‖_F = 20 > 10/);
    });

    it('the same with Monte-Carlo trials: noise drawn afresh at every step, E over 400 trials', () => {
      const r = runOne(String.raw`
given: \Sigma = 20, s = 0.01, b = 1, \delta = 1, w_0 = 1, \xi_t \sim \mathcal{N}(0, 1)
let: L_t = \frac{1}{2}\Sigma w_t^2
iterate: w_{t+1} = w_t - s(\Sigma w_t + \sqrt{2\delta L_t \Sigma / b}\, \xi_t)
steps: 200
trials: 400
claim: \mathbb{E}[\text{rate}] < 1`);
      assert.strictEqual(r.status, 'pass', r.message);
    });
  });

  describe('NTK Gram matrix (seed 004)', () => {
    it('λ_min(H∞) > 0 for 500 unit vectors in R⁴⁰ passes within the default time limit', () => {
      const r = runOne(String.raw`
title: H∞ is positive definite
given: n = 500, d = 40, Z \sim \mathcal{N}(0, 1)^{n \times d}
let: x_i = \frac{Z_i}{\|Z_i\|}, \quad i = 1, \dots, n
  H^\infty_{ij} = \frac{x_i^\top x_j (\pi - \arccos(x_i^\top x_j))}{2\pi}, \quad i, j = 1, \dots, n
claim: \lambda_{\min}(H^\infty) > 0`);
      assert.strictEqual(r.status, 'pass', r.message);
      const m = /λ_\{min\}\(H\^∞\) = ([0-9.]+) > 0/.exec(r.message);
      assert.ok(m, r.message);
      assert.ok(Number(m[1]) > 0.01 && Number(m[1]) < 0.25, r.message);
    });

    it('the smallest eigenvalue matches a small case computed by hand', () => {
      // two orthogonal unit vectors: H = diag(1/2, 1/2) → λ_min = 0.5
      const r = runOne(String.raw`
given: Z = \begin{bmatrix} 1 & 0 \\ 0 & 1 \end{bmatrix}
let: H_{ij} = \frac{Z_i^\top Z_j (\pi - \arccos(Z_i^\top Z_j))}{2\pi}, \quad i, j = 1, \dots, 2
claim: \lambda_{\min}(H) = 0.5`);
      assert.strictEqual(r.status, 'pass', r.message);
    });
  });
});
