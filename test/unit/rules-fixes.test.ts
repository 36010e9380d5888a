// Fixes that used to damage text (issue 10), each re-linted: the unclosed `$$` that a code-form fix pulled the rest
// of the document into, MW030 adding blank lines on every run, MW044 trading warnings for an MW002 error, and the
// formula after `**bold**` located one character to the left (a "spaces inside `$`" fix that ate a space).
import assert from 'node:assert/strict';
import { lintText } from '../../src/core/lint/engine';
import { fixAll } from '../../src/core/lint/edits';
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
