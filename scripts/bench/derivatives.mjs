// Benchmark of ∇ and ∇² in checks: the same blocks with exact derivatives (the default) and with difference
// quotients only (CheckRunOptions.numericDerivatives, as before exact differentiation skipped the numeric pass).
// Run after `tsc`: `node scripts/bench/derivatives.mjs`. Times are process CPU time per whole check (median and
// minimum of 21 runs after a warm-up), so other processes on the machine disturb them less than wall-clock time.
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(import.meta.url);
const { runChecksInText } = require(path.join(root, 'out', 'src', 'core', 'check', 'index.js'));

const fence = (...lines) => ['```check', ...lines, '```', ''].join('\n');
const seed000 = [
  String.raw`given: \Phi \sim \mathcal{N}(0, 1)^{20 \times 10} \text{fixed}, m = 20, w^\star \sim \mathcal{N}(0, 1)^{10}, w \sim \mathcal{N}(0, 1)^{10}`,
  String.raw`let: \nabla F_j = \Phi_j, \quad j = 1, \dots, m`,
  String.raw`  \Sigma = \frac{1}{m}\sum_{j=1}^{m} \nabla F_j \nabla F_j^\top`,
  String.raw`  \text{Loss}(v) = \frac{1}{2m}\sum_{j=1}^{m} (\nabla F_j^\top (v - w^\star))^2`,
];
const quadratic = [
  String.raw`given: B \sim \mathcal{N}(0, 1)^{50 \times 50}, b \sim \mathcal{N}(0, 1)^{50}, w \sim \mathcal{N}(0, 1)^{50}`,
  String.raw`let: A = \frac{1}{50} B^\top B + I`,
  String.raw`  L(v) = \frac{1}{2} v^\top A v - b^\top v`,
];
export const DERIVATIVE_CHECKS = {
  'seed 000, ∇Loss(w) (p = 10, m = 20), 50 trials': fence(...seed000, 'trials: 50', String.raw`claim: \nabla \text{Loss}(w) = \Sigma (w - w^\star)`),
  'seed 000, the docs block (Σ, ∇, ∇²)': fence(...seed000, String.raw`claim: \Sigma = \frac{1}{m}\Phi^\top\Phi \land \nabla \text{Loss}(w) = \Sigma (w - w^\star) \land \nabla^2 \text{Loss}(w) = \Sigma`),
  '50-dim quadratic, ∇L(w)': fence(...quadratic, String.raw`claim: \nabla L(w) = A w - b`),
  '50-dim quadratic, ∇²L(w)': fence(...quadratic, String.raw`claim: \nabla^2 L(w) = A`),
};

function cpuMs(f) {
  const t0 = process.cpuUsage();
  f();
  const t = process.cpuUsage(t0);
  return (t.user + t.system) / 1000;
}

function time(text, options) {
  const run = () => {
    const [r] = runChecksInText(text, { timeLimitMs: 120000, ...options });
    if (r.status !== 'pass') throw new Error(`${r.status}: ${r.message}`);
    return r;
  };
  const r = run();
  const ts = Array.from({ length: 21 }, () => cpuMs(run)).sort((a, b) => a - b);
  return { median: ts[10], min: ts[0], derivatives: r.values.derivatives };
}

/** `npm run bench derivatives`: each block with exact derivatives (the default) against difference quotients only. */
export async function benchDerivatives({ log = console.log } = {}) {
  for (const [name, text] of Object.entries(DERIVATIVE_CHECKS)) {
    const exact = time(text, {});
    const numeric = time(text, { numericDerivatives: true });
    const f = (x) => `${x.median.toFixed(1)} ms (min ${x.min.toFixed(1)})`;
    log(`derivatives, ${name}: exact ${f(exact)}; numeric only ${f(numeric)} [${numeric.derivatives}]; ratio numeric/exact ${(numeric.median / exact.median).toFixed(1)}x`);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await benchDerivatives();
}
