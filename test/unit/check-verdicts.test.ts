// Verdicts that never depend on luck (issue 9, item 1): affine updates are decided from the spectral radius, the
// boundary ρ = 1 from the Jordan structure, noisy updates with linear moments from the exact moment recursion, and
// everything else from a growth-rate estimate with an explicit "undecided" outcome. Every verdict is checked for
// seeds 1–20.
import * as assert from 'node:assert';
import fc from 'fast-check';
import { runChecksInText, type CheckResult } from '../../src/core/check';

function run(body: string, seed = 1): CheckResult {
  const results = runChecksInText(`# T\n\n\`\`\`check\n${body}\n\`\`\`\n`, { seed, timeLimitMs: 20000 });
  assert.strictEqual(results.length, 1);
  return results[0];
}

const SEEDS = Array.from({ length: 20 }, (_, i) => i + 1);

function sameForAllSeeds(body: string, status: CheckResult['status'], message?: RegExp): void {
  for (const seed of SEEDS) {
    const r = run(body, seed);
    assert.strictEqual(r.status, status, `seed ${seed}: ${r.message}`);
    if (message) assert.match(r.message, message, `seed ${seed}`);
  }
}

const num = (x: number) => (Math.abs(x) < 1e-12 ? '0' : x.toFixed(6));
const mat = (rows: number[][]) => `\\begin{bmatrix} ${rows.map((r) => r.map(num).join(' & ')).join(' \\\\ ')} \\end{bmatrix}`;
const vec = (v: number[]) => mat(v.map((x) => [x]));

