// The writeups' notation (issue 9, item 2): values at a step, expectations of vectors, per-step vector draws,
// entrywise functions, `0` as a zero vector, sums of outer products — each with numbers against closed forms.
import * as assert from 'node:assert';
import { runChecksInText, type CheckResult } from '../../src/core/check';

function run(body: string, seed = 1): CheckResult {
  const results = runChecksInText(`# T\n\n\`\`\`check\n${body}\n\`\`\`\n`, { seed, timeLimitMs: 20000 });
  assert.strictEqual(results.length, 1);
  return results[0];
}

function passes(body: string, seed = 1): CheckResult {
  const r = run(body, seed);
  assert.strictEqual(r.status, 'pass', r.message);
  return r;
}

describe('check notation', () => {
  it('w_{k}: the value after k steps, also beyond `steps`, and w_{T} with T given', () => {
    passes('given: w_0 = 1, T = 5\niterate: w_{t+1} = 0.5 w_t\nsteps: 3\nclaim: w_{3} = 0.125 \\land w_{T} = 2^{-5} \\land w_{0} = 1');
    const r = run('given: w_0 = 1\niterate: w_{t+1} = 0.5 w_t\nclaim: w_{2.5} = 1');
    assert.strictEqual(r.status, 'error');
    assert.match(r.message, /a step number is a whole number/);
    // vector state, with the step index written as k
    passes('given: x_0 = \\begin{pmatrix} 1 \\\\ 2 \\end{pmatrix}\niterate: x_{k+1} = \\frac{1}{2} x_k\nclaim: x_{2} = \\begin{pmatrix} 0.25 \\\\ 0.5 \\end{pmatrix}');
  });

  it('E[w_500] of noisy linear regression (x_t ~ N(0, I_3) per step) matches (1 − (1−η)^500) u for every seed 1–20', function () {
    this.timeout(120000);
    const body = String.raw`given: \eta = 0.01, u = \begin{pmatrix} 1 \\ -2 \\ 0.5 \end{pmatrix}, w_0 = \mathbf{0}_3,
  x_t \sim \mathcal{N}(0, I_3), \nu_t \sim \mathcal{N}(0, 0.01)
let: y_t = x_t^\top u + \nu_t
iterate: w_{t+1} = w_t - \eta (x_t x_t^\top w_t - x_t y_t)
steps: 500
trials: 30
tolerance: 0.01
claim: \mathbb{E}[w_{500}] \approx (1 - (1-\eta)^{500}) u`;
    for (let seed = 1; seed <= 20; seed++) {
      const r = passes(body, seed);
      assert.match(r.message, /tolerance widened by/);
    }
    // and wrong by a factor 2 it fails for every seed
    for (let seed = 1; seed <= 20; seed += 5) assert.strictEqual(run(body.replace('(1 - (1-\\eta)^{500}) u', '2u'), seed).status, 'fail');
  });

  it('per-step vector draws with a covariance matrix: moments come out exactly', () => {
    // w' = 0.5 w + ξ, ξ ~ N(0, Σ): stationary E[w wᵀ] = Σ / 0.75
    const r = passes(String.raw`given: \Sigma = \begin{bmatrix} 2 & 1 \\ 1 & 2 \end{bmatrix}, w_0 = \mathbf{0}_2, \xi_t \sim \mathcal{N}(0, \Sigma)
iterate: w_{t+1} = 0.5 w_t + \xi_t
claim: \text{bounded} \land \lnot\text{converges}`);
    assert.match(r.message, /E‖x_t‖² → 5\.33333/);
    const bad = run(String.raw`given: \Sigma = \begin{bmatrix} 1 & 2 \\ 2 & 1 \end{bmatrix}, w_0 = \mathbf{0}_2, \xi_t \sim \mathcal{N}(0, \Sigma)
iterate: w_{t+1} = 0.5 w_t + \xi_t
claim: \text{bounded}`);
    assert.strictEqual(bad.status, 'error');
    assert.match(bad.message, /not positive semidefinite/);
  });

  it('entrywise functions, ReLU, `0` as a zero vector, sums of outer products', () => {
    passes(String.raw`given: v = \begin{pmatrix} 0 \\ -1 \\ 2 \end{pmatrix}
claim: \exp(v) = \begin{pmatrix} 1 \\ e^{-1} \\ e^2 \end{pmatrix} \land \operatorname{sgn}(v) = \begin{pmatrix} 0 \\ -1 \\ 1 \end{pmatrix} \land \min(0, v) = \begin{pmatrix} 0 \\ -1 \\ 0 \end{pmatrix} \land \max(v) = 2`);
    const logNeg = run(String.raw`given: v = \begin{pmatrix} 1 \\ -1 \end{pmatrix}
claim: \log(v) = v`);
    assert.strictEqual(logNeg.status, 'fail');
    assert.match(logNeg.message, /undefined: log of a negative number/);
    passes(String.raw`given: X \sim \mathcal{N}(0, 1)^{20 \times 10}, m = 20
let: \Sigma = \frac{1}{m}\sum_{j=1}^{m} X_j X_j^\top
claim: \Sigma = \frac{1}{m} X^\top X \land \Sigma - \frac{1}{m} X^\top X = 0`);
    const sq = run(String.raw`given: A = \begin{bmatrix} 1 & 0 \\ 0 & 1 \end{bmatrix}
claim: \exp(A) = A`);
    assert.strictEqual(sq.status, 'error');
    assert.match(sq.message, /matrix exponential/);
    // √ of a vector is entrywise (√λ(XᵀX) are the singular values); of a matrix it is ambiguous and says both spellings
    passes(String.raw`given: X = \begin{bmatrix} 3 & 0 \\ 0 & 2 \end{bmatrix}
claim: \sqrt{\lambda(X^\top X)} = (3, 2) \land \sqrt{(16, 0.25)} = (4, 0.5)`);
    const sqrtM = run(String.raw`given: A = \begin{bmatrix} 4 & 0 \\ 0 & 9 \end{bmatrix}
claim: \sqrt{A} = A`);
    assert.strictEqual(sqrtM.status, 'error');
    assert.match(sqrtM.message, /ambiguous .*\\sqrt\{A_\{ij\}\}.*\\operatorname\{diag\}\(\\sqrt\{\\lambda\(A\)\}\)/);
  });

  it('∇ of a function of a vector: gradient of the shape of the argument, in claim and iterate; the writeup versions fail', function () {
    this.timeout(60000);
    const base = String.raw`given: \Phi \sim \mathcal{N}(0, 1)^{20 \times 10}, m = 20, w^\star \sim \mathcal{N}(0, 1)^{10}, w_0 = \mathbf{0}_{10}
let: g_j = \Phi_j, \quad j = 1, \dots, m
  \Sigma = \frac{1}{m}\sum_{j=1}^{m} g_j g_j^\top
  \text{Loss}(v) = \frac{1}{2m}\sum_{j=1}^{m} (g_j^\top (v - w^\star))^2
`;
    passes(base + String.raw`claim: \nabla \text{Loss}(w_0) = -\Sigma w^\star \land \nabla^2 \text{Loss}(w_0) = \Sigma`);
    const gd = base + String.raw`iterate: w_{t+1} = w_t - s \nabla \text{Loss}(w_t)
sweep: s \in [0.01, 2]
claim: \text{bounded} \iff s \le 2/\lambda_{\max}(\Sigma)`;
    const r = passes(gd);
    assert.match(r.message, /empirical boundary s = ([0-9.]+); claimed 2\/λ_\{max\}\(Σ\) = \1/);
    const wrong = run(gd.replace('s \\le 2/\\lambda_{\\max}(\\Sigma)', '\\|I + s\\Sigma\\|_2 < 1'));
    assert.strictEqual(wrong.status, 'fail', wrong.message);
    assert.match(wrong.message, /is false throughout/);
    const vecValued = run(String.raw`given: w = (1, 2)
let: f(v) = 2v
claim: \nabla f(w) = 0`);
    assert.strictEqual(vecValued.status, 'error');
    assert.match(vecValued.message, /∇ of `f` needs a scalar function, but it gives a 2-vector/);
  });

  it('an RNN-style tanh recurrence stays within ‖U‖₂ max‖x‖ / (1 − ‖W‖₂)', () => {
    // h' = tanh(W h + U x) with ‖W‖₂ = 0.5: |tanh| is 1-Lipschitz, so ‖h_t‖ ≤ ‖U‖₂ ‖x‖ / (1 − 0.5) from h₀ = 0
    for (let seed = 1; seed <= 5; seed++) {
      passes(String.raw`given: G \sim \mathcal{N}(0, 1)^{8 \times 8}, U \sim \mathcal{N}(0, 1)^{8 \times 3}, x \sim \mathcal{N}(0, 1)^{3}, h_0 = \mathbf{0}_8
let: W = \frac{0.5}{\|G\|_2} G
iterate: h_{t+1} = \tanh(W h_t + U x)
steps: 60
claim: \|h_{60}\| \le \frac{\|U\|_2 \|x\|}{1 - 0.5} \land \text{bounded}`, seed);
    }
  });
});

