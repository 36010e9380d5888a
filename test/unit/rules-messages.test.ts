// Messages as a student reads them (issue 10): which `_` pairs with which (MW020), which delimiters make the
// italics a formula sits in (MW021), KaTeX's parser errors in words (MW052), the damaged part of a formula shown
// (MW010). Each fix is applied and the text re-linted; fixed formulas render in KaTeX exactly as before.
import assert from 'node:assert/strict';
import katex from 'katex';
import { lintText } from '../../src/core/lint/engine';
import { applyEdits, fixAll } from '../../src/core/lint/edits';
import { scanDocument } from '../../src/core/scan/scanner';
import type { Finding } from '../../src/core/types';

const lint = (t: string): Finding[] => lintText(t);
const of = (t: string, id: string): Finding[] => lint(t).filter((f) => f.ruleId === id);
const katexHtml = (tex: string): string => katex.renderToString(tex, { throwOnError: false, strict: 'ignore', output: 'html' });
/** What VS Code's preview shows for each formula of `t` (KaTeX HTML, in order). */
const vscodeRendering = (t: string): string[] => scanDocument(t).vscodeMath.map((v) => katexHtml(v.tex));

describe('MW020 on `_` pairs: which `_` pairs with which, and a fix that renders the same everywhere', () => {
  const text = 'Let $f(x)_i$ be the score and\nthen $a_{ij}$ the entry.\n';

  it('names both underscores and where the partner is', () => {
    const [first, second] = of(text, 'MW020');
    assert.equal(
      first.message,
      'GitHub shows this as plain text: the `_` in `$f(x)_i$` and the `_` in `$a_{ij}$` (next line) pair up as Markdown italics before GitHub looks for math. Put spaces around each `_` that pairs (`x _ i`: TeX ignores them, so GitHub and VS Code render the same), or use the `` $`…`$ `` form.',
    );
    assert.match(second.message, /the `_` in `\$f\(x\)_i\$` \(line above\) and the `_` in `\$a_\{ij\}\$` pair up/);
  });

  it('within one formula it counts them', () => {
    const [f] = of('Normalise: $\\tilde{{x}}_{ijk} = \\frac{x_{ijk} - \\mu}{\\sigma}$ here.\n', 'MW020');
    assert.match(f.message, /its 1st and 2nd `_` pair up as Markdown italics/);
  });

  it('the fix puts spaces around the pairing `_`: GitHub renders both formulas, VS Code shows the same', () => {
    const [f] = of(text, 'MW020');
    assert.equal(f.fixes[0].title, 'Put spaces around `_` (`x _ i`: TeX ignores them)');
    const fixed = fixAll(text, lint).text;
    assert.equal(fixed, 'Let $f(x) _ i$ be the score and\nthen $a _ {ij}$ the entry.\n');
    assert.deepEqual(lint(fixed).map((x) => x.ruleId), []);
    assert.deepEqual(scanDocument(fixed).math.map((m) => m.delimited), ['$f(x) _ i$', '$a _ {ij}$']);
    assert.deepEqual(vscodeRendering(fixed), vscodeRendering(text));
  });

  it('one formula fixed is enough to unpair them, and intraword `a_b` is left alone', () => {
    const t = 'Take $x_1$ and $(a)_b$ with $c_{d}$.\n';
    const [f] = of(t, 'MW020');
    const once = applyEdits(t, f.fixes[0].edits);
    assert.equal(once, 'Take $x_1$ and $(a) _ b$ with $c_{d}$.\n');
    assert.deepEqual(lint(once).map((x) => x.ruleId), []);
  });

  it('no space fix where a pairing `_` touches the `$` (a space there would unpair the delimiter)', () => {
    const [f] = of('A $_x$ and $y_{z}$.\n', 'MW020');
    assert.ok(f, 'reported');
    assert.ok(f.fixes.every((x) => !x.title.startsWith('Put spaces')), JSON.stringify(f.fixes.map((x) => x.title)));
  });
});

