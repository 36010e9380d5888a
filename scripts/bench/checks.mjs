// Benchmarks of the numeric-check engine (issue 3), run by `npm run bench` after `tsc` (it loads the compiled
// engine from out/src/core/check/index.js):
//   (a) the NTK example — H∞_ij = x_iᵀx_j(π − arccos(x_iᵀx_j))/(2π) for n = 500 unit vectors in R⁴⁰ and
//       λ_min(H∞) — through the engine, against the same computation in Python/numpy when numpy is installed;
//   (b) the scalar GD sweep check as a whole; (c) iterations per second of the evaluator itself (compiled scalar
//       step and interpreter) on the logistic map, and of whole checks on a non-affine and an affine recurrence.
// The numpy script draws its own Gaussian data with numpy's generator, so the numbers differ from ours while the
// sizes and the work (Gram matrix, arccos, symmetric eigenvalues) are the same. Both sides are timed in-process
// (no interpreter start-up), as the median of several runs after a warm-up.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const enginePath = path.join(root, 'out', 'src', 'core', 'check', 'index.js');
const require = createRequire(import.meta.url);

const fence = (...lines) => ['```check', ...lines, '```', ''].join('\n');

// The rows of G are normalised through the Gram matrix (C_ij = K_ij / sqrt(K_ii K_jj) is x_iᵀx_j for the unit
// vectors x_i = G_i/‖G_i‖); the arccos argument is clipped to [−1, 1] against round-off.
export const NTK_CHECK = fence(
  'title: NTK Gram matrix is positive definite',
  String.raw`given: n = 500, d = 40, G \sim \mathcal{N}(0, 1)^{n \times d}`,
  String.raw`let: K = G G^\top`,
  String.raw`let: C_{ij} = \frac{K[i, j]}{\sqrt{K[i, i] K[j, j]}}, i, j = 1, \dots, n`,
  String.raw`let: H_{ij} = \frac{C[i, j] (\pi - \arccos(\min(1, \max(-1, C[i, j]))))}{2\pi}, i, j = 1, \dots, n`,
  String.raw`claim: \lambda_{\min}(H) > 0`,
);

// The scalar GD example of the issue; the engine reports how many recurrence steps it simulated in
// values.iterations (a sweep of 200 step sizes plus bisection of the boundary).
export const GD_CHECK = fence(
  'title: Scalar GD converges iff η < 1/σ²',
  String.raw`given: \sigma = 2, y = 1, w_0 = 0`,
  String.raw`iterate: w_{t+1} = w_t + 2\eta\sigma(y - \sigma w_t)`,
  String.raw`sweep: \eta \in [0.01, 0.5]`,
  String.raw`claim: \text{converges} \iff \eta < \frac{1}{\sigma^2}`,
  String.raw`plot: |w_t - y/\sigma|`,
);

// A non-affine scalar recurrence: every step goes through the general evaluator (no structural shortcut).
export const LOGISTIC_CHECK = fence(
  'title: Logistic map, general evaluator',
  String.raw`given: w_0 = 0.5`,
  String.raw`iterate: w_{t+1} = 3.7 w_t (1 - w_t)`,
  String.raw`steps: 200000`,
  String.raw`claim: \text{bounded}`,
);

// An affine scalar recurrence at the boundary ρ = 1 (a 2-cycle: no early stop), simulated as x' = A x + b.
export const CYCLE_CHECK = fence(
  'title: GD at η = 1/σ², affine simulation',
  String.raw`given: \sigma = 2, y = 1, w_0 = 0, \eta = 1/\sigma^2`,
  String.raw`iterate: w_{t+1} = w_t + 2\eta\sigma(y - \sigma w_t)`,
  String.raw`steps: 10000000`,
  String.raw`claim: \text{bounded} \land \lnot\text{converges}`,
);

// A 50-dimensional GD stability sweep: bounded ⟺ η ≤ 2/λ_max(H), H = XᵀX/m (X of size 100×50), decided per
// sweep point from the spectral radius of the probed update; numpy answers the same question with eigvalsh.
export const SWEEP50_CHECK = fence(
  'title: 50-dimensional GD stability sweep',
  String.raw`given: m = 100, X \sim \mathcal{N}(0, 1)^{100 \times 50}, y \sim \mathcal{N}(0, 1)^{100}, w_0 = \mathbf{0}_{50}`,
  String.raw`let: H = \frac{1}{m} X^\top X, b = \frac{1}{m} X^\top y`,
  String.raw`iterate: w_{t+1} = w_t - \eta (H w_t - b)`,
  String.raw`sweep: \eta \in [0.01, 1]`,
  String.raw`claim: \text{bounded} \iff \eta \le 2/\lambda_{\max}(H)`,
);

