// Error messages of check blocks (issue 9, item 2): for the mistakes a student makes when writing the seeds' claims,
// the result is `error` (never fail) at the exact place, and the message says what is wrong AND what to write
// instead, naming the sizes and names involved. Every message is well-formed: balanced brackets, no `_{` left open,
// formulas printed as clean Unicode (1/(βσ_i²)) or as LaTeX that could be pasted back.
import * as assert from 'node:assert';
import fc from 'fast-check';
import { runChecksInText, type CheckResult } from '../../src/core/check';
import { shorten, nearest } from '../../src/core/check/hints';
import { pretty } from '../../src/core/check/parser/pretty';
import { LineIndex } from '../../src/core/text';
import { wellFormed } from './message-helpers';

const PREFIX = '# Title\n\n```check\n';

function run(body: string): { r: CheckResult; text: string } {
  const text = `${PREFIX}${body}\n\`\`\`\n`;
  const [r] = runChecksInText(text, { timeLimitMs: 10000 });
  return { r, text };
}

interface Mistake {
  /** what the student did */
  name: string;
  body: string;
  /** the text the located problem starts at (its n-th occurrence) */
  at: string;
  nth?: number;
  /** what is wrong, with the names and sizes */
  wrong: RegExp;
  /** what to write instead */
  instead: RegExp;
}

