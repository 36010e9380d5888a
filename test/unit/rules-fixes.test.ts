// Fixes that used to damage text (issue 10), each re-linted: the unclosed `$$` that a code-form fix pulled the rest
// of the document into, MW030 adding blank lines on every run, MW044 trading warnings for an MW002 error, and the
// formula after `**bold**` located one character to the left (a "spaces inside `$`" fix that ate a space).
import assert from 'node:assert/strict';
import { lintText } from '../../src/core/lint/engine';
import { applyEdits, fixAll } from '../../src/core/lint/edits';
import { scanDocument } from '../../src/core/scan/scanner';
import type { Finding } from '../../src/core/types';

const lint = (t: string): Finding[] => lintText(t);
const ids = (t: string): string[] => lint(t).map((f) => f.ruleId);
const fixable = (t: string): string[] => lint(t).filter((f) => f.fixes.length > 0).map((f) => f.ruleId);

describe('fixes never damage text', () => {
  it('an unclosed `$$` is reported without a fix, and --fix leaves the document alone', () => {
    const text = 'Energy:\n\n$$E = mc^2\n\nNext paragraph with $x$.\n\n# Heading\n\nMore text.\n';
    const findings = lint(text);
    const unclosed = findings.find((f) => f.ruleId === 'MW031');
    assert.ok(unclosed, ids(text).join());
    assert.match(unclosed.message, /never closed/);
    assert.equal(text.slice(unclosed.start, unclosed.end), '$$E = mc^2');
    assert.deepEqual(fixable(text), []);
    assert.equal(fixAll(text, lint).text, text);
  });

  it('MW030 does not add blank lines on every run', () => {
    for (const text of ['$$\n$s$\n', 'Some text\n$$\n$s$\n\nmore\n']) {
      const once = fixAll(text, lint).text;
      assert.equal(fixAll(once, lint).text, once);
      assert.deepEqual(fixable(once), []);
    }
  });

  it('MW044 turns `\\[…\\]` into a `$$` block of its own paragraph (no MW002 or MW030 left)', () => {
    const text = 'Then \\[\nx^2\n\\] holds.\n';
    const fixed = fixAll(text, lint).text;
    assert.equal(fixed, 'Then\n\n$$\nx^2\n$$\n\nholds.\n');
    assert.deepEqual(ids(fixed), []);
  });

  it('MW044 turns `\\(…\\)` into `$…$` with the spaces GitHub needs, also after inline math on the line', () => {
    assert.equal(fixAll('x\\(b^2\\)y\n', lint).text, 'x $b^2$ y\n');
    assert.deepEqual(ids('$a$ and \\(b^2\\)\n'), ['MW044']);
    assert.equal(fixAll('$a$ and \\(b^2\\)\n', lint).text, '$a$ and $b^2$\n');
  });

  it('formulas after `**bold**`, `__bold__` and `***both***` are located where they are written', () => {
    assert.deepEqual(ids('**Answer:** $x = 1$ holds.\n'), []);
    const text = '__A__ $x$ ~~s~~ $y$ ***t*** $z = 1$ and $ w$.\n';
    const [f] = lint(text);
    assert.equal(f.ruleId, 'MW002');
    assert.equal(text.slice(f.start, f.end), '$ w$');
    assert.equal(fixAll(text, lint).text, '__A__ $x$ ~~s~~ $y$ ***t*** $z = 1$ and $w$.\n');
  });

  it('a fix that would pull other formulas into a fence is not offered', () => {
    const text = '$$ x $$ \n\n- the \n\n$$\nE = mc^2\n$$\n\ntext\n$$\nx\n$$\n\n';
    const fixed = fixAll(text, lint).text;
    assert.ok(!fixed.includes('```math\nx $$'), fixed);
    assert.deepEqual(fixable(fixed), []);
  });

  it('MW002 on a `$$` line right after text says to leave a blank line, and its fix does that', () => {
    const text = 'Some text\n$$\nx\n$$\n';
    const [f] = lint(text);
    assert.equal(f.ruleId, 'MW002');
    assert.match(f.message, /Leave a blank line before `\$\$`/);
    assert.doesNotMatch(f.message, /space right after/);
    const fixed = fixAll(text, lint).text;
    assert.equal(fixed, 'Some text\n\n$$\nx\n$$\n');
    assert.deepEqual(ids(fixed), []);
  });

  it('MW010 names the portable macro its fix writes', () => {
    const [f] = lint('$a \\; b$\n');
    assert.equal(f.ruleId, 'MW010');
    assert.match(f.message, /\\mskip\{5mu\}/);
    assert.equal(fixAll('$a \\; b$\n', lint).text, '$a \\mskip{5mu} b$\n');
  });
});