// Two slow claims of the seed writeups, as docs/checks.md states them: GD on the linearised loss of seed 000 with the
// gradient written as ∇Loss(w_t) (a 10-dimensional update through the derivative code at every step), and the
// momentum T_ε arg-min of seed 001 (30,000 steps, a 200-point log sweep).
export const SEED000_SWEEP_CHECK = fence(
  'title: Seed 000: GD on the linearised loss is bounded iff s ≤ 2/λ_max(Σ)',
  String.raw`given: \Phi \sim \mathcal{N}(0, 1)^{20 \times 10}, m = 20, w^\star \sim \mathcal{N}(0, 1)^{10}, w_0 = \mathbf{0}_{10}`,
  String.raw`let: g_j = \Phi_j, \quad j = 1, \dots, m`,
  String.raw`  \Sigma = \frac{1}{m}\sum_{j=1}^{m} g_j g_j^\top`,
  String.raw`  \text{Loss}(v) = \frac{1}{2m}\sum_{j=1}^{m} (g_j^\top (v - w^\star))^2`,
  String.raw`iterate: w_{t+1} = w_t - s \nabla \text{Loss}(w_t)`,
  String.raw`sweep: s \in [0.01, 2]`,
  String.raw`claim: \text{bounded} \iff s \le 2/\lambda_{\max}(\Sigma)`,
);

export const MOMENTUM_TEPS_CHECK = fence(
  'title: Momentum: iterations to 99.9 % (seed 001)',
  String.raw`given: \beta = 0.1, \sigma_{\max}^2 = 5, \sigma_{\min}^2 = 0.05, \epsilon = 10^{-3},`,
  String.raw`  X = \begin{bmatrix} \sigma_{\max} & 0 \\ 0 & \sigma_{\min} \end{bmatrix}, y = \begin{bmatrix} 1 \\ 1 \end{bmatrix},`,
  String.raw`  w_0 = \mathbf{0}_2, z_0 = \mathbf{0}_2`,
  String.raw`let: g_t = 2X^\top X w_t - 2X^\top y`,
  String.raw`iterate: z_{t+1} = (1-\beta) z_t + \beta g_t`,
  String.raw`  w_{t+1} = w_t - \eta z_{t+1}`,
  String.raw`steps: 30000`,
  String.raw`sweep: \eta \in [0.001, 4]`,
  String.raw`claim: \arg\min_\eta T_\epsilon(w) \approx 0.0026`,
  String.raw`expect: fail`,
);

const NUMPY_SWEEP50 = String.raw`
import json, time
import numpy as np
rng = np.random.default_rng(1)
def boundary():
    X = rng.standard_normal((100, 50))
    H = X.T @ X / 100
    return 2 / np.linalg.eigvalsh(H)[-1]
boundary()
times = []
for _ in range(5):
    t0 = time.perf_counter()
    b = boundary()
    times.append((time.perf_counter() - t0) * 1000)
times.sort()
print(json.dumps({"ms": times[len(times) // 2], "boundary": float(b)}))
`;

const NUMPY_NTK = String.raw`
import json, time
import numpy as np
rng = np.random.default_rng(0)
def ntk():
    g = rng.standard_normal((500, 40))
    x = g / np.linalg.norm(g, axis=1, keepdims=True)
    c = np.clip(x @ x.T, -1.0, 1.0)
    h = c * (np.pi - np.arccos(c)) / (2 * np.pi)
    return float(np.linalg.eigvalsh(h)[0])
ntk()
times = []
lam = None
for _ in range(7):
    t0 = time.perf_counter()
    lam = ntk()
    times.append((time.perf_counter() - t0) * 1000)
times.sort()
print(json.dumps({"ms": times[len(times) // 2], "lambda_min": lam}))
`;

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function fmtMs(ms) {
  return ms >= 100 ? ms.toFixed(0) : ms.toFixed(1);
}

function loadEngine() {
  if (!existsSync(enginePath)) {
    return { error: `check engine not found at ${path.relative(root, enginePath)} (run \`npx tsc -p .\` first)` };
  }
  try {
    const engine = require(enginePath);
    if (typeof engine.runChecksInText !== 'function') return { error: 'the check engine does not export runChecksInText' };
    return { engine };
  } catch (e) {
    return { error: `cannot load the check engine: ${e instanceof Error ? e.message : String(e)}` };
  }
}