const MISTAKES: Mistake[] = [
  {
    name: '∇ of a function of a 20-vector compared with a number',
    body: String.raw`given: \Phi \sim \mathcal{N}(0, 1)^{20 \times 20}, w \sim \mathcal{N}(0, 1)^{20}
let: \text{Loss}(v) = \frac{1}{2}\|\Phi v\|^2
claim: \nabla \text{Loss}(w) = 3`,
    at: String.raw`\nabla \text{Loss}(w) = 3`,
    wrong: /cannot compare a 20-vector with a scalar: `\\nabla \\text\{Loss\}\(w\)` is a 20-vector \(∇ differentiates with respect to the variable it is applied to; `w` is a 20-vector, so ∇Loss\(w\) is a 20-vector\) and `3` is a scalar/,
    instead: /write a 20-vector on the other side \(`0` is the zero vector\), or compare a norm/,
  },
  {
    name: '∇ of a function of a number compared with a vector',
    body: String.raw`given: x = 2
let: f(a) = a^2
claim: \nabla f(x) = \begin{pmatrix} 4 \\ 0 \end{pmatrix}`,
    at: String.raw`\nabla f(x) =`,
    wrong: /`x` is a scalar, so ∇f\(x\) is a scalar\) and `\\begin\{pmatrix\} 4 \\\\ 0 \\end\{pmatrix\}` is a 2-vector/,
    instead: /write a 2-vector on the other side/,
  },
  {
    name: 'a vector on one side of <',
    body: String.raw`given: w \sim \mathcal{N}(0, 1)^{5}
claim: w < 3`,
    at: 'w < 3',
    wrong: /`<` compares numbers, but `w` is a 5-vector/,
    instead: /compare \\\|w\\\|, an entry \(…\)_i or the largest entry \\max\(w\)/,
  },
  {
    name: 'a vector equated to a matrix (Aw = A)',
    body: String.raw`given: w \sim \mathcal{N}(0, 1)^{5}, A \sim \mathcal{N}(0, 1)^{5 \times 5}
claim: A w = A`,
    at: 'A w = A',
    wrong: /`A w` is a 5-vector and `A` is a 5×5 matrix/,
    instead: /both sides must have the same shape \(a transpose \^\\top or a product may be missing\)/,
  },
  {
    name: 'a misspelt command in an update',
    body: String.raw`given: \eta = 0.1, w_0 = 1
iterate: w_{t+1} = w_t - \etta w_t
claim: \text{converges}`,
    at: String.raw`\etta`,
    wrong: /unknown command `\\etta`/,
    instead: /did you mean `\\eta`\?/,
  },
  {
    name: 'a misspelt command name (\\lamda)',
    body: String.raw`given: A = I_2
claim: \lamda_{\max}(A) = 1`,
    at: String.raw`\lamda`,
    wrong: /unknown command `\\lamda`/,
    instead: /did you mean `\\lambda`\?/,
  },
  {
    name: 'a subscript typed differently from its definition',
    body: String.raw`given: \sigma_{\max} = 2
claim: \sigma_{max2} > 1`,
    at: String.raw`\sigma_{max2}`,
    wrong: /unknown symbol `\\sigma_\{max2\}`/,
    instead: /did you mean `\\sigma_\{\\max\}`\?/,
  },
  {
    name: 'a function name in the wrong case under ∇',
    body: String.raw`given: w = 1
let: \text{Loss}(v) = v^2
claim: \nabla \text{loss}(w) = 2`,
    at: String.raw`\text{loss}`,
    wrong: /`\\text\{loss\}` is not one/,
    instead: /did you mean `\\text\{Loss\}`\?/,
  },
  {
    name: 'a misspelt measure word',
    body: String.raw`given: w_0 = 1
iterate: w_{t+1} = 0.5 w_t
claim: \text{convrges}`,
    at: String.raw`\text{convrges}`,
    wrong: /unknown symbol `\\text\{convrges\}`/,
    instead: /did you mean `\\text\{converges\}`\?/,
  },
  {
    name: 'an unknown \\text keyword',
    body: String.raw`given: w_0 = 1
iterate: w_{t+1} = 0.5 w_t
claim: \text{stationary}`,
    at: String.raw`\text{stationary}`,
    wrong: /unknown symbol `\\text\{stationary\}`/,
    instead: /the words a claim knows are \\text\{converges\}, \\text\{bounded\}, \\text\{diverges\}, \\text\{rate\}, \\text\{iterations\}/,
  },
  {
    name: 'T_ε that the run never reaches',
    body: String.raw`given: w_0 = 1, \epsilon = 10^{-3}
iterate: w_{t+1} = 0.999 w_t
steps: 100
claim: T_\epsilon < 10000`,
    at: String.raw`T_\epsilon <`,
    wrong: /T_ε is not known: not reached within 100 steps/,
    instead: /raise `steps` to at least 6905/,
  },
  {
    name: 'row 21 of a matrix with 20 rows',
    body: String.raw`given: A \sim \mathcal{N}(0, 1)^{20 \times 3}
claim: \|A_{21}\| > 0`,
    at: '21',
    wrong: /index 21 is outside 1…20 of a 20×3 matrix/,
    instead: /A_i is row i and A_\{ij\} an entry, counting from 1: rows 1 to 20/,
  },
  {
    name: 'entry 4 of a 3-vector',
    body: String.raw`given: v = (1, 2, 3)
claim: v_4 > 0`,
    at: '4 >',
    wrong: /index 4 is outside 1…3 of a 3-vector/,
    instead: /counting from 1: entries 1 to 3/,
  },
  {
    name: '\\sum without bounds',
    body: String.raw`given: v = (1, 2, 3)
claim: \sum v_i = 6`,
    at: String.raw`\sum`,
    wrong: /\\sum needs bounds/,
    instead: /\\sum_\{i=1\}\^\{n\}/,
  },
  {
    name: '\\frac{1}{m}\\sum_j where j has no range',
    body: String.raw`given: m = 3, X \sim \mathcal{N}(0, 1)^{3 \times 2}
claim: \frac{1}{m}\sum_j X_j X_j^\top = \frac{1}{m} X^\top X`,
    at: 'j X_j',
    wrong: /\\sum_\{j\} needs the range of its index/,
    instead: /write \\sum_\{j=1\}\^\{n\}/,
  },
  {
    name: 'a draw written with = instead of \\sim',
    body: String.raw`given: X = \mathcal{N}(0, 1)^{3 \times 2}
claim: \|X\| > 0`,
    at: String.raw`\mathcal{N}`,
    wrong: /a random draw is written with \\sim in `given`/,
    instead: /write `X \\sim \\mathcal\{N\}\(0, 1\)`/,
  },
  {
    name: 'λ of a matrix that is not square',
    body: String.raw`given: X \sim \mathcal{N}(0, 1)^{3 \times 2}
claim: \lambda_{\max}(X) > 0`,
    at: String.raw`\lambda_{\max}(X)`,
    wrong: /\\lambda_\{\\max\} needs a square matrix, got a 3×2 matrix/,
    instead: /singular values \\sigma_\{\\max\}\(X\), \\sigma_\{\\min\}\(X\), or the eigenvalues of X\^\\top X/,
  },
  {
    name: 'a covariance that is not positive semidefinite',
    body: String.raw`given: \Sigma = \begin{bmatrix} 1 & 2 \\ 2 & 1 \end{bmatrix}, x \sim \mathcal{N}(0, \Sigma)
claim: \|x\| > 0`,
    at: String.raw`\Sigma)`,
    wrong: /the covariance matrix `\\Sigma` is not positive semidefinite \(its smallest eigenvalue is −1 < 0\)/,
    instead: /a covariance matrix has eigenvalues ≥ 0, as C C\^\\top does/,
  },
  {
    name: 'a per-step covariance that is not symmetric',
    body: String.raw`given: \Sigma = \begin{bmatrix} 1 & 0.5 \\ 0 & 1 \end{bmatrix}, w_0 = \mathbf{0}_2, \xi_t \sim \mathcal{N}(0, \Sigma)
iterate: w_{t+1} = 0.5 w_t + \xi_t
claim: \text{bounded}`,
    at: String.raw`\Sigma)`,
    wrong: /`\\Sigma` is not symmetric \(entry \(1,2\) = 0.5 but \(2,1\) = 0\)/,
    instead: /write it in full, or use C C\^\\top/,
  },
  {
    name: 'a norm closed with | instead of \\|',
    body: String.raw`given: v = (3, 4)
claim: \|v| = 5`,
    at: String.raw`\|v|`,
    wrong: /unbalanced `\\\|`: this norm is never closed/,
    instead: /`\\\|` on both sides, \\\|v\\\|/,
  },
  {
    name: 'a vector update started from the number 0',
    body: String.raw`given: A \sim \mathcal{N}(0, 1)^{3 \times 3}, w_0 = 0, b = (1, 2, 3)
iterate: w_{t+1} = 0.1 A w_t + b
claim: \text{bounded}`,
    at: '0.1 A w_t + b',
    wrong: /cannot add a 3×3 matrix and a 3-vector: `0.1 A w_t` is a 3×3 matrix and `b` is a 3-vector/,
    instead: /`w_0 = 0` is a number, so w is a number at every step; for a vector state write w_0 = \\mathbf\{0\}_\{3\}/,
  },
  {
    name: 'an inner product of vectors of different sizes',
    body: String.raw`given: u = (1, 2), v = (1, 2, 3)
claim: u^\top v = 0`,
    at: String.raw`u^\top v`,
    wrong: /`u\^\\top` is a 1×2 matrix and `v` is a 3-vector/,
    instead: /the inner sizes must agree \(a transpose \^\\top may be missing or extra\)/,
  },
  {
    name: 'an index on a number',
    body: String.raw`given: a = 2
claim: a_1 = 2`,
    at: 'a_1',
    wrong: /cannot index a scalar/,
    instead: /for a separate name such as a_1, define it in `given`/,
  },
  {
    name: 'eigenvectors of a rotation (complex eigenvalues)',
    body: String.raw`given: R = \begin{bmatrix} 0 & -1 \\ 1 & 0 \end{bmatrix}
claim: \|\operatorname{eigvec}_1(R)\| = 1`,
    at: String.raw`\operatorname{eigvec}_1(R)`,
    wrong: /`R` has complex eigenvalues \(0 ± 1i\), so it has no real eigenvectors/,
    instead: /use the spectral radius \\rho\(…\)/,
  },
  {
    name: '\\mathbb{E} of a random quantity with one trial',
    body: String.raw`given: z \sim \mathcal{N}(0, 1)
claim: \mathbb{E}[z] \approx 0`,
    at: String.raw`\mathbb{E}[z]`,
    wrong: /\\mathbb\{E\}\[…\] is a mean over trials, but this block runs one trial/,
    instead: /add `trials: 1000`/,
  },
  {
    name: 'a uniform draw with its bounds reversed',
    body: String.raw`given: x \sim \mathcal{U}(2, 1)
claim: x > -10`,
    at: String.raw`\mathcal{U}(2, 1)`,
    wrong: /needs low ≤ high, got low = 2 > high = 1/,
    instead: /write \\mathcal\{U\}\(1, 2\)/,
  },
  {
    name: 'a per-step draw without its step',
    body: String.raw`given: w_0 = 0, \xi_t \sim \mathcal{N}(0, 1)
iterate: w_{t+1} = 0.5 w_t + \xi_t
claim: \xi > 0`,
    at: String.raw`\xi >`,
    wrong: /unknown symbol `\\xi`: `\\xi_t` is drawn afresh at every step/,
    instead: /write \\xi_\{5\} \(the draw of step 5\) or bind t/,
  },
  {
    name: 'an iterated variable without its step',
    body: String.raw`given: w_0 = 0
iterate: w_{t+1} = 0.5 w_t + 1
claim: w < 3`,
    at: 'w < 3',
    wrong: /unknown symbol `w`: `w` is iterated/,
    instead: /write w_\{400\} \(the value at step 400\), w\^\\star \(its limit\) or bind t/,
  },
  {
    name: 'a Greek name written without its backslash',
    body: String.raw`given: alpha = 1
claim: \alpha > 0`,
    at: 'lpha',
    wrong: /expected `=`, \\sim or \\in after `a` but found `l` \(`alpha` is read as the letters a l p h a/,
    instead: /write `\\alpha`/,
  },
  {
    name: 'an indexed let without its range',
    body: String.raw`given: n = 3
let: s_i = i^2
claim: s_2 = 4`,
    at: 'i^2',
    wrong: /unknown symbol `i`: `s_\{i\}` defines a family over i only with a range/,
    instead: /write `s_\{i\} = …, \\quad i = 1, \\dots, n`/,
  },
  {
    name: '\\frac with one argument',
    body: String.raw`given: m = 3
claim: \frac{1} > 0`,
    at: '> 0',
    wrong: /missing argument of \\frac/,
    instead: /write \\frac\{numerator\}\{denominator\}/,
  },
  {
    name: '∇ of a let without parameters that uses a vector',
    body: String.raw`given: w \sim \mathcal{N}(0, 1)^{3}
let: L = \|w\|^2
claim: \nabla L = 2 w`,
    at: String.raw`\nabla L`,
    wrong: /differentiates with respect to the numbers of `given` it uses, but `w` is a 3-vector/,
    instead: /define L as a function of it, e\.g\. L\(v\) = …, and write \\nabla L\(w\)/,
  },
  {
    name: 'a let of the step t taken at step t + 1',
    body: String.raw`given: w_0 = 1, z_0 = 0
let: a_t = 2 w_t
iterate: w_{t+1} = 0.5 w_t
  z_{t+1} = z_t + 1
steps: 10
claim: \forall t < 10: a_{t+1} = 0.5 a_t`,
    at: String.raw`a_{t+1}`,
    wrong: /`a_\{t\} = 2 w_t` is a `let` of the step t itself, so a claim cannot take it at another step/,
    instead: /write its definition at that step instead of `a_\{t\+1\}`/,
  },
  {
    name: '\\text{converges} without an iterate',
    body: String.raw`given: w = 1
claim: \text{converges}`,
    at: String.raw`\text{converges}`,
    wrong: /`\\text\{converges\}` needs an `iterate`/,
    instead: /add `iterate: w_\{t\+1\} = …` with w_0 in `given`/,
  },
  {
    name: 'a function called with too few arguments',
    body: String.raw`given: x = 1
let: f(a, b) = a + b
claim: f(x) = 2`,
    at: 'f(x)',
    wrong: /`f` takes 2 arguments \(a, b\), got 1/,
    instead: /write f\(…, …\)/,
  },
  {
    name: '∇ of a vector-valued function',
    body: String.raw`given: w \sim \mathcal{N}(0, 1)^{3}
let: f(v) = 2 v
claim: \nabla f(w) = 2`,
    at: String.raw`\nabla f(w)`,
    wrong: /∇ of `f` needs a scalar function, but it gives a 3-vector/,
    instead: /take ∇ of a number built from it, such as a loss/,
  },
  {
    name: 'a claim about w_t with t free',
    body: String.raw`given: w_0 = 1
iterate: w_{t+1} = 0.5 w_t
claim: w_t < 2`,
    at: 'w_t <',
    wrong: /a claim cannot use `w_t` with a free t/,
    instead: /bind t \(\\max_\{t \\le T\}, \\sum_\{t=0\}\^\{T\}, \\forall t \\le T: …\)/,
  },
  {
    name: 'a missing initial value',
    body: String.raw`given: \eta = 0.1
iterate: w_{t+1} = w_t - \eta w_t
claim: \text{converges}`,
    at: 'w_{t+1}',
    wrong: /initial value `w_0` is missing/,
    instead: /add `w_0 = …` to `given`/,
  },
  {
    name: 'a name from `given` in `steps`',
    body: String.raw`given: w_0 = 1, T = 10
iterate: w_{t+1} = 0.5 w_t
steps: T
claim: \text{converges}`,
    at: 'T\nclaim',
    wrong: /`T` is one/,
    instead: /`steps` is a number written out, such as 1000: names \(also those of `given`\) cannot be used in it/,
  },
];