describe('MW021 math inside italics: the two delimiters that pair, and a fix', () => {
  const text = 'The score $f(x)_i$ falls while\nthe margin $m$ grows, and $w_{t}$ converges.\n';

  it('points at the `_` of the other formulas that make the italics', () => {
    const [f] = of(text, 'MW021');
    assert.equal(text.slice(f.start, f.end), '$m$');
    assert.equal(
      f.message,
      'GitHub shows this as plain text: it sits in Markdown italics made by the `_` in `$f(x)_i$` (line above) and the `_` in `$w_{t}$`, which pair up before GitHub looks for math; math is not rendered inside italics. To unpair them, put spaces around those two `_` (`x _ i`: TeX ignores them).',
    );
  });

  it('the fix unpairs them: every formula renders on GitHub, VS Code shows the same', () => {
    const [f] = of(text, 'MW021');
    assert.equal(f.fixes[0].title, 'Put spaces around the two `_` that pair (TeX ignores them)');
    const once = applyEdits(text, f.fixes[0].edits);
    assert.equal(once, 'The score $f(x) _ i$ falls while\nthe margin $m$ grows, and $w _ {t}$ converges.\n');
    assert.deepEqual(lint(once).map((x) => x.ruleId), []);
    assert.equal(scanDocument(once).math.length, 3);
    assert.deepEqual(vscodeRendering(once), vscodeRendering(text));
  });

  it('real italics in the text: says where they run, no fix', () => {
    const [f] = of('An _italic $y$ remark_ here.\n', 'MW021');
    assert.equal(
      f.message,
      'GitHub shows this as plain text: math is not rendered inside *italic* text (bold works), and the italics here run from the `_` in the text `An _italic $y$ rema…` to the `_` in the text `…c $y$ remark_ here.`. Move the formula out of the emphasis or use bold.',
    );
    assert.deepEqual(f.fixes, []);
  });
});

describe('MW052: KaTeX\'s parser errors in words', () => {
  const cases: [string, RegExp][] = [
    ['The matrix $$\\begin{array}{{c}} a \\\\ b \\end{array}$$ here.', /cannot read the column letters of the `array`\. Write one letter per column/],
    ['Half is $\\frac{1}{2$.', /a `\{` is never closed, so the formula ends in the middle of an argument\. Add the missing `\}`\./],
    ['Rows $a & b$ here.', /`&` separates columns only inside an environment such as `aligned`/],
    ['Set $\\left{ x \\right}$ here.', /`\\left\{` opens a group, not a brace: write `\\left\\\{`/],
    ['Power $x^2^3$ here.', /two superscripts in a row/],
    ['Norm $\\left( x$ here.', /this `\\left` has no `\\right` after it/],
    ['Unknown $\\foo x$ here.', /KaTeX does not know `\\foo`/],
  ];
  for (const [text, words] of cases) {
    it(JSON.stringify(text), () => {
      const found = of(`${text}\n`, 'MW052');
      assert.equal(found.length, 1, JSON.stringify(lint(`${text}\n`).map((f) => f.ruleId)));
      assert.match(found[0].message, /^VS Code's preview \(KaTeX\) shows this formula as a red error: /);
      assert.match(found[0].message, words);
      assert.doesNotMatch(found[0].message, /Expected|got '|node of|EOF/);
    });
  }
});

describe('MW010: the damaged part shown, message and fix from one table', () => {
  it('a long formula: the quoted rendering is centred on the damage, not cut before it', () => {
    const text = 'Long $\\alpha + \\beta + \\gamma + \\delta + \\epsilon + \\zeta + \\eta + \\{ x \\}$ end.\n';
    const [f] = of(text, 'MW010');
    assert.equal(
      f.message,
      'GitHub renders this formula damaged: Markdown turns `\\{` into `{` and `\\}` into `}` before MathJax sees it (GitHub renders `…elta + \\epsilon + \\zeta + \\eta + { x }$`). Write `\\lbrace` for `\\{`, `\\rbrace` for `\\}` instead.',
    );
  });

  it('every macro the message names is what the fix writes, and the fix re-lints clean', () => {
    const text = 'The ball $B = \\{ w : \\|w\\|_2 \\le 1 \\}$ and $a\\,b\\;c$ here.\n';
    for (const f of of(text, 'MW010')) {
      const fix = f.fixes[0];
      const written = fix.edits.map((e) => e.newText.trim());
      for (const m of written) assert.ok(f.message.includes(`\`${m}\``), `${m} not in: ${f.message}`);
      assert.equal(fix.title, `Write ${[...new Set(written)].join(', ')} (renders the same on GitHub and in VS Code)`);
    }
    const fixed = fixAll(text, lint).text;
    assert.equal(fixed, 'The ball $B = \\lbrace w : \\Vert w\\Vert_2 \\le 1 \\rbrace$ and $a\\thinspace b\\mskip{5mu} c$ here.\n');
    assert.deepEqual(lint(fixed).map((x) => x.ruleId), []);
  });

  it('an escape with no portable spelling: the message says so and names the code form, which the fix writes', () => {
    const [f] = of('Share $50\\% of x$ here.\n', 'MW010');
    assert.match(f.message, /`\\%` has no spelling both renderers read the same: use the `` \$`…`\$ `` form\.$/);
    assert.deepEqual(f.fixes.map((x) => x.title), ['Use the code form $`…`$ (GitHub reads it verbatim)']);
  });

  it('a mid-line row break: the quoted rendering shows where the rows collapse', () => {
    const text = '$$\n\\begin{aligned} a &= b \\\\ c &= d + e + f + g + h + i + j + k + l + m \\end{aligned}\n$$\n';
    const [f] = of(text, 'MW010');
    assert.match(f.message, /GitHub renders `…n\{aligned\} a &= b \\ c &= d \+ e/);
  });
});
