// Formulas in check messages (issue 9, item 2): the pretty printer gives balanced, readable one-line text.
import * as assert from 'node:assert';
import fc from 'fast-check';
import { pretty } from '../../src/core/check/parser/pretty';
import { runChecksInText } from '../../src/core/check';

function balanced(s: string): boolean {
  const stack: string[] = [];
  const pairs: Record<string, string> = { ')': '(', '}': '{', ']': '[' };
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\\') {
      i++; // \{ \} are literal braces of a set and come in pairs of their own
      continue;
    }
    if (c === '(' || c === '{' || c === '[') stack.push(c);
    else if (c in pairs) {
      if (stack.pop() !== pairs[c]) return false;
    }
  }
  return stack.length === 0;
}

describe('pretty printing of formulas in messages', () => {
  it('the issue\'s examples: log base, σ_max² in a denominator, 1/(βσ_i²)', () => {
    assert.strictEqual(pretty(String.raw`\log_{1-2\eta\sigma^2} \epsilon`), 'log_{1-2ησ²} ε');
    assert.strictEqual(pretty(String.raw`\frac{\log\epsilon}{2\beta\sigma_{\max}^2}`), '(log ε)/(2βσ_{max}²)');
    assert.strictEqual(pretty(String.raw`\frac{1}{\beta\sigma_i^2}`), '1/(βσ_i²)');
    assert.strictEqual(pretty(String.raw`\frac{1}{\sigma^2}`), '1/σ²');
    assert.strictEqual(pretty(String.raw`\frac{1}{m}\Phi^\top\Phi`), '(1/m)ΦᵀΦ');
    assert.strictEqual(pretty(String.raw`\max_{t \le 60} \|h_t\|`), 'max_{t ≤ 60} ‖h_t‖');
    assert.strictEqual(pretty(String.raw`\sum_{t=0}^{3} w_t`), '∑_{t=0}^{3} w_t');
    assert.strictEqual(pretty(String.raw`\sqrt{\frac{b/\delta}{s}}`), '√((b/δ)/s)');
    assert.strictEqual(pretty(String.raw`\nabla \text{Loss}(w)`), '∇ Loss(w)');
  });

  it('property: printed formulas are balanced and keep no \\frac or \\sqrt, for random nested formulas', () => {
    const atom = fc.constantFrom('x', 'w_t', '\\sigma_i', '\\sigma_{\\max}', '\\beta', '2', '0.5', '\\eta', 'y_{j}', '\\epsilon', 'm');
    const expr = fc.letrec((tie) => ({
      e: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        atom,
        fc.tuple(tie('e'), tie('e')).map(([a, b]) => `\\frac{${a}}{${b}}`),
        tie('e').map((a) => `\\sqrt{${a}}`),
        tie('e').map((a) => `${a}^2`),
        tie('e').map((a) => `{${a}}^{2}`),
        fc.tuple(atom, tie('e')).map(([a, b]) => `${a}^{${b}}`),
        fc.tuple(tie('e'), tie('e')).map(([a, b]) => `(${a} - ${b})`),
        fc.tuple(tie('e'), tie('e')).map(([a, b]) => `${a} ${b}`),
        fc.tuple(tie('e'), tie('e')).map(([a, b]) => `\\log_{${a}} ${b}`),
        tie('e').map((a) => `\\|${a}\\|_2`),
        tie('e').map((a) => `\\lceil ${a} \\rceil`),
        fc.tuple(tie('e'), tie('e')).map(([a, b]) => `\\max_{t \\le ${a}} ${b}`),
        tie('e').map((a) => `\\text{Loss}(${a})`),
      ),
    })).e;
    fc.assert(
      fc.property(expr, (s) => {
        const p = pretty(s);
        return balanced(p) && !/\\frac|\\sqrt|\\dfrac/.test(p) && !/\s_/.test(p);
      }),
      { numRuns: 2000, seed: 9 },
    );
  });

  it('messages of real checks: the claimed side is printed balanced', () => {
    const [r] = runChecksInText('# T\n\n```check\ngiven: \\beta = 2, \\sigma_i = 0.5, \\sigma_{\\max} = 3, \\epsilon = 0.1\nclaim: \\frac{1}{\\beta\\sigma_i^2} < \\frac{\\log\\epsilon}{2\\beta\\sigma_{\\max}^2}\n```\n');
    assert.strictEqual(r.status, 'fail');
    assert.ok(r.message.includes('1/(βσ_i²)') && r.message.includes('(log ε)/(2βσ_{max}²)'), r.message);
    assert.ok(balanced(r.message), r.message);
  });
});
