// Benchmarks of the numeric-check engine (issue 3), run by `npm run bench` after `tsc` (it loads the compiled
// engine from out/src/core/check/index.js):
//   (a) the NTK example — H∞_ij = x_iᵀx_j(π − arccos(x_iᵀx_j))/(2π) for n = 500 unit vectors in R⁴⁰ and
//       λ_min(H∞) — through the engine, against the same computation in Python/numpy when numpy is installed;
//   (b) evaluator throughput: iterations per second of the scalar gradient-descent recurrence.
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

export const NTK_CHECK = String.raw`
~~~check
title: NTK Gram matrix is positive definite
given: n = 500, d = 40, G \sim \mathcal{N}(0, 1)^{n \times d}
let: x_i = \frac{G_i}{\|G_i\|}
let: H_{ij} = \frac{x_i^\top x_j (\pi - \arccos(x_i^\top x_j))}{2\pi}
claim: \lambda_{\min}(H) > 0
~~~
`;

/** Steps of the throughput run; the engine must run them all (convergence is judged over the whole run). */
export const GD_STEPS = 200_000;

export const GD_CHECK = String.raw`
~~~check
title: Scalar GD converges for η = 0.1
given: \sigma = 2, y = 1, w_0 = 0, \eta = 0.1
iterate: w_{t+1} = w_t + 2\eta\sigma(y - \sigma w_t)
steps: ${GD_STEPS}
claim: \text{converges}
~~~
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

/** Runs the single check of `text` `runs` times (after one warm-up); returns the last result and the median time. */
function timeCheck(engine, text, runs, timeLimitMs) {
  const once = () => {
    const t0 = performance.now();
    const results = engine.runChecksInText(text, { timeLimitMs, seed: 1 });
    return { ms: performance.now() - t0, result: results[0] };
  };
  let last = once();
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
  const ntk = timeCheck(engine, NTK_CHECK, 3, 120_000);
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
        line += ` (λ_min ours ${fmtLambda(ntk.result.values)}, numpy ${res.lambda_min.toExponential(3)}; different random data of the same size)`;
      } catch (e) {
        line += `; numpy run failed: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`;
      }
    } else {
      line += '; numpy is not installed (python3 -c "import numpy" failed), no comparison';
    }
    log(line);
  }

  // (b) evaluator throughput on the scalar GD recurrence
  const gd = timeCheck(engine, GD_CHECK, 3, 120_000);
  if (!gd.result || gd.result.status !== 'pass') {
    const why = gd.result ? `${gd.result.status}: ${gd.result.message}` : 'no result';
    log(`check evaluator: the scalar GD check did not pass (${why}); throughput not reported`);
  } else {
    out.gdItersPerSecond = GD_STEPS / (gd.ms / 1000);
    log(`check evaluator: ${Math.round(out.gdItersPerSecond).toLocaleString('en-US')} iterations/s (scalar GD, ${GD_STEPS.toLocaleString('en-US')} steps in ${fmtMs(gd.ms)} ms, whole check)`);
  }
  return out;
}

function fmtLambda(values) {
  for (const [k, v] of Object.entries(values ?? {})) {
    if (/lambda|λ|min/i.test(k) && typeof v === 'number') return v.toExponential(3);
  }
  return '?';
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await benchChecks();
}
