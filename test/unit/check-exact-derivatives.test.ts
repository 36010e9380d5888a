// Exact derivatives (issue 9, item 2): ∇ and ∇² of let-functions by forward mode on the check AST, against closed
// forms with a relative tolerance of 10⁻¹² and no derivative slack; unsupported expressions fall back to the
// difference quotient and say so in `values.derivatives`.
import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
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

  it('seed 000, line 87: a let-function F(j, v) whose index parameter reads a family (y_j) is exact in v', () => {
    const body = (rhs: string) => String.raw`given: \Phi \sim \mathcal{N}(0, 1)^{20 \times 10}, m = 20, w^\star \sim \mathcal{N}(0, 1)^{10}, w \sim \mathcal{N}(0, 1)^{10}
let: \nabla F_j = \Phi_j, \quad j = 1, \dots, m
  y_j = \nabla F_j^T w^\star, \quad j = 1, \dots, m
  \tilde{F}(j, v) = y_j + (v - w^\star)^T \nabla F_j
  \text{Loss}(v) = \frac{1}{2m} \sum_{j=1}^m (y_j - \tilde{F}(j, v))^2
tolerance: 1e-12
claim: \nabla \text{Loss}(w) = ${rhs}`;
    exact(body(String.raw`\frac{1}{m} \sum_{j=1}^m (\tilde{F}(j, w) - y_j) \nabla F_j`));
    const wrong = run(body(String.raw`\frac{1}{m} \sum_{j=1}^m (y_j - \tilde{F}(j, w)) \nabla F_j`));
    assert.strictEqual(wrong.status, 'fail', wrong.message);
    assert.strictEqual(wrong.values.derivatives, 'exact');
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
    const numeric = (body: string): void => {
      const r = run(body);
      assert.strictEqual(r.status, 'pass', r.message);
      assert.match(String(r.values.derivatives), /^numeric ± /);
      assert.ok(typeof r.values.derivativeErrorEstimate === 'number');
    };
    // no rule: the spectral norm and the largest singular value of a matrix that involves the argument; a
    // repeated eigenvalue
    numeric(String.raw`given: w = \begin{pmatrix} 1 \\ -2 \end{pmatrix}
let: f(v) = \sigma_{\max}(v v^\top)
claim: \nabla f(w) = 2 w`);
    numeric(String.raw`given: x = 1
let: f(u) = \lambda_{\max}(\begin{bmatrix} u & 0 \\ 0 & 1 \end{bmatrix})
claim: \nabla f(x) = 0.5`);
    numeric(String.raw`given: x = 0.5
let: f(u) = \|\begin{bmatrix} u & 1 \\ 0 & 2 \end{bmatrix}\|_2
claim: \nabla f(x) > 0`);
    // at a kink (a zero entry of ‖v‖₁, relu at 0) the central difference quotient is used
    numeric(String.raw`given: w = \begin{pmatrix} 1 \\ 0 \end{pmatrix}
let: f(v) = \|v\|_1
claim: \nabla f(w) = \begin{pmatrix} 1 \\ 0 \end{pmatrix}`);
    numeric(String.raw`given: x = 0
let: f(u) = \operatorname{relu}(u) + u^2
claim: \nabla f(x) = 0.5`);
    // one node without a rule makes the whole derivative numeric
    numeric(String.raw`given: x = 1.5
let: f(x) = x^3 + \sigma_{\max}(\begin{bmatrix} x & 0 \\ 0 & 0 \end{bmatrix})
claim: \nabla f(x) = 3x^2 + 1`);
  });

  it('partial derivatives: of a let-function, of an expression in givens, of a let without parameters', () => {
    exact(String.raw`given: x = 1.3, y = -0.7
let: f(x, y) = x^2 y^3
tolerance: 1e-12
claim: \frac{\partial f}{\partial y} = 3x^2y^2 \land \frac{\partial^2 f}{\partial x \partial y} = 6xy^2 \land \frac{\partial^2 f}{\partial x^2} = 2y^3`);
    exact(String.raw`given: x = 1.3, y = -0.7
tolerance: 1e-12
claim: \frac{\partial}{\partial x}(x^2 y) = 2xy \land \frac{\partial^2}{\partial y^2}(x^2 y + \exp(x y)) = x^2 \exp(x y)`);
    exact(String.raw`given: x = 1.3, y = -0.7
let: g = x^2 y + \sin(y)
  h = g^2
tolerance: 1e-12
claim: \nabla g = \begin{pmatrix} 2xy \\ x^2 + \cos(y) \end{pmatrix} \land \frac{\partial h}{\partial x} = 2 g \cdot 2xy`);
    // a sign error fails: no slack
    assert.strictEqual(run(String.raw`given: x = 1.3, y = -0.7
tolerance: 1e-12
claim: \frac{\partial}{\partial x}(x^2 y) = -2xy`).status, 'fail');
  });

  it('the unsquared norms: ∇‖w‖ = w/‖w‖, ∇²‖w‖ = (I − wwᵀ/‖w‖²)/‖w‖, ∇‖w‖₁ = sgn(w), ∇‖w‖_∞ = sgn(w_k) e_k', () => {
    exact(String.raw`given: w \sim \mathcal{N}(0, 1)^{4}
let: f(v) = \|v\|
  g(v) = \|v\|_1
  h(v) = |v|
trials: 5
tolerance: 1e-12
claim: \nabla f(w) = \frac{w}{\|w\|} \land \nabla^2 f(w) = \frac{1}{\|w\|}(I - \frac{w w^\top}{\|w\|^2}) \land \nabla g(w) = \operatorname{sgn}(w) \land \nabla h(w) = \frac{w}{\|w\|}`);
    exact(String.raw`given: w = \begin{pmatrix} 1 \\ -3 \\ 2 \end{pmatrix}
let: f(v) = \|v\|_\infty
tolerance: 1e-12
claim: \nabla f(w) = \begin{pmatrix} 0 \\ -1 \\ 0 \end{pmatrix} \land \nabla^2 f(w) = 0 I_3`);
  });

  it('|·|, \\max(0, ·), relu and \\max(a, b) away from their kinks', () => {
    exact(String.raw`given: x = -0.5
let: f(u) = |u| \sin(u)
  g(u) = \max(u^2, 1 - u) + \min(u, -u^3)
tolerance: 1e-12
claim: \nabla f(x) = -\sin(x) + |x| \cos(x) \land \nabla g(x) = -1 + 1 \land \nabla^2 f(x) = -2\cos(x) - |x|\sin(x)`);
    // L(v) = 1ᵀ max(0, Wv): ∇L = Wᵀ 1[Wv > 0] (Wv = (0.6, −0.35, −0.08): the first row of W)
    exact(String.raw`given: W = \begin{bmatrix} 1 & 2 \\ -1 & 0.5 \\ 0.3 & -2 \end{bmatrix}, w = \begin{pmatrix} 0.4 \\ 0.1 \end{pmatrix}
let: L(v) = \mathbf{1}_3^\top \max(0, W v)
  R(v) = \operatorname{relu}(v^\top W^\top W v - 1)
tolerance: 1e-12
claim: \nabla L(w) = \begin{pmatrix} 1 \\ 2 \end{pmatrix} \land \nabla R(w) = 0 w`);
  });

  it('\\prod: ∇∏ w_i = (∏ w_j / w_i)_i and its Hessian', () => {
    exact(String.raw`given: w = \begin{pmatrix} 1.5 \\ -2 \\ 0.5 \end{pmatrix}
let: P(v) = \prod_{i=1}^{3} v_i
tolerance: 1e-12
claim: \nabla P(w) = \begin{pmatrix} -1 \\ 0.75 \\ -3 \end{pmatrix} \land \nabla^2 P(w) = \begin{bmatrix} 0 & 0.5 & -2 \\ 0.5 & 0 & 1.5 \\ -2 & 1.5 & 0 \end{bmatrix}`);
  });

  it('matrix inverse and determinant of a matrix containing the argument: (A + vvᵀ)⁻¹, log det', () => {
    // M = (A + wwᵀ)⁻¹: ∇ uᵀMu = −2 (wᵀMu) Mu; ∇ log det(A + wwᵀ) = 2Mw, ∇² = 2M(1 − wᵀMw) − 2Mw wᵀM
    exact(String.raw`given: A = \begin{bmatrix} 3 & 1 & 0 \\ 1 & 2 & 0.5 \\ 0 & 0.5 & 1 \end{bmatrix}, u = \begin{pmatrix} 1 \\ 0 \\ -1 \end{pmatrix}, w \sim \mathcal{N}(0, 1)^{3}
let: M = (A + w w^\top)^{-1}
  f(v) = u^\top (A + v v^\top)^{-1} u
  g(v) = \log \det(A + v v^\top)
  e(v) = \begin{pmatrix} 1 \\ 0 \\ 0 \end{pmatrix}^\top (A + v v^\top)^{-1} \begin{pmatrix} 1 \\ 0 \\ 0 \end{pmatrix}
trials: 5
tolerance: 1e-12
claim: \nabla f(w) = -2 (w^\top M u) M u \land \nabla g(w) = 2 M w \land \nabla^2 g(w) = 2 (1 - w^\top M w) M - 2 M w w^\top M \land \nabla e(w) = -2 (w^\top M \begin{pmatrix} 1 \\ 0 \\ 0 \end{pmatrix}) M \begin{pmatrix} 1 \\ 0 \\ 0 \end{pmatrix}`);
    // an integer power of the argument's matrix: tr((vvᵀ + A)²)
    exact(String.raw`given: A = \begin{bmatrix} 2 & 1 \\ 1 & 3 \end{bmatrix}, w = \begin{pmatrix} 0.5 \\ -1 \end{pmatrix}
let: f(v) = \operatorname{tr}((v v^\top + A)^2)
tolerance: 1e-12
claim: \nabla f(w) = 4 (w w^\top + A) w`);
  });

  it('eigenvalues of a symmetric matrix containing the argument: ∇λ_max(A + wwᵀ) = 2(uᵀw)u, ∇²λ of [[v₁, v₂], [v₂, −v₁]]', () => {
    exact(String.raw`given: A = \begin{bmatrix} 3 & 1 & 0 \\ 1 & 2 & 0.5 \\ 0 & 0.5 & 1 \end{bmatrix}, w \sim \mathcal{N}(0, 1)^{3}
let: u = \operatorname{eigvec}_1(A + w w^\top)
  z = \operatorname{eigvec}_3(A + w w^\top)
  f(v) = \lambda_{\max}(A + v v^\top)
  g(v) = \lambda_{\min}(A + v v^\top) + \lambda_2(A + v v^\top)
  h(v) = \mathbf{1}_3^\top \lambda(A + v v^\top)
trials: 5
tolerance: 1e-9
claim: \nabla f(w) = 2 (u^\top w) u \land \nabla h(w) = 2 w \land \nabla g(w) + \nabla f(w) = 2 w`);
    // λ_max = ‖v‖ for this matrix: the Hessian is (I − wwᵀ/‖w‖²)/‖w‖
    exact(String.raw`given: w = \begin{pmatrix} 0.6 \\ -0.8 \end{pmatrix}
let: f(v) = \lambda_{\max}(\begin{bmatrix} v_1 & v_2 \\ v_2 & -v_1 \end{bmatrix})
tolerance: 1e-9
claim: \nabla f(w) = w \land \nabla^2 f(w) = I - w w^\top`);
  });

  it('piecewise rules away from their breaks: \\lceil·\\rceil, \\lfloor·\\rfloor, clip, and var', () => {
    exact(String.raw`given: x = 0.3, w = \begin{pmatrix} 1 \\ -2 \\ 4 \end{pmatrix}
let: f(u) = \lceil u \rceil u^2 + \lfloor 3u \rfloor u
  g(u) = \operatorname{clip}(u^2, 0, 1) + \operatorname{clip}(u, 0.5, 2)
  s(v) = \operatorname{var}(v)
tolerance: 1e-12
claim: \nabla f(x) = 2x \land \nabla g(x) = 2x \land \nabla s(w) = \frac{2}{3}(w - \mathbf{1}_3) \land \nabla^2 s(w) = \frac{2}{3}(I_3 - \frac{1}{3}\mathbf{1}_3 \mathbf{1}_3^\top)`);
  });

  it('vector and matrix literals whose entries contain the argument', () => {
    exact(String.raw`given: c = \begin{pmatrix} 2 \\ -1 \end{pmatrix}, w = \begin{pmatrix} 0.5 \\ 3 \end{pmatrix}
let: f(v) = c^\top \begin{pmatrix} v_1^2 \\ v_1 v_2 \end{pmatrix}
  d(v) = \det \begin{bmatrix} v_1 & 1 \\ 2 & v_2 \end{bmatrix}
  n(x, y) = \|(x, 2y)\|^2
tolerance: 1e-12
claim: \nabla f(w) = \begin{pmatrix} 4 \cdot 0.5 - 3 \\ -0.5 \end{pmatrix} \land \nabla d(w) = \begin{pmatrix} 3 \\ 0.5 \end{pmatrix} \land \nabla n(1, 1) = \begin{pmatrix} 2 \\ 8 \end{pmatrix}`);
  });

  it('docs/checks.md: every example titled "exactly" in the Derivatives section is exact, the kink example numeric', () => {
    const text = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'docs', 'checks.md'), 'utf8');
    const section = text.slice(text.indexOf('## Derivatives'), text.indexOf('## `plot`'));
    const results = runChecksInText(section, { timeLimitMs: 20000 });
    const exactOnes = results.filter((r) => /exactly$/.test(r.title));
    assert.ok(exactOnes.length >= 7, `${exactOnes.length} exact examples`);
    for (const r of exactOnes) {
      assert.strictEqual(r.status, 'pass', `${r.title}: ${r.message}`);
      assert.strictEqual(r.values.derivatives, 'exact', r.title);
    }
    // the same blocks with difference quotients only (the comparison mode): same verdicts, numeric derivatives
    const numeric = runChecksInText(section, { timeLimitMs: 20000, numericDerivatives: true });
    assert.deepStrictEqual(numeric.map((r) => r.status), results.map((r) => r.status));
    for (const r of numeric.filter((x) => /exactly$/.test(x.title))) assert.match(String(r.values.derivatives), /^numeric ± /, r.title);
    const kink = results.find((r) => r.title.startsWith('At a kink'));
    assert.ok(kink);
    assert.strictEqual(kink.status, 'pass', kink.message);
    assert.match(String(kink.values.derivatives), /^numeric ± /);
  });
});