describe('check verdicts', () => {
  it('the AR(1) process w_{t+1} = 0.5 w_t + ξ_t is bounded for every seed 1–20 (ρ₂ = 0.25 exactly)', () => {
    sameForAllSeeds(
      'given: w_0 = 0, \\xi_t \\sim \\mathcal{N}(0, 1)\niterate: w_{t+1} = 0.5 w_t + \\xi_t\nsteps: 200\nclaim: \\text{bounded}',
      'pass',
      /second-moment map ρ₂ = 0\.25, mean map ρ = 0\.5.*E‖x_t‖² → 1\.33333/,
    );
  });

  const boundary = (eta: string) =>
    `given: \\sigma_\\ell = 10, \\sigma_s = 0.1, X = \\begin{bmatrix} \\sigma_\\ell & 0 \\\\ 0 & \\sigma_s \\end{bmatrix}, y = \\begin{bmatrix} 1 \\\\ 1 \\end{bmatrix}, w_0 = \\mathbf{0}_2, \\eta = ${eta}
iterate: w_{t+1} = w_t - 2\\eta X^\\top (X w_t - y)
claim: \\text{bounded} \\land \\lnot\\text{converges}`;

  it('2-D GD at η = 1/σ_ℓ²: a bounded 2-cycle (bounded ∧ ¬converges passes); slightly above it diverges', () => {
    sameForAllSeeds(boundary('1/\\sigma_\\ell^2'), 'pass', /ρ = 1 within 1e−6: bounded .* does not converge/);
    const above = run(boundary('1.0001/\\sigma_\\ell^2'));
    assert.strictEqual(above.status, 'fail', above.message);
    assert.match(above.message, /bounded = false \(spectral radius of the update ρ = 1\.0002 > 1\)/);
    const below = run(boundary('0.9999/\\sigma_\\ell^2'));
    assert.strictEqual(below.status, 'fail', below.message);
    assert.match(below.message, /converges = true/);
  });

  it('the ρ = 1 boundary from the Jordan structure: 2-cycle, rotation, Jordan block, forcing along λ = 1', () => {
    const rot = run('given: w_0 = 1, z_0 = 0\niterate: w_{t+1} = \\cos(1) w_t - \\sin(1) z_t, z_{t+1} = \\sin(1) w_t + \\cos(1) z_t\nclaim: \\text{bounded} \\land \\lnot \\text{converges}');
    assert.strictEqual(rot.status, 'pass', rot.message);
    const jordan = run('given: w_0 = 0, z_0 = 1\niterate: w_{t+1} = w_t + z_t, z_{t+1} = z_t\nclaim: \\text{bounded}');
    assert.strictEqual(jordan.status, 'fail', jordan.message);
    assert.match(jordan.message, /grow without bound/);
    const forced = run('given: w_0 = 3\niterate: w_{t+1} = w_t + 1\nclaim: \\text{diverges}');
    assert.strictEqual(forced.status, 'pass', forced.message);
    // eigenvalue 1 with the forcing in the range of A − I: a line of fixed points; the run converges
    const inRange = run('given: w_0 = 3, z_0 = 3\niterate: w_{t+1} = w_t + 0.5(1 - z_t), z_{t+1} = 0.5 z_t + 0.5\nclaim: \\text{converges}');
    assert.strictEqual(inRange.status, 'pass', inRange.message);
    assert.match(inRange.message, /semisimple and the iterates settle/);
    const fixed = run('given: w_0 = 3\niterate: w_{t+1} = 2 w_t - 3\nclaim: \\text{converges}');
    assert.strictEqual(fixed.status, 'pass', fixed.message);
    assert.match(fixed.message, /fixed point/);
  });

  it('multiplicative noise is decided in mean square from the exact second-moment map', () => {
    // E[(0.5 + cξ)²] = 0.25 + c²
    sameForAllSeeds('given: w_0 = 1, \\xi_t \\sim \\mathcal{N}(0, 1)\niterate: w_{t+1} = (0.5 + 0.8\\xi_t) w_t\nclaim: \\text{bounded}', 'pass', /ρ₂ = 0\.89/);
    sameForAllSeeds('given: w_0 = 1, \\xi_t \\sim \\mathcal{N}(0, 1)\niterate: w_{t+1} = (0.5 + 0.9\\xi_t) w_t\nclaim: \\text{diverges}', 'pass', /ρ₂ = 1\.06/);
    // uniform draws and a cubic of the draw: E[ξ⁶] is integrated exactly by the quadrature
    sameForAllSeeds('given: w_0 = 1, \\xi_t \\sim \\mathcal{U}(-1, 1)\niterate: w_{t+1} = 0.9 w_t + \\xi_t^3\nclaim: \\text{bounded}', 'pass', /ρ₂ = 0\.81/);
  });

  it('non-affine updates: growth rate over windows and runs, with an explicit undecided outcome', () => {
    const logistic = run('given: w_0 = 0.5\niterate: w_{t+1} = 3.7 w_t (1 - w_t)\nclaim: \\text{bounded}');
    assert.strictEqual(logistic.status, 'pass', logistic.message);
    assert.match(logistic.message, /growth rate of log‖x_t‖ 0 ± 0 per step \(running maximum\) over 4 windows of one run/);
    sameForAllSeeds('given: w_0 = 0, \\xi_t \\sim \\mathcal{N}(0, 1)\niterate: w_{t+1} = 0.5\\tanh(w_t) + \\xi_t\nsteps: 2000\nclaim: \\text{bounded}', 'pass', /over 8 runs/);
    // a random walk with bounded steps grows like √t: not decidable from a finite run — error, never a guess
    sameForAllSeeds('given: w_0 = 0, \\xi_t \\sim \\mathcal{N}(0, 1)\niterate: w_{t+1} = w_t + \\tanh(\\xi_t)\nclaim: \\text{bounded}', 'error', /undecided: growth rate .* run longer/);
    const growing = run('given: w_0 = 1\niterate: w_{t+1} = 1.01 w_t + 0.001 \\sin(w_t)\nsteps: 500\nclaim: \\text{diverges}');
    assert.strictEqual(growing.status, 'pass', growing.message);
    // a run that leaves the range reports the growth factor, not only the step
    const blowUp = run('given: w_0 = 1\niterate: w_{t+1} = 1.5 w_t + 0.001\\sin(w_t)\nclaim: \\text{bounded}');
    assert.strictEqual(blowUp.status, 'fail', blowUp.message);
    assert.match(blowUp.message, /at t = \d+ \(‖x_t‖ grew by a factor 1\.5 per step over the last 20 steps\)/);
  });

  it('seed 001: "η = 0.0026 minimises the iterations to 99.9 %" fails with both iteration counts', function () {
    this.timeout(30000);
    const r = run(String.raw`given: \beta = 0.1, \sigma_{\max}^2 = 5, \sigma_{\min}^2 = 0.05, \epsilon = 10^{-3},
  X = \begin{bmatrix} \sigma_{\max} & 0 \\ 0 & \sigma_{\min} \end{bmatrix}, y = \begin{bmatrix} 1 \\ 1 \end{bmatrix}, w_0 = \mathbf{0}_2, z_0 = \mathbf{0}_2
let: g_t = 2X^\top X w_t - 2X^\top y
iterate: z_{t+1} = (1-\beta) z_t + \beta g_t
  w_{t+1} = w_t - \eta z_{t+1}
steps: 30000
sweep: \eta \in [0.001, 4]
claim: \arg\min_\eta T_\epsilon(w) \approx 0.0026`);
    assert.strictEqual(r.status, 'fail', r.message);
    assert.match(r.message, /T_ε\(w\) = 26493 at the claimed η = 0\.0026, 111 at the best/);
  });

  it('property: random affine recurrences (deterministic and noisy) get the spectral-radius verdict for seeds 1–20', function () {
    this.timeout(120000);
    const arb = fc.record({
      n: fc.integer({ min: 2, max: 3 }),
      eig: fc.array(fc.double({ min: 0.1, max: 1, noNaN: true }), { minLength: 3, maxLength: 3 }),
      signs: fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
      rho: fc.oneof(fc.double({ min: 0.2, max: 0.9, noNaN: true }), fc.double({ min: 1.1, max: 1.6, noNaN: true })),
      mix: fc.array(fc.double({ min: -0.3, max: 0.3, noNaN: true }), { minLength: 9, maxLength: 9 }),
      b: fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 3, maxLength: 3 }),
      noise: fc.constantFrom('none', 'additive', 'multiplicative'),
      c: fc.double({ min: 0.1, max: 0.6, noNaN: true }),
    });
    fc.assert(
      fc.property(arb, ({ n, eig, signs, rho, mix, b, noise, c }) => {
        // A = S D S⁻¹ with known eigenvalues D (the largest in modulus is ρ), S = I + a small mixing matrix
        const d = eig.slice(0, n).map((x, i) => (signs[i] ? -1 : 1) * x * rho);
        d[0] = (signs[0] ? -1 : 1) * rho;
        const D = d.map((x, i) => d.map((_, j) => (i === j ? x : 0)));
        const S = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0) + mix[i * 3 + j]));
        const given = `S = ${mat(S)}, D = ${mat(D)}, b = ${vec(b.slice(0, n))}, w_0 = ${vec(b.slice(0, n).map((x) => 1 - x))}`;
        let update = 'A w_t + b';
        let draws = '';
        // mean-square truth: additive noise keeps ρ₂ = ρ²; multiplicative (A + cξI) gives ρ₂ = ρ² + c²
        let truth = rho < 1;
        if (noise === 'additive') {
          update = 'A w_t + b + \\xi_t b';
          draws = ', \\xi_t \\sim \\mathcal{N}(0, 1)';
        } else if (noise === 'multiplicative') {
          update = 'A w_t + ' + num(c) + '\\xi_t w_t + b';
          draws = ', \\xi_t \\sim \\mathcal{N}(0, 1)';
          const rho2 = rho * rho + c * c;
          if (Math.abs(rho2 - 1) < 0.02) return; // too close to the boundary for a 6-digit matrix in the text
          truth = rho2 < 1;
        }
        const body = `given: ${given}${draws}\nlet: A = S D S^{-1}\niterate: w_{t+1} = ${update}\nsteps: 300\nclaim: \\text{bounded}`;
        for (const seed of SEEDS) {
          const r = run(body, seed);
          assert.strictEqual(r.status, truth ? 'pass' : 'fail', `seed ${seed}, ρ = ${rho}, noise ${noise}, c = ${c}: ${r.message}\n${body}`);
        }
      }),
      { numRuns: 40, seed: 9 },
    );
  });
});
