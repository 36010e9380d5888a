import assert from 'node:assert/strict';
import { applyEdits, checkEdits, chooseFix, EditConflictError, fixAll, fixKeepsText, offeredFixes } from '../../src/core/lint/edits';
import type { Finding, Fix } from '../../src/core/types';
import { fixAllEdits } from '../../src/core/lint/actions';
import { lintText } from '../../src/core/lint/engine';
import { createRegistry } from '../../src/core/lint/registry';
import { todoRule } from './lint-test-rules';

function finding(start: number, end: number, fixes: Fix[], ruleId = 'MW900'): Finding {
  return {
    ruleId, ruleAlias: 'test', specRules: [], message: 'm', severity: 'warning', start, end,
    range: { start: { line: 0, character: start }, end: { line: 0, character: end } }, fixes, docs: '',
  };
}

describe('applyEdits', () => {
  it('applies edits given in any order', () => {
    const text = 'alpha beta gamma';
    const out = applyEdits(text, [
      { start: 11, end: 16, newText: 'G' },
      { start: 0, end: 5, newText: 'A' },
      { start: 6, end: 10, newText: 'B' },
    ]);
    assert.equal(out, 'A B G');
  });

  it('returns the same text for no edits and does not mutate the edit list', () => {
    const edits = [{ start: 2, end: 3, newText: 'x' }, { start: 0, end: 1, newText: 'y' }];
    const copy = JSON.parse(JSON.stringify(edits));
    assert.equal(applyEdits('abc', []), 'abc');
    assert.equal(applyEdits('abc', edits), 'ybx');
    assert.deepEqual(edits, copy);
  });

  it('rejects two replacements sharing characters, naming both', () => {
    assert.throws(
      () => applyEdits('0123456789', [{ start: 2, end: 5, newText: 'a' }, { start: 4, end: 7, newText: 'b' }]),
      (e: Error) => e instanceof EditConflictError && /edit #0 \(replace \[2, 5\)\).*edit #1 \(replace \[4, 7\)\)/.test(e.message),
    );
  });

  it('rejects identical ranges and an insert strictly inside a replacement', () => {
    assert.throws(() => applyEdits('abcdef', [{ start: 1, end: 3, newText: 'x' }, { start: 1, end: 3, newText: 'y' }]), EditConflictError);
    assert.throws(() => applyEdits('abcdef', [{ start: 1, end: 4, newText: 'x' }, { start: 2, end: 2, newText: 'y' }]), /overlapping edits/);
    assert.throws(() => applyEdits('abcdef', [{ start: 1, end: 4, newText: 'x' }, { start: 1, end: 2, newText: 'y' }]), /overlapping/);
  });

  it('allows touching edits, and orders inserts at one point as given, before a replacement starting there', () => {
    assert.equal(applyEdits('abcdef', [{ start: 3, end: 5, newText: 'Y' }, { start: 1, end: 3, newText: 'X' }]), 'aXYf');
    assert.equal(
      applyEdits('ab', [{ start: 1, end: 1, newText: '1' }, { start: 1, end: 1, newText: '2' }, { start: 1, end: 1, newText: '3' }]),
      'a123b',
    );
    // insert at the start of a replacement lands before it, insert at its end after it
    assert.equal(
      applyEdits('abcd', [{ start: 1, end: 3, newText: 'R' }, { start: 3, end: 3, newText: '>' }, { start: 1, end: 1, newText: '<' }]),
      'a<R>d',
    );
  });

  it('rejects out-of-range and reversed edits', () => {
    assert.throws(() => applyEdits('abc', [{ start: 2, end: 4, newText: '' }]), /invalid range \[2, 4\) for a text of length 3/);
    assert.throws(() => applyEdits('abc', [{ start: 2, end: 1, newText: '' }]), /invalid range/);
    assert.throws(() => applyEdits('abc', [{ start: -1, end: 1, newText: '' }]), /invalid range/);
    assert.throws(() => applyEdits('abc', [{ start: 0.5, end: 1, newText: '' }]), /invalid range/);
  });

  it('works in UTF-16 code units and refuses to split a surrogate pair', () => {
    const text = 'a😀b$x$'; // 😀 is two code units at offsets 1..3
    assert.equal(applyEdits(text, [{ start: 1, end: 3, newText: '🙂' }]), 'a🙂b$x$');
    assert.equal(applyEdits(text, [{ start: 4, end: 7, newText: '$y$' }]), 'a😀b$y$');
    assert.throws(() => applyEdits(text, [{ start: 2, end: 3, newText: '' }]), /split the surrogate pair at offset 1/);
    assert.throws(() => applyEdits(text, [{ start: 2, end: 2, newText: 'x' }]), /surrogate/);
    // CJK (one unit each) and combining marks are ordinary code units
    assert.equal(applyEdits('中文$x$', [{ start: 2, end: 2, newText: ' ' }]), '中文 $x$');
  });

  it('checkEdits agrees with applyEdits', () => {
    assert.doesNotThrow(() => checkEdits('abc', [{ start: 0, end: 1, newText: '' }]));
    assert.throws(() => checkEdits('abc', [{ start: 0, end: 2, newText: '' }, { start: 1, end: 3, newText: '' }]), EditConflictError);
  });
});

describe('chooseFix', () => {
  it('takes the preferred fix, else the first', () => {
    const a: Fix = { title: 'a', edits: [] };
    const b: Fix = { title: 'b', edits: [], preferred: true };
    assert.equal(chooseFix({ fixes: [a, b] }), b);
    assert.equal(chooseFix({ fixes: [a] }), a);
    assert.equal(chooseFix({ fixes: [] }), undefined);
  });
});

