import * as assert from 'node:assert/strict';
import { validateKatex } from '../../src/core/tex/katex';

const at = (tex: string, p: { start: number; end: number }): string => tex.slice(p.start, p.end);

describe('tex/katex: VS Code preview validation', () => {
  it('accepts ordinary homework formulas', () => {
    for (const tex of [
      '\\nabla_w L(w) = \\frac{1}{n} \\sum_{i=1}^n (w^\\top x_i - y_i) x_i',
      'w_{t+1} = w_t - \\eta \\nabla f(w_t)',
      '\\begin{pmatrix} a & b \\\\ c & d \\end{pmatrix}^{-1} = \\frac{1}{ad-bc}\\begin{pmatrix} d & -b \\\\ -c & a \\end{pmatrix}',
      '\\| \\Sigma \\|_2 \\leq \\frac{2}{s}',
    ]) {
      assert.deepEqual(validateKatex(tex, true), [], tex);
    }
  });

  it('accepts what KaTeX knows and GitHub does not: \\operatorname, \\bm, \\R, \\argmax', () => {
    assert.deepEqual(validateKatex('\\operatorname{Tr}(A)', false), []);
    assert.deepEqual(validateKatex('\\bm{x}^\\top \\bm{y}', false), []);
    assert.deepEqual(validateKatex('\\argmax_{x \\in \\R} f(x)', false), []);
  });

  it('rejects what GitHub MathJax accepts: \\label/\\eqref, \\ce, \\sideset, \\enclose — pointing at the macro', () => {
    const cases: Array<[string, string]> = [
      ['E = mc^2 \\label{eq:energy}', '\\label'],
      ['\\text{by } \\eqref{eq:energy}', '\\eqref'],
      ['\\ce{2H2 + O2 -> 2H2O}', '\\ce'],
      ['\\sideset{}{\'}\\sum_{n<k} a_n', '\\sideset'],
      ['\\enclose{circle}{x}', '\\enclose'],
    ];
    for (const [tex, macro] of cases) {
      const ps = validateKatex(tex, true);
      assert.equal(ps.length, 1, tex);
      assert.equal(ps[0].target, 'vscode');
      assert.equal(ps[0].kind, 'parse-error');
      assert.equal(at(tex, ps[0]), macro, tex);
      assert.match(ps[0].message, /Undefined control sequence/);
    }
  });

  it('reports the damaged \\left{ (a \\left\\{ after GitHub ate the backslash) as an error', () => {
    const tex = 'S = \\left{ x \\in \\mathbb{R} : x > 0 \\right}';
    const ps = validateKatex(tex, false);
    assert.equal(ps.length, 1);
    assert.equal(ps[0].kind, 'parse-error');
    assert.ok(ps[0].start >= 4 && ps[0].end <= tex.length && ps[0].start < ps[0].end);
  });

  it('reports a & outside an environment at the &', () => {
    const tex = 'a & b';
    const ps = validateKatex(tex, false);
    assert.equal(ps.length, 1);
    assert.equal(at(tex, ps[0]), '&');
  });

  it('gives a non-empty range at the end for an unclosed brace', () => {
    const tex = '\\frac{1}{2';
    const [p] = validateKatex(tex, false);
    assert.ok(p.start < p.end && p.end === tex.length);
  });

  it('reports trust-gated commands that VS Code shows in red', () => {
    const tex = '\\href{https://example.org}{x} + 1';
    const ps = validateKatex(tex, false);
    assert.equal(ps.length, 1);
    assert.equal(at(tex, ps[0]), '\\href');
    assert.match(ps[0].message, /trust/);
  });

  it('keeps formulas independent (macros from \\gdef do not leak) and returns fresh arrays', () => {
    assert.deepEqual(validateKatex('\\gdef\\foo{x} \\foo', false), []);
    assert.equal(validateKatex('\\foo', false).length, 1);
    const a = validateKatex('\\foo', false);
    a[0].start = 99;
    assert.equal(validateKatex('\\foo', false)[0].start, 0);
  });

  it('distinguishes display from inline (\\tag works only in display mode)', () => {
    assert.deepEqual(validateKatex('x \\tag{1}', true), []);
    assert.equal(validateKatex('x \\tag{1}', false).length, 1);
  });
});
