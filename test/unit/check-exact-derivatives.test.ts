// Exact derivatives (issue 9, item 2): ∇ and ∇² of let-functions by forward mode on the check AST, against closed
// forms with a relative tolerance of 10⁻¹² and no derivative slack; unsupported expressions fall back to the
// difference quotient and say so in `values.derivatives`.
import * as assert from 'node:assert';
import { runChecksInText, type CheckResult } from '../../src/core/check';

function run(body: string, seed = 1): CheckResult {
  const results = runChecksInText(`# T\n\n\`\`\`check\n${body}\n\`\`\`\n`, { seed, timeLimitMs: 20000 });
  assert.strictEqual(results.length, 1);
  return results[0];
}

function exact(body: string, seed = 1): CheckResult {
  const r = run(body, seed);
  assert.strictEqual(r.status, 'pass', r.message);
  assert.strictEqual(r.values.derivatives, 'exact', JSON.stringify(r.values));
  assert.strictEqual(r.values.derivativeErrorEstimate, undefined);
  return r;
}

const quadratic = String.raw`given: A = \begin{bmatrix} 4 & 1 & 0.5 \\ 1 & 3 & -0.25 \\ 0.5 & -0.25 & 2 \end{bmatrix}, b = \begin{pmatrix} 1 \\ -2 \\ 0.3 \end{pmatrix}, w \sim \mathcal{N}(0, 1)^{3}
let: L(v) = \frac{1}{2} v^\top A v - b^\top v
trials: 5
tolerance: 1e-12
`;