/** Runs the single check of `text` `runs` times (after a warm-up run if asked); last result and median time. */
function timeCheck(engine, text, runs, timeLimitMs, warmUp = true) {
  const once = () => {
    const t0 = performance.now();
    const results = engine.runChecksInText(text, { timeLimitMs, seed: 1 });
    return { ms: performance.now() - t0, result: results[0] };
  };
  let last = warmUp ? once() : undefined;
  const times = [];
  for (let i = 0; i < runs; i++) {
    last = once();
    times.push(last.ms);
  }
  return { ms: median(times), result: last.result };
}

function numpyAvailable() {
  try {
    execFileSync('python3', ['-c', 'import numpy'], { stdio: 'ignore', timeout: 30_000 });
    return true;
  } catch {
    return false;
  }
}

/** Prints the benchmark lines; returns the numbers (undefined where a part could not run). */
export async function benchChecks({ log = console.log } = {}) {
  const out = { ntkOursMs: undefined, ntkNumpyMs: undefined, ratio: undefined, gdItersPerSecond: undefined };
  const loaded = loadEngine();
  if (loaded.error) {
    log(`check benchmarks skipped: ${loaded.error}`);
    return out;
  }
  const { engine } = loaded;

  // (a) NTK λ_min
  // Both sides get one warm-up run (the numpy script calls ntk() once before timing): the steady state is compared.
  // The first, cold run is printed too — it is what a one-shot `math-writeup check` pays.
  const cold = timeCheck(engine, NTK_CHECK, 1, 120_000, false);
  const ntk = timeCheck(engine, NTK_CHECK, 5, 120_000, false);
  if (!ntk.result || ntk.result.status !== 'pass') {
    const why = ntk.result ? `${ntk.result.status}: ${ntk.result.message}` : 'no result';
    log(`NTK λ_min (n=500, d=40): the check did not pass (${why}); timing not reported`);
  } else {
    out.ntkOursMs = ntk.ms;
    let line = `NTK λ_min (n=500, d=40): ours ${fmtMs(ntk.ms)} ms`;
    if (numpyAvailable()) {
      try {
        const res = JSON.parse(execFileSync('python3', ['-c', NUMPY_NTK], { encoding: 'utf8', timeout: 120_000 }));
        out.ntkNumpyMs = res.ms;
        out.ratio = ntk.ms / res.ms;
        line += `, numpy ${fmtMs(res.ms)} ms, ratio ours/numpy ${out.ratio.toFixed(1)}x`;
        line += ` (λ_min ours ${fmtLambda(ntk.result)}, numpy ${res.lambda_min.toExponential(3)}; different random data of the same size;`;
        line += ` our first, cold run ${fmtMs(cold.ms)} ms)`;
      } catch (e) {
        line += `; numpy run failed: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`;
      }
    } else {
      line += '; numpy is not installed (python3 -c "import numpy" failed), no comparison';
    }
    log(line);
  }

  // (b) evaluator throughput on the scalar GD example
  const gd = timeCheck(engine, GD_CHECK, 5, 120_000);
  const iterations = gd.result?.values?.iterations;
  if (!gd.result || gd.result.status !== 'pass') {
    const why = gd.result ? `${gd.result.status}: ${gd.result.message}` : 'no result';
    log(`check evaluator: the scalar GD check did not pass (${why}); throughput not reported`);
  } else if (typeof iterations !== 'number' || iterations <= 0) {
    log('check evaluator: the engine did not report values.iterations; throughput not reported');
  } else {
    out.gdItersPerSecond = iterations / (gd.ms / 1000);
    out.gdMs = gd.ms;
    log(
      `scalar GD sweep check: ${fmtMs(gd.ms)} ms whole check including parsing and plots (${iterations.toLocaleString('en-US')} ` +
        'steps simulated: the verdicts come from the spectral radius, the runs only measure and plot)',
    );
  }

  // (c0) the evaluator itself on the logistic map: the update stepped by the simulation's code (recurrenceOf), without
  // verdicts, storage or plots — compiled closures (faststep.ts), and the interpreter on the same update
  if (typeof engine.recurrenceOf === 'function') {
    const rate = (interpretOnly, steps) => {
      const rec = engine.recurrenceOf(LOGISTIC_CHECK, { interpretOnly, timeLimitMs: 120_000 });
      rec.iterate(Math.min(steps, 100_000));
      const times = [];
      for (let i = 0; i < 3; i++) {
        const t0 = performance.now();
        rec.iterate(steps);
        times.push(performance.now() - t0);
      }
      const ms = median(times);
      return { compiled: rec.compiled, ms, steps, perSecond: steps / (ms / 1000) };
    };
    const fast = rate(false, 10_000_000);
    const slow = rate(true, 1_000_000);
    out.evaluatorItersPerSecond = fast.perSecond;
    out.interpreterItersPerSecond = slow.perSecond;
    log(
      `check evaluator (logistic map w_{t+1} = 3.7 w_t (1 − w_t), ${fast.compiled ? 'compiled scalar step' : 'NOT compiled'}): ` +
        `${Math.round(fast.perSecond).toLocaleString('en-US')} iterations/s of the evaluator itself (${fast.steps.toLocaleString('en-US')} steps in ${fmtMs(fast.ms)} ms); ` +
        `interpreter ${Math.round(slow.perSecond).toLocaleString('en-US')} iterations/s`,
    );
  } else log('check evaluator: the engine does not export recurrenceOf; throughput not reported');

  // (c) the general evaluator on a non-affine recurrence, and the affine simulation at the boundary ρ = 1
  for (const [label, check] of [
    ['general evaluator (logistic map, non-affine)', LOGISTIC_CHECK],
    ['affine simulation (scalar GD at η = 1/σ², 10^7 steps)', CYCLE_CHECK],
  ]) {
    const r = timeCheck(engine, check, 3, 120_000);
    const its = r.result?.values?.iterations;
    if (!r.result || r.result.status !== 'pass' || typeof its !== 'number') {
      log(`${label}: the check did not pass (${r.result ? `${r.result.status}: ${r.result.message}` : 'no result'})`);
      continue;
    }
    const rate = its / (r.ms / 1000);
    if (check === LOGISTIC_CHECK) out.generalItersPerSecond = rate;
    else out.affineItersPerSecond = rate;
    log(`${label}: ${Math.round(rate).toLocaleString('en-US')} iterations/s (${its.toLocaleString('en-US')} iterations in ${fmtMs(r.ms)} ms, whole check)`);
  }

  // (d) 50-dimensional GD stability sweep against numpy's eigvalsh answer
  const sw = timeCheck(engine, SWEEP50_CHECK, 3, 120_000, false);
  if (!sw.result || sw.result.status !== 'pass') {
    log(`50-dimensional GD stability sweep: the check did not pass (${sw.result ? `${sw.result.status}: ${sw.result.message}` : 'no result'})`);
  } else {
    out.sweep50Ms = sw.ms;
    let line = `50-dimensional GD stability sweep (200 points + bisection): ours ${fmtMs(sw.ms)} ms`;
    if (numpyAvailable()) {
      try {
        const res = JSON.parse(execFileSync('python3', ['-c', NUMPY_SWEEP50], { encoding: 'utf8', timeout: 120_000 }));
        out.sweep50NumpyMs = res.ms;
        line += `; numpy eigvalsh boundary 2/λ_max ${fmtMs(res.ms)} ms (its boundary ${res.boundary.toFixed(4)} on its own random data)`;
      } catch (e) {
        line += `; numpy run failed: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`;
      }
    } else line += '; numpy is not installed, no comparison';
    log(line);
  }

  // (e) two slow claims of the seeds (their verdicts are expected: pass, and "refuted as expected")
  for (const [label, check] of [
    ['seed 000 GD sweep with ∇Loss(w_t) (10-dim, 200 points)', SEED000_SWEEP_CHECK],
    ['seed 001 momentum T_ε arg-min (30,000 steps, 200 points)', MOMENTUM_TEPS_CHECK],
  ]) {
    const r = timeCheck(engine, check, 3, 120_000, false);
    if (!r.result || r.result.status !== 'pass') {
      log(`${label}: the check did not pass (${r.result ? `${r.result.status}: ${r.result.message}` : 'no result'})`);
      continue;
    }
    if (check === SEED000_SWEEP_CHECK) out.seed000SweepMs = r.ms;
    else out.momentumArgminMs = r.ms;
    log(`${label}: ${fmtMs(r.ms)} ms whole check`);
  }
  return out;
}

/** λ_min as the engine reports it: a value named like lambda/λ, else the first number after "=" in the message. */
function fmtLambda(result) {
  for (const [k, v] of Object.entries(result.values ?? {})) {
    if (/lambda|λ/i.test(k) && typeof v === 'number') return v.toExponential(3);
  }
  const m = /=\s*(-?\d+(?:\.\d+)?(?:e[-+]?\d+)?)/i.exec(result.message ?? '');
  return m ? Number(m[1]).toExponential(3) : '?';
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await benchChecks();
}