describe('every problem of a formula in one lint (issue 10)', () => {
  const found = (t: string): string[] => lint(t).map((f) => `${f.ruleId} ${t.slice(f.start, f.end)}`);
  const message = (t: string, id: string): string => lint(t).find((f) => f.ruleId === id)?.message ?? '';

  it('a `$$…$$` in a paragraph with text: MW030 and its escape damage together, fixed in one --fix run', () => {
    const text = 'The dual is $$\\max_\\alpha \\; \\|w\\|^2$$ subject to constraints.\n';
    assert.deepEqual(found(text).sort(), ['MW010 $$\\max_\\alpha \\; \\|w\\|^2$$', 'MW030 $$\\max_\\alpha \\; \\|w\\|^2$$']);
    assert.match(message(text, 'MW010'), /turns `\\;` into `;`/);
    const fixed = fixAll(text, lint).text;
    assert.deepEqual(ids(fixed), []);
    assert.equal(fixAll(fixed, lint).text, fixed);
  });

  it('text before the opening `$` and an eaten escape: MW001 and MW010 at once', () => {
    const text = '其中$y_i\\in\\{0,1\\}$。\n';
    assert.deepEqual(found(text), ['MW001 $y_i\\in\\{0,1\\}$', 'MW010 $y_i\\in\\{0,1\\}$']);
    assert.match(message(text, 'MW010'), /^Once GitHub renders this formula .*`\\\{` into `\{`.*`\\lbrace`/);
    assert.equal(fixAll(text, lint).text, '其中 $y_i\\in\\lbrace0,1\\rbrace$。\n');
  });

  it('text before the opening `$` and spaces inside: MW001 and MW002, each fix repairs both', () => {
    const text = '当$ n $较大时收敛。\n';
    assert.deepEqual(found(text), ['MW001 $ n $', 'MW002 $ n $']);
    for (const f of lint(text)) assert.deepEqual(ids(applyEdits(text, f.fixes[0].edits)), [], f.ruleId);
    assert.equal(fixAll(text, lint).text, '当 $n$较大时收敛。\n');
  });

  it('`计算$$\\alpha$$y`: both glued sides are reported (MW001, MW003), not dropped', () => {
    const text = '计算$$\\alpha$$y的值。\n';
    assert.deepEqual(found(text), ['MW001 $$\\alpha$$', 'MW003 $$\\alpha$$']);
    assert.match(message(text, 'MW003'), /`y` touches the closing `\$`/);
  });

  it('runs of `$$`: `所以$$g(x)$$$$增大` is reported (MW006) with both of its problems', () => {
    const text = '所以$$g(x)$$$$增大时损失下降。\n';
    assert.deepEqual(found(text), ['MW006 $$g(x)$$']);
    assert.match(message(text, 'MW006'), /a run of 4 `\$` pairs with nothing.*`以` touches the opening `\$\$`/);
    assert.deepEqual(found('Two formulas $$a$$ $$b$$ in a line.\n').filter((f) => f.startsWith('MW006')), []);
  });

  it('`$\\text{if $y<0$}$`: MW011, fixed by the code form', () => {
    const text = 'Let $f(y) = \\text{if $y<0$}$ hold.\n';
    assert.deepEqual(found(text), ['MW011 $f(y) = \\text{if $y<0$}$']);
    assert.match(message(text, 'MW011'), /A `\$` inside `\\text\{…\}` ends this formula early.*renders only `\$y<0\$`/);
    const fixed = fixAll(text, lint).text;
    assert.equal(fixed, 'Let $`f(y) = \\text{if $y<0$}`$ hold.\n');
    assert.deepEqual(ids(fixed), []);
  });

  it('shell variables and amounts that pair with a formula\'s `$`: MW005, not a padding or stray-dollar finding', () => {
    const text = 'The variable $RANDOM gives a number in $[0, 32767]$ if you need a seed.\n';
    assert.deepEqual(found(text), ['MW005 $RANDOM gives a number in $']);
    assert.match(message(text, 'MW005'), /the `\$` of `\$RANDOM` pairs with the next `\$`/);
    assert.equal(fixAll(text, lint).text, 'The variable <span>$</span>RANDOM gives a number in $[0, 32767]$ if you need a seed.\n');
  });
});

describe('MW034: a `+ `/`- `/`* ` line inside `$$` starts a list on GitHub', () => {
  it('is reported (not as a stray `$` or padding) and the fix indents the line, which GitHub keeps in the formula', () => {
    const text = 'We telescope:\n\n$$\nS = 1\n- \\frac{1}{n+1}\n+ c\n$$\n\nso the limit is 1.\n';
    const [f] = lint(text);
    assert.deepEqual(ids(text), ['MW034']);
    assert.match(f.message, /the line starting with `- ` inside `\$\$ … \$\$` starts a Markdown list/);
    const fixed = fixAll(text, lint).text;
    assert.equal(fixed, 'We telescope:\n\n$$\nS = 1\n    - \\frac{1}{n+1}\n    + c\n$$\n\nso the limit is 1.\n');
    assert.deepEqual(ids(fixed), []);
    const display = scanDocument(fixed).math.filter((m) => m.display);
    assert.equal(display.length, 1);
    assert.equal(display[0].tex.replace(/\s+/g, ' ').trim(), 'S = 1 - \\frac{1}{n+1} + c');
  });

  it('inside a blockquote too', () => {
    assert.deepEqual(ids('> $$\n> a\n> * b\n> $$\n'), ['MW034']);
    assert.deepEqual(ids(fixAll('> $$\n> a\n> * b\n> $$\n', lint).text), []);
  });

  it('`\\\\` in an inline formula that MW011 reports is reported by MW010 as well', () => {
    const text = 'Define $f(x) = \\begin{cases} x & \\text{if $x>0$} \\\\ 0 & \\text{else} \\end{cases}$ now.\n';
    assert.deepEqual(ids(text), ['MW010', 'MW011']);
    assert.match(lint(text)[0].message, /^Once GitHub renders this formula .*`\\\\` into `\\`.*Use the `` \$`…`\$ `` form\./);
    assert.deepEqual(ids(fixAll(text, lint).text), []);
  });
});