describe('exact derivatives', () => {
  it('gradient of ½wᵀAw − bᵀw is Aw − b and its Hessian is A, exactly', () => {
    exact(quadratic + String.raw`claim: \nabla L(w) = A w - b \land \nabla^2 L(w) = A`);
    // tolerance 10⁻¹⁵: the Hessian of a quadratic is A to the last bit
    exact(quadratic.replace('1e-12', '1e-15') + String.raw`claim: \nabla^2 L(w) = A`);
    // a claim wrong by one part in 10⁹ fails: no derivative slack is added
    const off = run(quadratic + String.raw`claim: \nabla L(w) = (1 + 10^{-9}) (A w - b)`);
    assert.strictEqual(off.status, 'fail', off.message);
  });

  it('gradient of the logistic loss', () => {
    const body = String.raw`given: a = \begin{pmatrix} 1 \\ -0.5 \end{pmatrix}, c = \begin{pmatrix} 0.3 \\ 2 \end{pmatrix}, y = 1, z = -1, w \sim \mathcal{N}(0, 1)^{2}
let: L(v) = \log(1 + \exp(-y a^\top v)) + \log(1 + \exp(-z c^\top v))
  g(v) = -\frac{y}{1 + \exp(y a^\top v)} a - \frac{z}{1 + \exp(z c^\top v)} c
trials: 10
tolerance: 1e-12
claim: \nabla L(w) = g(w)`;
    exact(body);
    assert.strictEqual(run(body.replace('- \\frac{z}', '+ \\frac{z}')).status, 'fail');
  });

  it('tanh / exp / log compositions: first and second derivatives', () => {
    exact(String.raw`given: x = 0.7
let: f(u) = \tanh(\exp(u)) + \log(1 + u^2) + \sqrt{u} \sin(u)
tolerance: 1e-12
claim: \nabla f(x) = (1 - \tanh(\exp(x))^2) \exp(x) + \frac{2x}{1 + x^2} + \frac{\sin(x)}{2\sqrt{x}} + \sqrt{x}\cos(x)`);
    exact(String.raw`given: x = -0.4
let: f(u) = \tanh(u)
  h(u) = \exp(2u) / (1 + u^2)
tolerance: 1e-12
claim: \nabla^2 f(x) = -2\tanh(x)(1 - \tanh(x)^2) \land \nabla^2 h(x) = \exp(2x) (\frac{4}{1 + x^2} - \frac{8x}{(1 + x^2)^2} + \frac{8x^2}{(1 + x^2)^3} - \frac{2}{(1 + x^2)^2})`);
  });

  it('entrywise tanh of a linear map, called through another let-function', () => {
    // L(v) = Σ_i tanh((Wv)_i) u_i with the sum written as an inner product; ∇L = Wᵀ diag(1 − tanh²(Wv)) u
    exact(String.raw`given: W = \begin{bmatrix} 1 & 2 \\ -0.5 & 0.25 \end{bmatrix}, u = \begin{pmatrix} 1 \\ 3 \end{pmatrix}, w = \begin{pmatrix} 0.2 \\ -0.1 \end{pmatrix}
let: h(v) = \tanh(W v)
  L(v) = u^\top h(v)
  s_1 = 1 - \tanh(0.2 + 2(-0.1))^2, s_2 = 1 - \tanh(-0.1 - 0.025)^2
tolerance: 1e-12
claim: \nabla L(w) = \begin{pmatrix} s_1 - 1.5 s_2 \\ 2 s_1 + 0.75 s_2 \end{pmatrix}`);
  });

  it('seed 000: ∇ of Loss(w) = 1/(2m) Σ_j (∇F_jᵀ(w − w*))² is Σ(w − w*) exactly; the writeup sign fails', () => {
    const body = (rhs: string) => String.raw`given: \Phi \sim \mathcal{N}(0, 1)^{20 \times 10} \text{fixed}, m = 20, w^\star \sim \mathcal{N}(0, 1)^{10}, w \sim \mathcal{N}(0, 1)^{10}
let: \nabla F_j = \Phi_j, \quad j = 1, \dots, m
  \Sigma = \frac{1}{m}\sum_{j=1}^{m} \nabla F_j \nabla F_j^\top
  \text{Loss}(v) = \frac{1}{2m}\sum_{j=1}^{m} (\nabla F_j^\top (v - w^\star))^2
trials: 3
tolerance: 1e-12
claim: \nabla \text{Loss}(w) = ${rhs} \land \nabla^2 \text{Loss}(w) = \Sigma`;
    for (let seed = 1; seed <= 3; seed++) {
      exact(body(String.raw`\Sigma (w - w^\star)`), seed);
      assert.strictEqual(run(body(String.raw`-\Sigma (w - w^\star)`), seed).status, 'fail');
    }
  });

  it('‖v‖² and quotients by a function of the argument', () => {
    exact(String.raw`given: w = \begin{pmatrix} 1 \\ 2 \\ -1 \end{pmatrix}
let: f(v) = \frac{\|v\|^2}{1 + \|v\|^2}
tolerance: 1e-12
claim: \nabla f(w) = \frac{2 w}{(1 + 6)^2}`);
  });

  it('in `iterate`: gradient descent on a quadratic equals (I − sA)^t w₀ to 10⁻¹²; sigmoid differentiates exactly', () => {
    exact(String.raw`given: A = \begin{bmatrix} 2 & 0.5 \\ 0.5 & 1 \end{bmatrix}, w_0 = \begin{pmatrix} 1 \\ -1 \end{pmatrix}
let: L(v) = \frac{1}{2} v^\top A v
iterate: w_{t+1} = w_t - 0.1 \nabla L(w_t)
steps: 10
tolerance: 1e-12
claim: w_{10} = (I - 0.1 A)^{10} w_0`);
    exact(String.raw`given: x = 0.3
let: f(u) = \operatorname{sigmoid}(2u)
tolerance: 1e-12
claim: \nabla f(x) = \frac{2 \exp(-0.6)}{(1 + \exp(-0.6))^2}`);
  });

  it('falls back to difference quotients (and says so) where no exact rule applies', () => {
    const r = run(String.raw`given: w = \begin{pmatrix} 1 \\ -2 \end{pmatrix}
let: f(v) = \|v\|_1
claim: \nabla f(w) = \begin{pmatrix} 1 \\ -1 \end{pmatrix}`);
    assert.strictEqual(r.status, 'pass', r.message);
    assert.match(String(r.values.derivatives), /^numeric ± /);
    assert.ok(typeof r.values.derivativeErrorEstimate === 'number');
    // a let that reads the function's parameter through the scope is not inlined: numeric, still right
    const p = run(String.raw`given: x = 1.5
let: f(x) = x^3 + \max(x, 0)
claim: \nabla f(x) = 3x^2 + 1`);
    assert.strictEqual(p.status, 'pass', p.message);
    assert.match(String(p.values.derivatives), /^numeric/);
  });
});
