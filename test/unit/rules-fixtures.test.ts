// Rule fixtures with inline expectation markers, and the portable-fix harness: every fix re-linted, and the fixed
// formula must render in KaTeX exactly as the original rendered in VS Code, both as GitHub hands it to MathJax and
// as VS Code reads it.
import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import katex from 'katex';
import { lintText } from '../../src/core/lint/engine';
import { applyEdits } from '../../src/core/lint/edits';
import { scanDocument } from '../../src/core/scan/scanner';
import { LineIndex } from '../../src/core/text';
import type { Finding } from '../../src/core/types';

const fixtureDir = path.resolve(__dirname, '../../../test/fixtures/rules');

function expectations(text: string): Map<number, string[]> {
  const lines = text.split('\n');
  const out = new Map<number, string[]>();
  lines.forEach((l, i) => {
    const m = /^<!-- expect: ([A-Z0-9 ]+) -->$/.exec(l.trim());
    if (!m) return;
    let target = i - 1;
    while (target >= 0 && lines[target].trim() === '') target--;
    out.set(target, m[1].trim().split(/\s+/).sort());
  });
  return out;
}

/** Findings are attributed to the line where they end (multi-line formulas end on the marker's previous line). */
function byLine(findings: Finding[]): Map<number, string[]> {
  const out = new Map<number, string[]>();
  for (const f of findings) {
    const line = f.range.end.line;
    out.set(line, [...(out.get(line) ?? []), f.ruleId].sort());
  }
  return out;
}

/**
 * KaTeX's HTML, normalised to what is visible: glyphs in order with their classes and styles. Plain `mord` grouping
 * wrappers (what `{…}` or `\mathop{…}` add around the same glyphs) and closing tags are dropped.
 */
const render = (tex: string, display: boolean): string =>
  katex
    .renderToString(tex, { displayMode: display, output: 'html', throwOnError: false, strict: 'ignore' })
    .replace(/<span class="mord( mtight)?">/g, '')
    .replace(/<\/span>/g, '');

describe('rule fixtures', () => {
  for (const file of fs.readdirSync(fixtureDir).filter((f) => f.endsWith('.md'))) {
    const text = fs.readFileSync(path.join(fixtureDir, file), 'utf8');
    it(`${file}: findings match the markers line by line`, () => {
      const expected = expectations(text);
      const actual = byLine(lintText(text));
      const lines = new Set([...expected.keys(), ...actual.keys()]);
      for (const line of [...lines].sort((a, b) => a - b)) {
        assert.deepStrictEqual(actual.get(line) ?? [], expected.get(line) ?? [], `line ${line + 1}: ${text.split('\n')[line]}`);
      }
    });

    it(`${file}: fixing everything leaves no fixable finding`, () => {
      let current = text;
      for (let pass = 0; pass < 10; pass++) {
        const fixable = lintText(current).filter((f) => f.fixes.length > 0);
        if (fixable.length === 0) break;
        const used: Finding[] = [];
        const edits = [];
        for (const f of fixable) {
          const fix = f.fixes.find((x) => x.preferred) ?? f.fixes[0];
          if (used.some((u) => u.start < f.end && f.start < u.end)) continue;
          used.push(f);
          edits.push(...fix.edits);
        }
        current = applyEdits(current, edits);
      }
      const left = lintText(current).filter((f) => f.fixes.length > 0);
      assert.deepStrictEqual(left.map((f) => `${f.ruleId}@${f.range.start.line + 1}`), []);
    });

    it(`${file}: each fix is portable (GitHub renders it, KaTeX output unchanged)`, () => {
      const before = scanDocument(text);
      for (const f of lintText(text)) {
        for (const fix of f.fixes.filter((x) => x.preferred)) {
          // Only the preferred fix promises identical rendering; alternatives (e.g. \star) say what they change.
          if (f.ruleId === 'MW005') continue; // currency: the fix deliberately stops the text from being math
          const v = before.vscodeMath.find((m) => m.start <= f.start && f.end <= m.end) ?? before.vscodeMath.find((m) => f.start <= m.start && m.end <= f.end);
          if (!v) continue;
          const fixed = applyEdits(text, fix.edits);
          const after = scanDocument(fixed);
          const delta = fix.edits.reduce((d, e) => d + (e.start < v.start ? e.newText.length - (e.end - e.start) : 0), 0);
          const lo = v.start + delta;
          const g = after.math.find((m) => m.end > lo && m.start <= lo + 2);
          const label = `${f.ruleId} "${fix.title}" on ${JSON.stringify(text.slice(v.start, v.end))}`;
          assert.ok(g, `${label}: GitHub renders the fixed formula`);
          const want = render(v.tex, v.display);
          assert.strictEqual(render(g!.tex, g!.display || v.display), want, `${label}: GitHub's TeX renders like the original`);
          const v2 = after.vscodeMath.find((m) => m.start === g!.start) ?? after.vscodeMath.find((m) => m.end > lo && m.start <= lo + 2);
          assert.ok(v2, `${label}: VS Code still renders it`);
          assert.strictEqual(render(v2!.tex, v2!.display || v.display), want, `${label}: VS Code renders it as before`);
        }
      }
    });
  }
  it('MW033 flags `$$` inside a ```math fence and removes it', () => {
    const text = '```math\n$$x^2$$\n```\n';
    const f = lintText(text).find((x) => x.ruleId === 'MW033');
    assert.ok(f);
    assert.strictEqual(applyEdits(text, f!.fixes[0].edits), '```math\nx^2\n```\n');
  });
  it('reports positions in the writeup, 0-based, UTF-16', () => {
    const text = '语言 $x$ ok\n其中$y$是\n';
    const [f] = lintText(text);
    assert.strictEqual(f.ruleId, 'MW001');
    assert.deepStrictEqual(f.range.start, { line: 1, character: 2 });
    assert.strictEqual(new LineIndex(text).offsetAt(f.range.start), f.start);
  });
});
