// Findings deltas (src/core/lint/findingsDelta.ts): applying the delta between two lints gives exactly the second
// lint's findings, whatever the edit; an edit far from most findings keeps them; a delta for another base is refused.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { lintText } from '../../src/core/lint/engine';
import type { Finding } from '../../src/core/types';
import { applyFindingsDelta, carriedFindings, diffFindings, sameFindings } from '../../src/core/lint/findingsDelta';

const PIECES = [
  'Plain $x^2$ and $w^*$ then $v^*$.',
  'A $ w $ spaced, a$b$ glued.',
  '$$\na = b\n$$',
  'Escapes $\\{ a \\}$ and $\\|x\\|$ here.',
  '- item $ y $\n- next $\\operatorname{Tr}(A)$',
  '| a | b |\n|---|---|\n| $x$ | $\\|y\\|$ |',
  'Costs $5 and $6 today.',
  '中文$x$文字',
  '```\ncode $ x $\n```',
];

describe('findings deltas', () => {
  it('rebuild exactly the new findings through random edits', () => {
    const base = PIECES.join('\n\n') + '\n';
    const edit = fc.record({
      at: fc.nat(),
      del: fc.nat({ max: 20 }),
      ins: fc.constantFrom('', '\n', '\n\n', '$', ' x', 'text ', '$ y $', '\\{', '中', '\r\n', '- '),
    });
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 10 }), (edits) => {
        let text = base;
        let before = lintText(text);
        for (const e of edits) {
          const at = e.at % (text.length + 1);
          text = text.slice(0, at) + e.ins + text.slice(Math.min(text.length, at + e.del));
          const after = lintText(text);
          const delta = diffFindings(before, after);
          assert.deepEqual(applyFindingsDelta(before, delta), after);
          assert.ok(carriedFindings(delta) <= after.length);
          before = after;
        }
      }),
      { numRuns: Number(process.env.MW_PROPERTY_RUNS ?? 80), seed: Number(process.env.MW_PROPERTY_SEED ?? 5) },
    );
  });

  it('rebuild unrelated findings too (nothing kept that differs)', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...PIECES), { maxLength: 8 }), fc.array(fc.constantFrom(...PIECES), { maxLength: 8 }), (a, b) => {
        const fa = lintText(a.join('\n\n'));
        const fb = lintText(b.join('\n\n'));
        assert.deepEqual(applyFindingsDelta(fa, diffFindings(fa, fb)), fb);
      }),
      { numRuns: 60, seed: 3 },
    );
  });

  it('keep the findings above an edit and move the ones below it', () => {
    const para = (i: number): string => `Paragraph ${i} has $ w_${i} $ and $\\{ a \\}$.\n\n`;
    const text = Array.from({ length: 50 }, (_, i) => para(i)).join('');
    const before = lintText(text);
    const edited = text.replace('Paragraph 20 has', 'Paragraph 20 now has\ntwo lines and');
    const after = lintText(edited);
    const delta = diffFindings(before, after);
    assert.equal(before.length, 100);
    assert.deepEqual(
      delta.ops.map((op) => ('add' in op ? { add: op.add.length } : op)),
      [
        { keep: 40, from: 0, shift: { offset: 0, line: 0 } }, // paragraphs 0–19
        { add: 2 }, // paragraph 20
        { keep: 58, from: 42, shift: { offset: 'now \ntwo lines and'.length, line: 1 } }, // paragraphs 21–49, moved
      ],
    );
    assert.deepEqual(applyFindingsDelta(before, delta), after);
  });

  it('keep the moved findings on both sides of a page-wide finding that moved on its own', () => {
    // Appending to a line changes where the brace budget (MW050) runs out, far below the edit.
    const para = (i: number): string => `Paragraph ${i}: $\\{ ${'{a}'.repeat(40)} \\}$ and $ w_${i} $.\n\n`;
    const text = Array.from({ length: 60 }, (_, i) => para(i)).join('');
    const before = lintText(text);
    const after = lintText(text.replace('Paragraph 3: $', `Paragraph 3: $\\{ ${'{b}'.repeat(50)} \\}$ $`));
    const budget = (fs: readonly Finding[]): number[] => fs.filter((f) => f.ruleId === 'MW050').map((f) => f.range.start.line);
    assert.equal(budget(before).length, 1, 'the budget runs out in this writeup');
    assert.ok(budget(after)[0] < budget(before)[0], `the budget now runs out earlier: line ${budget(after)[0]}, was ${budget(before)[0]}`);
    const delta = diffFindings(before, after);
    assert.deepEqual(applyFindingsDelta(before, delta), after);
    assert.ok(carriedFindings(delta) <= 8, `carried ${carriedFindings(delta)} of ${after.length}`);
    assert.ok(delta.ops.filter((op) => 'keep' in op && op.shift.offset > 0).length >= 2, 'moved runs on both sides of the budget finding');
  });

  it('tell equal finding lists from ones that differ in any field, a fix edit included', () => {
    const a = lintText('A $ w $ spaced and $\\{x\\}$.\n');
    const copy = structuredClone(a);
    assert.ok(sameFindings(a, copy));
    const withFix = a.findIndex((f) => f.fixes.length > 0);
    assert.ok(withFix >= 0);
    copy[withFix].fixes[0].edits[0].newText += ' ';
    assert.ok(!sameFindings(a, copy));
    assert.ok(!sameFindings(a, a.slice(1)));
  });

  it('refuse a delta made for another base', () => {
    const a = lintText('A $ w $ spaced.\n');
    const b = lintText('A $ w $ spaced and $ v $.\n');
    const delta = diffFindings(a, b);
    assert.throws(() => applyFindingsDelta(b, delta), /findings delta for 1 findings applied to 2/);
  });
});
