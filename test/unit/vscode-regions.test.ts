// The line-level emulation of VS Code's multi-line `$$` blocks (used to place the incremental linter's and the fix
// check's chunk cuts) must agree with @vscode/markdown-it-katex itself; where it did not (`$$ x $$ ` with a trailing
// space opens a block in VS Code), a fix verified on its chunk changed the pairing further down and `lint --fix`
// left a fix offered that it would not apply.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { vscodeDisplayRegions, vscodeDisplayRegionsExact } from '../../src/core/scan/vscodeRegions';
import { fixAll } from '../../src/core/lint/edits';
import { lintText } from '../../src/core/lint/engine';

const regions = (text: string): [number, number][] => vscodeDisplayRegions(text.split(/\r?\n/));

describe('VS Code `$$` block regions (line emulation vs the real plugin)', () => {
  it('a one-line `$$x$$` is local; with a trailing space it opens a block up to the next `$$` line', () => {
    for (const text of ['$$x$$\n\ntext\n\n$$\ny\n$$\n', '$$ x $$ \n\ntext\n\n$$y$$\n', '$$x$$ \r\n\r\ntext\r\n$$\r\n']) {
      assert.deepEqual(regions(text), vscodeDisplayRegionsExact(text), JSON.stringify(text));
    }
    assert.deepEqual(regions('$$ x $$ \n\n```math\n$$x$$\n```\n'), [[0, 4]]);
  });

  it('agrees with the plugin on documents of `$$` lines, fences, text and blank lines (property)', () => {
    const line = fc.constantFrom('$$', '$$x$$', '$$ x $$ ', '$$x$$  ', '$$ a', 'b $$', 'a $$ b', 'text', '', '', '```math', '```', '$a$ and $$b$$');
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 16 }), (lines) => {
        const text = lines.join('\n') + '\n';
        assert.deepEqual(regions(text), vscodeDisplayRegionsExact(text));
      }),
      { numRuns: 500 },
    );
  });

  it('lint --fix leaves nothing fixable on the document that showed the disagreement', () => {
    const text = '> the \n\n$$\nE = mc^2\n$$\n\n$$ x $$ \n\n```math\n$$x$$\n```\n\n$$\nE = mc^2\n$$\n\nthe \n\n';
    const fixed = fixAll(text, (t) => lintText(t)).text;
    assert.deepEqual(lintText(fixed).filter((f) => f.fixes.length > 0).map((f) => f.ruleId), []);
  });
});
