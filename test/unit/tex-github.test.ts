import * as assert from 'node:assert/strict';
import {
  GITHUB_REFUSED_MACROS, KATEX_ONLY_REPLACEMENTS, pageBraceBudget, staticGithubChecks,
} from '../../src/core/tex/github';
import { KATEX_ONLY_IN_MATH, KATEX_ONLY_IN_TEXT } from '../../src/core/tex/katexOnlyMacros';
import type { TexProblem } from '../../src/core/tex/types';

const spans = (tex: string, ps: TexProblem[]): Array<[TexProblem['kind'], string]> =>
  ps.map((p) => [p.kind, tex.slice(p.start, p.end)]);

describe('tex/github: static checks (GH-MJ-01…04)', () => {
  it('lists exactly the GH-MJ-02 refused macros', () => {
    assert.deepEqual([...GITHUB_REFUSED_MACROS].sort(), [
      '\\DeclareMathOperator', '\\DeclarePairedDelimiters', '\\Newextarrow', '\\colorbox', '\\definecolor',
      '\\fcolorbox', '\\hphantom', '\\mathchoice', '\\mmlToken', '\\newtagform', '\\operatorname', '\\phantom',
      '\\renewtagform', '\\unicode', '\\vphantom',
    ].sort());
  });

  it('refuses \\operatorname{Tr}(A) and points at the macro', () => {
    const tex = '\\operatorname{Tr}(A^\\top B) = \\sum_{i,j} A_{ij} B_{ij}';
    const ps = staticGithubChecks(tex);
    assert.deepEqual(spans(tex, ps), [['refused-macro', '\\operatorname']]);
    assert.equal(ps[0].target, 'github');
    assert.match(ps[0].message, /not allowed: operatorname/);
    assert.match(ps[0].message, /\\mathrm/);
  });

  it('matches refused macros by substring: \\operatorname* and \\phantomx are refused too', () => {
    const tex = 'w^{\\ast} = \\operatorname*{arg\\,min}_w L(w) \\phantomx';
    assert.deepEqual(spans(tex, staticGithubChecks(tex)), [
      ['refused-macro', '\\operatorname'], ['refused-macro', '\\phantom'],
    ]);
  });

  it('reports every occurrence, with offsets inside the formula', () => {
    const tex = 'a\\phantom{0}b \\hphantom{00} c \\phantom{1}';
    const ps = staticGithubChecks(tex).filter((p) => p.kind === 'refused-macro');
    assert.deepEqual(ps.map((p) => p.start), [1, 14, 30]);
    assert.deepEqual(spans(tex, ps).map((s) => s[1]), ['\\phantom', '\\hphantom', '\\phantom']);
  });

  it('flags macros of the removed packages (newcommand, html, require, bbox, action)', () => {
    const tex = '\\newcommand{\\E}{\\mathbb{E}} \\def\\x{1} \\let\\y=2 \\require{physics} \\bbox[red]{a} ' +
      '\\href{https://x.org}{b} \\class{c}{d} \\cssId{e}{f} \\style{g}{h} \\toggle{i}{j}\\endtoggle \\mathtip{k}{l}';
    const removed = staticGithubChecks(tex).filter((p) => p.kind === 'removed-package');
    assert.deepEqual(spans(tex, removed).map((s) => s[1]), [
      '\\newcommand', '\\def', '\\let', '\\require', '\\bbox', '\\href', '\\class', '\\cssId', '\\style', '\\toggle',
      '\\mathtip',
    ]);
    assert.match(removed[0].message, /newcommand package/);
  });

  it('does not confuse longer control words with removed macros (\\left, \\define, \\delta)', () => {
    const tex = '\\left( \\delta \\deff \\letter \\right)';
    assert.deepEqual(staticGithubChecks(tex), []);
  });

  it('flags KaTeX-only macros GitHub paints red: \\bm, \\R, \\argmax, \\natnums, \\emph', () => {
    const tex = '\\bm{x}^\\ast = \\argmax_{\\bm{x} \\in \\R^n} f(\\bm{x}), \\; n \\in \\natnums \\emph{sic}';
    const ps = staticGithubChecks(tex);
    assert.deepEqual(spans(tex, ps), [
      ['katex-only', '\\bm'], ['katex-only', '\\argmax'], ['katex-only', '\\bm'], ['katex-only', '\\R'],
      ['katex-only', '\\bm'], ['katex-only', '\\natnums'], ['katex-only', '\\emph'],
    ]);
    assert.match(ps[0].message, /\\boldsymbol/);
  });

  it('knows \\mathbbm and \\mbox are not KaTeX-only (KaTeX 0.16 lacks \\mathbbm; MathJax has \\mbox)', () => {
    assert.ok(!KATEX_ONLY_IN_MATH.includes('mathbbm'));
    assert.ok(!KATEX_ONLY_IN_MATH.includes('mbox'));
    assert.deepEqual(staticGithubChecks('\\mathbbm{1}_{x>0} + \\mbox{if } x'), []);
  });

  it('uses the text-mode list inside \\text{…}: \\emph is fine there, \\ss is not', () => {
    assert.ok(KATEX_ONLY_IN_TEXT.includes('ss'));
    const tex = '\\text{\\emph{note} Stra\\ss e} + \\emph{x}';
    assert.deepEqual(spans(tex, staticGithubChecks(tex)), [['katex-only', '\\ss'], ['katex-only', '\\emph']]);
  });

  it('ignores macros in TeX comments and escaped backslashes', () => {
    assert.deepEqual(staticGithubChecks('a + b % \\bm{x} later\n + c'), []);
    assert.deepEqual(staticGithubChecks('a \\\\bm b'), []); // \\ row break, then letters "bm"
  });

  it('flags more than 1000 `{` in one formula from the 1001st brace on', () => {
    const ok = '{x}'.repeat(1000);
    assert.deepEqual(staticGithubChecks(ok), []);
    const over = '{x}'.repeat(1001);
    const ps = staticGithubChecks(over);
    assert.equal(ps.length, 1);
    assert.equal(ps[0].kind, 'brace-limit');
    assert.equal(ps[0].start, 3000);
    assert.equal(ps[0].end, over.length);
    assert.match(ps[0].message, /1001 `\{`/);
  });

  it('finds the first formula past 2000 `{` on the page', () => {
    const f = (n: number): string => '{a}'.repeat(n);
    assert.equal(pageBraceBudget([]), undefined);
    assert.equal(pageBraceBudget([f(1000), f(1000)]), undefined);
    assert.equal(pageBraceBudget([f(1000), f(999), f(1), f(1)]), 3);
    assert.equal(pageBraceBudget(['x', f(2001)]), 1);
  });

  it('has a replacement for every entry only where the name is KaTeX-only', () => {
    for (const name of Object.keys(KATEX_ONLY_REPLACEMENTS)) {
      assert.ok(KATEX_ONLY_IN_MATH.includes(name), `${name} is not in the generated KaTeX-only list`);
    }
  });

  it('never throws on odd input', () => {
    for (const tex of ['', '\\', '{', '}', '%', '\\text{', '\\text', '}}}{{{', '\\\\\\', 'x\u{1F600}\\R']) {
      assert.doesNotThrow(() => staticGithubChecks(tex), tex);
    }
    assert.deepEqual(spans('x\\R', staticGithubChecks('x\\R')), [['katex-only', '\\R']]);
  });
});