describe('check messages: what is wrong and what to write instead', () => {
  it(`the table has ${MISTAKES.length} mistakes (≥ 30)`, () => {
    assert.ok(MISTAKES.length >= 30);
  });

  for (const m of MISTAKES) {
    it(m.name, () => {
      const { r, text } = run(m.body);
      assert.strictEqual(r.status, 'error', `${r.status}: ${r.message}`);
      assert.ok(r.problems.length >= 1, 'a located problem');
      let i = -1;
      for (let k = 0; k <= (m.nth ?? 0); k++) i = text.indexOf(m.at, i + 1);
      assert.ok(i >= 0, `${m.at} not in the block`);
      assert.deepStrictEqual(r.problems[0].range.start, new LineIndex(text).positionAt(i), `problem at ${JSON.stringify(r.problems[0].range)}: ${r.message}`);
      assert.match(r.message, m.wrong);
      assert.match(r.message, m.instead);
      assert.strictEqual(wellFormed(r.message), undefined, r.message);
    });
  }

  it('did-you-mean proposes a close name only (no guess for unrelated or one-letter names)', () => {
    assert.strictEqual(nearest('etta', ['eta', 'beta', 'theta']), 'eta');
    assert.strictEqual(nearest('\\sigma_{max2}', ['\\sigma_{\\max}', '\\sigma_{i}']), '\\sigma_{\\max}');
    assert.strictEqual(nearest('\\text{loss}', ['\\text{Loss}', 'w']), '\\text{Loss}');
    assert.strictEqual(nearest('v', ['w', 'u']), undefined);
    assert.strictEqual(nearest('\\gamma', ['\\sigma', 'w']), undefined);
    assert.strictEqual(nearest('zeta', ['beta', 'eta']), undefined, 'two equally close names: no guess');
  });

  it('property: a shortened formula never leaves a bracket, a norm or `_{` open', () => {
    const atom = fc.constantFrom('x', 'w_t', '\\sigma_{\\max}', '\\beta', '2', '\\eta', 'y_{j}', '\\Phi^\\top', 'm');
    const expr = fc.letrec((tie) => ({
      e: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        atom,
        fc.tuple(tie('e'), tie('e')).map(([a, b]) => `\\frac{${a}}{${b}}`),
        tie('e').map((a) => `\\|${a}\\|`),
        fc.tuple(tie('e'), tie('e')).map(([a, b]) => `(${a} + ${b})`),
        fc.tuple(tie('e'), tie('e')).map(([a, b]) => `${a} ${b}`),
        fc.tuple(tie('e'), tie('e')).map(([a, b]) => `\\sum_{j=1}^{${a}} ${b}`),
        tie('e').map((a) => `\\max_{t \\le ${a}} |x_t|`),
      ),
    })).e;
    fc.assert(
      fc.property(expr, fc.integer({ min: 8, max: 60 }), (s, max) => {
        const t = shorten(pretty(s), max);
        return t.length <= max && wellFormed(t) === undefined;
      }),
      { numRuns: 1000, seed: 11 },
    );
  });

  it('a long formula in a message is cut where its brackets close', () => {
    const { r } = run(String.raw`given: \beta = 2, \sigma_i = 0.5, \sigma_{\max} = 3, \epsilon = 0.1
claim: \frac{1}{\beta\sigma_i^2} + \frac{\log\epsilon}{2\beta\sigma_{\max}^2} + \sqrt{\frac{\beta + \sigma_i + \sigma_{\max} + \epsilon}{\beta\sigma_{\max}}} < 0`);
    assert.strictEqual(r.status, 'fail');
    assert.strictEqual(wellFormed(r.message), undefined, r.message);
    assert.ok(r.message.includes('1/(βσ_i²)'), r.message);
  });
});
