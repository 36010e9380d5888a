// Property tests of the lint pipeline: lint and fix never throw, fixing is idempotent, fixes stay in their ranges
// (pathological inputs: lint-pathological.test.ts). Run against the project's real rules (when the registry has any) and against the
// engine's test rules.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { lintText } from '../../src/core/lint/engine';
import { defaultRegistry, type Registry } from '../../src/core/lint/registry';
import { chooseFix, fixAll } from '../../src/core/lint/edits';
import { LineIndex } from '../../src/core/text';
import type { Finding } from '../../src/core/types';
import { testRegistry } from './lint-test-rules';

const FRAGMENTS = [
  '$', '$$', '$`', '`$', '\\', '\\\\', '\\{', '\\}', '\\|', '\\,', '*', '**', '_', '__', '`', '```', '```math\n', '~~',
  '中文', '，', '。', '😀', '<b>', '</b>', '<span>', '<!-- x -->', '|', '| a | b |\n|---|---|\n', '\n', '\n\n', '\r\n',
  ' ', '  ', '\t', 'x', 'w', '^', '^*', '{', '}', '[', ']', '(', ')', '#', '> ', '- ', '1. ', '&amp;', '&#36;', 'TODO',
  '<!-- math-writeup-disable -->', '<!-- math-writeup-enable MW001 -->', '<!-- math-writeup-disable-next-line nope -->',
  '    ', 'http://x.y/$a$', '[t]: http://u\n', '\\begin{aligned}', '\\end{aligned}', '&', '\\\\\n',
];

const markdownish = fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 60 }).map((a) => a.join(''));
const anyText = fc.oneof(markdownish, fc.string({ unit: 'binary', maxLength: 120 }), fc.string({ unit: 'grapheme', maxLength: 80 }));

function registries(): [string, Registry][] {
  const out: [string, Registry][] = [['test rules', testRegistry()]];
  const real = defaultRegistry();
  if (real.rules.length > 0) out.unshift(['project rules', real]);
  return out;
}

function assertWellFormed(text: string, findings: Finding[]): void {
  const lines = new LineIndex(text);
  for (const f of findings) {
    assert.ok(f.start >= 0 && f.start <= f.end && f.end <= text.length, `${f.ruleId} range [${f.start}, ${f.end})`);
    assert.deepEqual(f.range, lines.range(f.start, f.end));
    assert.ok(!/failed on this document|reported .* and was skipped|could not scan/.test(f.message), `internal failure: ${f.message}`);
  }
}

describe('lint properties', function () {
  this.timeout(120000);
  for (const [name, registry] of registries()) {
    describe(name, () => {
      // The test registry's MW903 fails on purpose; the project's rules all run.
      const config = name === 'test rules' ? { rules: { MW903: 'off' as const } } : {};
      const lint = (t: string): Finding[] => lintText(t, config, { registry });

      it('lint never throws and reports well-formed findings', () => {
        fc.assert(fc.property(anyText, (text) => assertWellFormed(text, lint(text))), { numRuns: 300 });
      });

      it('fixing twice equals fixing once', () => {
        fc.assert(
          fc.property(anyText, (text) => {
            const once = fixAll(text, lint).text;
            assert.equal(fixAll(once, lint).text, once);
          }),
          { numRuns: 200 },
        );
      });

      it('one fix pass leaves the text before the first edit and after the last edit unchanged', () => {
        fc.assert(
          fc.property(anyText, (text) => {
            const edits = lint(text).flatMap((f) => chooseFix(f)?.edits ?? []);
            const r = fixAll(text, lint, { maxPasses: 1 });
            if (edits.length === 0) {
              assert.equal(r.text, text);
              return;
            }
            const lo = Math.min(...edits.map((e) => e.start));
            const hi = Math.max(...edits.map((e) => e.end));
            assert.ok(r.text.startsWith(text.slice(0, lo)), 'prefix changed');
            assert.ok(r.text.endsWith(text.slice(hi)), 'suffix changed');
          }),
          { numRuns: 200 },
        );
      });
    });
  }
});