describe('statements over all steps (\\max_t, \\min_t, \\sum_t, \\forall t)', () => {
  const rnn = (claim: string, extra = '') => String.raw`given: M \sim \mathcal{N}(0, 1)^{8 \times 8}, W = \frac{0.5}{\|M\|_2} M, U \sim \mathcal{N}(0, 1)^{8 \times 3},
  h_0 = \mathbf{0}_8, x_t \sim \mathcal{N}(0, I_3)
iterate: h_{t+1} = \tanh(W h_t + U x_t)
steps: 60
${extra}claim: ${claim}`;

  it('max, min, sums and for-all over the iterates of w_t = 2^{-t} match the closed forms', () => {
    const r = passes(String.raw`given: w_0 = 1
iterate: w_{t+1} = 0.5 w_t
steps: 10
claim: \max_{t \le 10} |w_t| = 1 \land \min_t w_t = 2^{-10} \land \sum_{t=0}^{10} w_t^2 = \frac{1 - 0.25^{11}}{0.75} \land (\forall t < 10: w_{t+1} = 0.5 w_t) \land \max_{2 \le t \le 4} w_t = 0.25 \land \min_{t=3}^{5} w_t = 2^{-5}`);
    assert.match(r.message, /holds at every step t = 0…9/);
    assert.deepStrictEqual(r.values['min of w_t over t = 0…10'], { value: 2 ** -10, at: 10 });
    // a false for-all names the first failing step and its numbers: 2^{-7} = 0.0078125 < 0.01
    const f = run('given: w_0 = 1\niterate: w_{t+1} = 0.5 w_t\nclaim: \\forall t \\le 10: w_t \\ge 0.01');
    assert.strictEqual(f.status, 'fail');
    assert.match(f.message, /fails at t = 7 \(of 0…10\): w_t = 0\.0078125 < 0\.01/);
  });

  it('the step letter is the writeup\'s own; vector iterates; bounds from givens', () => {
    passes(String.raw`given: x_0 = \begin{pmatrix} 1 \\ 2 \end{pmatrix}, T = 20
iterate: x_{k+1} = \frac{1}{2} x_k
steps: 5
claim: \sum_{k=0}^{T} \|x_k\|^2 = 5 \frac{1 - 0.25^{21}}{0.75} \land \max_{1 \le k \le T} \|x_k\| = \frac{\sqrt{5}}{2} \land \forall k \le T: \|x_k\| \le \sqrt{5}`);
  });

  it('per-step draws in a claim are the draws of the run: w_{t+1} = w_t + ξ_t for every seed', () => {
    for (let seed = 1; seed <= 5; seed++) {
      passes(String.raw`given: w_0 = 0, \xi_t \sim \mathcal{N}(0, 1)
iterate: w_{t+1} = w_t + \xi_t
steps: 50
claim: (\forall t < 50: w_{t+1} = w_t + \xi_t) \land w_{50} = \sum_{t=0}^{49} \xi_t \land \xi_{3} = w_{4} - w_{3} \land \max_t |\xi_t| \ge |\xi_{7}|`, seed);
    }
  });

  it('the RNN bound max_{t≤60} ‖h_t‖ ≤ ‖U‖₂ max_t‖x_t‖ / (1 − 0.5) holds for seeds 1–20 (on every trial); ten times smaller fails with its numbers', function () {
    this.timeout(120000);
    const claim = String.raw`\max_{t \le 60} \|h_t\| \le \frac{\|U\|_2 \max_t\|x_t\|}{1 - 0.5}`;
    for (let seed = 1; seed <= 20; seed++) {
      const r = passes(rnn(claim), seed);
      // the left side is at most √8 (tanh), the right side positive: the message carries both numbers
      const m = /max_\{t ≤ 60\} ‖h_t‖ = ([\d.]+) ≤ ([\d.]+)/.exec(r.message);
      assert.ok(m, r.message);
      assert.ok(Number(m[1]) <= Math.sqrt(8) && Number(m[1]) > 0 && Number(m[2]) > Number(m[1]));
    }
    passes(rnn(claim, 'trials: 20\n'), 3);
    for (let seed = 1; seed <= 20; seed++) {
      const r = run(rnn(String.raw`\forall t \le 60: \|h_t\| \le 0.1 \|U\|_2 \max_s \|x_s\|`), seed);
      assert.strictEqual(r.status, 'fail', r.message);
      const m = /fails at t = (\d+) \(of 0…60\): ‖h_t‖ = ([\d.]+) > ([\d.]+)/.exec(r.message);
      assert.ok(m, r.message);
      assert.ok(Number(m[2]) > Number(m[3]));
      const bad = run(rnn(String.raw`\max_{t \le 60} \|h_t\| \le 0.1 \|U\|_2 \max_t\|x_t\|`), seed);
      assert.strictEqual(bad.status, 'fail', bad.message);
    }
  });

  it('a range of steps written as a set, t ∈ {1, …, T} or {0, 1, …, T}, is the range a ≤ t ≤ b', () => {
    const body = (claim: string) => String.raw`given: w_0 = 1
iterate: w_{t+1} = 0.5 w_t
steps: 20
claim: ${claim}`;
    const r = passes(body(String.raw`(\forall t \in \{1, \dots, 10\}: w_t \le 0.5) \land \max_{t \in \{0, 1, \dots, 5\}} w_t = 1 \land \min_{k \in \{2, \dots, 4\}} w_k = 2^{-4}`));
    assert.match(r.message, /t = 1…10/);
    // the range starts where it says: t = 0 (w_0 = 1) is outside {1, …, 10}, inside {0, …, 10}
    assert.strictEqual(run(body(String.raw`\forall t \in \{0, \dots, 10\}: w_t \le 0.5`)).status, 'fail');
    // a set that is not a run of steps says how to write one
    const bad = run(body(String.raw`\forall t \in \{0, 2, \dots, 10\}: w_t \le 1`));
    assert.strictEqual(bad.status, 'error');
    assert.match(bad.message, /a range of steps is written \\\{a, \\dots, b\\\}/);
  });

  it('unbound steps and empty ranges are errors that say what to write', () => {
    const free = run('given: w_0 = 1\niterate: w_{t+1} = 0.5 w_t\nclaim: w_t \\ge 0.01');
    assert.strictEqual(free.status, 'error');
    assert.match(free.message, /free t; bind t \(\\max_\{t \\le T\}/);
    const draw = run('given: w_0 = 1, \\xi_t \\sim \\mathcal{N}(0, 1)\niterate: w_{t+1} = 0.5 w_t + \\xi_t\nclaim: \\xi_t \\le 10');
    assert.strictEqual(draw.status, 'error');
    assert.match(draw.message, /drawn afresh at every step: in a claim, use it over the steps/);
    const empty = run('given: w_0 = 1\niterate: w_{t+1} = 0.5 w_t\nclaim: \\max_{t < 0} w_t \\ge 0');
    assert.strictEqual(empty.status, 'error');
    assert.match(empty.message, /the range of `t` is empty/);
    const noIter = run('claim: \\forall t \\le 3: t \\ge 0');
    assert.strictEqual(noIter.status, 'error');
    assert.match(noIter.message, /ranges over the steps of an `iterate`/);
  });
});

describe('\\arg\\min_t and \\arg\\max_t over the steps', () => {
  it('the step of the extreme, the first one on a tie; a wrong step fails with Q at both steps', () => {
    // w_t − 1 = 8 (−0.5)^t: |w_t − 1| falls at every step, w_t alternates around 1
    const osc = 'given: w_0 = 9\niterate: w_{t+1} = -0.5 (w_t - 1) + 1\nsteps: 20\n';
    passes(`${osc}claim: \\arg\\min_{t \\le 20} |w_t - 1| = 20 \\land \\arg\\max_t w_t = 0 \\land \\arg\\min_{1 \\le t \\le 6} w_t = 1 \\land \\arg\\max_{t \\ge 1} |w_t - 1| = 1 \\land \\arg\\min_{t < 10} |w_t - 1| = 9`);
    const wrong = run(`${osc}claim: \\arg\\min_{t \\le 20} |w_t - 1| = 12`);
    assert.strictEqual(wrong.status, 'fail');
    assert.match(wrong.message, /argmin_\{t ≤ 20\} \|w_t - 1\| = 20 ≠ 12; \|w_t - 1\| = 7\.6294e−6 at t = 20 \(the first step of the min\), 0\.00195313 at the claimed t = 12/);
    // ties: |w_t| = 1 at every step of w_{t+1} = −w_t; the first step of the range wins
    const flip = 'given: w_0 = 1\niterate: w_{t+1} = -w_t\nsteps: 10\n';
    passes(`${flip}claim: \\arg\\min_t |w_t| = 0 \\land \\arg\\min_{3 \\le t \\le 10} |w_t| = 3 \\land \\arg\\max_t w_t = 0 \\land \\arg\\min_t w_t = 1 \\land \\arg\\max_{t > 4} w_t = 6`);
    // for each value of a set and at every point of a sweep
    const each = passes('given: a \\in \\{0.5, -0.5\\}, w_0 = 9\niterate: w_{t+1} = a (w_t - 1) + 1\nsteps: 20\nclaim: \\arg\\min_t |w_t - 1| = 20 \\land \\arg\\max_t w_t = 0');
    assert.match(each.message, /holds for all 2 combinations: a = 0\.5: argmin_t \|w_t - 1\| = 20 = 20; \|w_t - 1\| = 7\.6294e−6 at t = 20 \(the first step of the min\);/);
    // (for a < 0.5, w_t − 1 reaches exactly 0 before step 20 in floating point: the tie then goes to the first such step)
    passes('given: w_0 = 9\niterate: w_{t+1} = a (w_t - 1) + 1\nsteps: 20\nsweep: a \\in [0.5, 0.9]\nclaim: \\arg\\max_t |w_t - 1| = 0 \\land \\arg\\min_t |w_t - 1| = 20');
    const neg = run('given: w_0 = 9\niterate: w_{t+1} = a (w_t - 1) + 1\nsteps: 20\nsweep: a \\in [-0.9, 0.9]\nclaim: \\arg\\min_t w_t = 20');
    assert.strictEqual(neg.status, 'fail');
    assert.match(neg.message, /at a = −0\.9: argmin_t w_t = 1 ≠ 20; w_t = −6\.2 at t = 1 \(the first step of the min\), 1\.97261 at the claimed t = 20/);
    // with per-step draws: the step where the random walk is highest, checked against \max_t on the same run
    for (let seed = 1; seed <= 5; seed++) {
      passes(String.raw`given: w_0 = 0, \xi_t \sim \mathcal{N}(0, 1)
iterate: w_{t+1} = w_t + \xi_t
steps: 200
claim: w_{\arg\max_t w_t} = \max_t w_t \land \forall s \le 200: w_s \le \max_t w_t`, seed);
    }
  });
});

describe('draws held fixed over trials (\\text{fixed}) and draws named σ_i', () => {
  const ls = (fixed: string) => String.raw`given: \Phi \sim \mathcal{N}(0, 1)^{6 \times 3}${fixed}, w^\star = \begin{pmatrix} 1 \\ -1 \\ 2 \end{pmatrix}, \nu \sim \mathcal{N}(0, 1)^{6}
let: \hat w = (\Phi^\top \Phi)^{-1} \Phi^\top (\Phi w^\star + \nu)
trials: 4000
tolerance: 0.02
claim: \mathbb{E}[\hat w] \approx w^\star \land \mathbb{E}[(\hat w - w^\star)(\hat w - w^\star)^\top] \approx (\Phi^\top \Phi)^{-1}`;

  it('Cov[ŵ | Φ] = (ΦᵀΦ)⁻¹ with Φ fixed passes for seeds 1–20; with Φ redrawn per trial it fails', function () {
    this.timeout(120000);
    for (let seed = 1; seed <= 20; seed++) passes(ls(' \\text{fixed}'), seed);
    for (let seed = 1; seed <= 5; seed++) assert.strictEqual(run(ls(''), seed).status, 'fail');
  });

  it('a fixed draw is the same in every trial, the others are redrawn', () => {
    // Var over trials of a fixed draw is 0; of a redrawn one it is 1 (within 3 standard errors at 4000 trials)
    passes(String.raw`given: a \sim \mathcal{N}(0, 1) \text{fixed}, b \sim \mathcal{N}(0, 1)
trials: 4000
tolerance: 0.01
claim: \mathbb{E}[a^2] - \mathbb{E}[a]^2 = 0 \land \mathbb{E}[b] \approx 0`);
    const r = run(String.raw`given: a \sim \mathcal{N}(0, 1) \text{fixed}, b \sim \mathcal{N}(0, 1)
trials: 50
claim: a \ne b`);
    assert.strictEqual(r.status, 'pass', r.message);
  });

  it('with an iterate: data drawn once, noise per step; fixed depends only on fixed; per-step cannot be fixed', () => {
    passes(String.raw`given: A \sim \mathcal{U}(0, 0.5)^{2 \times 2} \text{fixed}, w_0 = \mathbf{0}_2, \xi_t \sim \mathcal{N}(0, I_2)
iterate: w_{t+1} = A w_t + \xi_t
trials: 5
claim: \text{bounded}`);
    const dep = run(String.raw`given: n \sim \mathcal{U}(1, 2), \Phi \sim \mathcal{N}(0, n)^{3 \times 3} \text{fixed}
trials: 3
claim: \|\Phi\| \ge 0`);
    assert.strictEqual(dep.status, 'error');
    assert.match(dep.message, /`\\Phi` is fixed over the trials but depends on `n`, which is redrawn in every trial/);
    const ps = run(String.raw`given: w_0 = 0, \xi_t \sim \mathcal{N}(0, 1) \text{fixed}
iterate: w_{t+1} = 0.5 w_t + \xi_t
claim: \text{bounded}`);
    assert.strictEqual(ps.status, 'error');
    assert.match(ps.message, /drawn afresh at every step; \\text\{fixed\} holds a draw over the trials/);
  });

  it('a draw may be named σ_i (a subscript that is not the step index)', () => {
    passes(String.raw`given: \sigma_i \sim \mathcal{U}(1, 2), \sigma_{\max} = 3
trials: 20
claim: 1 \le \sigma_i \le 2 < \sigma_{\max}`);
    passes(String.raw`given: \sigma_i \sim \mathcal{U}(0.1, 0.9), w_0 = 1
iterate: w_{t+1} = \sigma_i w_t
claim: \text{converges} \land \text{rate} = \sigma_i`);
  });
});

describe('eigenvalues as a vector, λ_i, eigenvectors', () => {
  it('closed forms: symmetric, triangular, random symmetric (trace, determinant, orthogonality, A = QΛQᵀ)', () => {
    passes(String.raw`given: A = \begin{bmatrix} 2 & 1 \\ 1 & 2 \end{bmatrix}, B = \begin{bmatrix} 2 & 1 \\ 0 & 3 \end{bmatrix}
claim: \lambda(A) = \begin{pmatrix} 3 \\ 1 \end{pmatrix} \land \operatorname{eigvec}_1(A) = \frac{1}{\sqrt{2}}\begin{pmatrix} 1 \\ 1 \end{pmatrix} \land \operatorname{eigvec}_2(A) = \frac{1}{\sqrt{2}}\begin{pmatrix} 1 \\ -1 \end{pmatrix} \land \lambda(B) = \begin{pmatrix} 3 \\ 2 \end{pmatrix} \land \operatorname{eigvec}_1(B) = \frac{1}{\sqrt{2}}\begin{pmatrix} 1 \\ 1 \end{pmatrix} \land \operatorname{eigvec}_2(B) = \begin{pmatrix} 1 \\ 0 \end{pmatrix}`);
    for (let seed = 1; seed <= 5; seed++) {
      passes(String.raw`given: Z \sim \mathcal{N}(0, 1)^{5 \times 5}, S = Z + Z^\top
let: Q = \operatorname{eigvec}(S)
claim: \sum_{i=1}^{5} \lambda_i(S) = \operatorname{Tr}(S) \land \prod_{i=1}^{5} \lambda_i(S) = \det S \land Q^\top Q = I_5 \land Q \operatorname{diag}(\lambda(S)) Q^\top = S \land \lambda_1(S) = \lambda_{\max}(S) \land \lambda_5(S) = \lambda_{\min}(S) \land \lambda_1(Z^\top Z) = \|Z\|_2^2`, seed);
    }
  });

  it('complex eigenvalues are undefined (fail with the reason), a bad index is an error, a defined λ stays a number', () => {
    const c = run(String.raw`given: R = \begin{bmatrix} 0 & -1 \\ 1 & 0 \end{bmatrix}
claim: \lambda_1(R) = 1`);
    assert.strictEqual(c.status, 'fail');
    assert.match(c.message, /complex eigenvalues/);
    const idx = run(String.raw`given: A = \begin{bmatrix} 2 & 1 \\ 1 & 2 \end{bmatrix}
claim: \lambda_3(A) = 1`);
    assert.strictEqual(idx.status, 'error');
    assert.match(idx.message, /an eigenvalue index is a whole number from 1 to 2, got 3/);
    passes(String.raw`given: \lambda = 0.5, a = 4
claim: \lambda(a + 2) = 3`);
  });
});

describe('sweep bounds from random givens', () => {
  it('[0.01, 3/L] with L drawn is gridded per trial: the boundary 2/L is found in every trial; 1.9/L fails', () => {
    for (let seed = 1; seed <= 3; seed++) {
      const r = passes(String.raw`given: L \sim \mathcal{U}(1, 4), w_0 = 1
iterate: w_{t+1} = (1 - \eta L) w_t
sweep: \eta \in [0.01, 3/L]
trials: 5
claim: \text{converges} \iff \eta < 2/L`, seed);
      const m = /empirical boundary η = ([\d.]+); claimed 2\/L = ([\d.]+)/.exec(r.message);
      assert.ok(m, r.message);
      assert.ok(Math.abs(Number(m[1]) - Number(m[2])) < 1e-5 && Number(m[1]) > 0.5 && Number(m[1]) < 2);
    }
    const f = run(String.raw`given: L \sim \mathcal{U}(1, 4), w_0 = 1
iterate: w_{t+1} = (1 - \eta L) w_t
sweep: \eta \in [0.01, 3/L]
trials: 5
claim: \text{converges} \iff \eta < 1.9/L`);
    assert.strictEqual(f.status, 'fail');
    assert.match(f.message, /fails in 5 of 5 cases/);
  });
});

describe('\\nabla F_j as a name in `let`', () => {
  it('Σ = (1/m) Σ_j ∇F_j ∇F_jᵀ equals ΦᵀΦ/m, ∇Loss = Σ(w − w*) with Loss written in ∇F_j; the wrong sign fails', () => {
    const body = (rhs: string) => String.raw`given: \Phi \sim \mathcal{N}(0, 1)^{20 \times 10} \text{fixed}, m = 20, w^\star \sim \mathcal{N}(0, 1)^{10}, w \sim \mathcal{N}(0, 1)^{10}
let: \nabla F_j = \Phi_j, \quad j = 1, \dots, m
  \Sigma = \frac{1}{m}\sum_{j=1}^{m} \nabla F_j \nabla F_j^\top
  \text{Loss}(v) = \frac{1}{2m}\sum_{j=1}^{m} (\nabla F_j^\top (v - w^\star))^2
trials: 3
claim: \Sigma = \frac{1}{m}\Phi^\top\Phi \land \nabla F_3 = \Phi_3 \land \nabla \text{Loss}(w) = ${rhs}`;
    for (let seed = 1; seed <= 5; seed++) {
      passes(body(String.raw`\Sigma (w - w^\star)`), seed);
      assert.strictEqual(run(body(String.raw`-\Sigma (w - w^\star)`), seed).status, 'fail');
    }
    // without an index, and next to a real gradient
    passes(String.raw`given: x = 2
let: \nabla G = 5, f(x) = x^2
claim: \nabla G = 5 \land \nabla f(x) = 4`);
  });
});