describe('fixAll', () => {
  // Toy linter: every "!" is a problem, fixable to ".".
  const lint = (t: string): Finding[] => {
    const out: Finding[] = [];
    for (const m of t.matchAll(/!/g)) {
      out.push(finding(m.index, m.index + 1, [{ title: 'dot', edits: [{ start: m.index, end: m.index + 1, newText: '.' }] }]));
    }
    return out;
  };

  it('applies every fix and re-lints until stable (touching fixes wait for the next pass)', () => {
    const r = fixAll('!!! and !', lint);
    assert.equal(r.text, '... and .');
    assert.equal(r.passes, 2);
    assert.deepEqual(r.applied.map((f) => f.start), [0, 2, 8, 1]);
    assert.deepEqual(r.refused, []);
    assert.deepEqual(lint(r.text), []);
  });

  it('takes the preferred fix and skips fixes overlapping an accepted one (left for the next pass)', () => {
    let calls = 0;
    const l = (t: string): Finding[] => {
      calls++;
      if (t !== '(((def') return [];
      return [
        finding(0, 3, [
          { title: 'first', edits: [{ start: 0, end: 3, newText: '(' }] },
          { title: 'pref', edits: [{ start: 0, end: 3, newText: '[' }], preferred: true },
        ]),
        finding(2, 5, [{ title: 'overlaps', edits: [{ start: 2, end: 5, newText: '{de' }] }]),
      ];
    };
    const r = fixAll('(((def', l);
    assert.equal(r.text, '[def');
    assert.equal(r.applied.length, 1);
    assert.equal(calls, 2);
  });

  it('refuses fixes that do not reduce the problems: growing, flipping, trading one problem for another', () => {
    const grow = (): Finding[] => [finding(0, 0, [{ title: 'grow', edits: [{ start: 0, end: 0, newText: 'x' }] }])];
    const g = fixAll('', grow);
    assert.equal(g.text, '');
    assert.equal(g.passes, 0);
    assert.equal(g.refused.length, 1);
    const flip = (t: string): Finding[] => [finding(0, 1, [{ title: 'flip', edits: [{ start: 0, end: 1, newText: t[0] === '+' ? '-' : '+' }] }])];
    assert.equal(fixAll('+', flip).text, '+');
    // "!" → "." creates ".." which is a problem too: the fix of the second "!" trades one problem for another.
    const trade = (t: string): Finding[] => [
      ...lint(t),
      ...[...t.matchAll(/\.\./g)].map((m) => finding(m.index, m.index + 2, [])),
    ];
    const r = fixAll('! x !!', trade);
    assert.equal(r.text, '. x .!');
    assert.equal(r.refused.length, 1);
  });

  it('refuses a fix that loses a letter or digit, and still applies the others', () => {
    const l = (t: string): Finding[] => [
      ...lint(t),
      ...[...t.matchAll(/ab2/g)].map((m) => finding(m.index, m.index + 3, [{ title: 'eat', edits: [{ start: m.index, end: m.index + 3, newText: 'a' }] }])),
    ];
    const r = fixAll('ab2 ! ab2 !', l);
    assert.equal(r.text, 'ab2 . ab2 .');
    assert.equal(r.refused.length, 1, 'the two alike fixes are refused together');
    // TeX macro names may change: they are not text a reader loses.
    assert.ok(fixKeepsText('\\mskip{5mu}', { title: 't', edits: [{ start: 0, end: 6, newText: '\\thickspace' }] }));
    assert.ok(!fixKeepsText('E = mc^2', { title: 't', edits: [{ start: 0, end: 8, newText: 'E = mc^' }] }));
    assert.ok(!fixKeepsText('abc', { title: 't', edits: [{ start: 0, end: 3, newText: 'abc' }] }), 'a no-op is not a fix');
  });

  it('offeredFixes keeps only fixes that reduce the problems', () => {
    const l = (t: string): Finding[] => [
      ...lint(t),
      ...[...t.matchAll(/\?/g)].map((m) => finding(m.index, m.index + 1, [{ title: 'worse', edits: [{ start: m.index, end: m.index + 1, newText: '!!' }] }])),
    ];
    const offered = offeredFixes('! ?', l('! ?'), l);
    assert.equal(offered[0].fixes.length, 1);
    assert.equal(offered[1].fixes.length, 0);
  });

  it('ignores no-op fixes and fixes whose own edits conflict', () => {
    const l = (): Finding[] => [
      finding(0, 1, [{ title: 'noop', edits: [{ start: 0, end: 1, newText: 'a' }] }]),
      finding(2, 3, [{ title: 'bad', edits: [{ start: 2, end: 4, newText: 'x' }, { start: 3, end: 4, newText: 'y' }] }]),
    ];
    const r = fixAll('abcd', l);
    assert.equal(r.text, 'abcd');
    assert.equal(r.passes, 0);
    assert.deepEqual(r.applied, []);
  });
});

describe('fixAllEdits (the editors\' "Fix all": one pass of the core\'s fix-all selection)', () => {
  const registry = createRegistry([todoRule]);
  const lint = (t: string): Finding[] => lintText(t, undefined, { registry });

  it('takes what one pass of lint --fix takes: fixes that touch wait for the next pass', () => {
    for (const text of ['TODO TODO\n', 'TODOTODO\n', 'a TODO, TODO and TODOTODO\n']) {
      const findings = lint(text);
      const editor = applyEdits(text, fixAllEdits(text, findings));
      assert.equal(editor, fixAll(text, lint, { maxPasses: 1 }).text, JSON.stringify(text));
    }
    assert.equal(applyEdits('TODOTODO\n', fixAllEdits('TODOTODO\n', lint('TODOTODO\n'))), 'TO DOTODO\n');
  });

  it('fixes one rule only when asked', () => {
    assert.deepEqual(fixAllEdits('TODO\n', lint('TODO\n'), 'MW999'), []);
  });
});
