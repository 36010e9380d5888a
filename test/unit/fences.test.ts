// findFences parses blocks only (the inline phase is most of a parse's cost); it must find exactly the fences a full
// GitHub parse finds, in lists, quotes and footnotes too.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createGfmParser } from '../../src/core/markdown/gfm';
import { findFences } from '../../src/core/scan/fences';

const root = path.resolve(__dirname, '..', '..', '..');

describe('findFences', function () {
  it('finds the fences of a full GFM parse, with their lines and contents', function () {
    const tricky = [
      '```check\ntitle: a\n```',
      '- item\n\n  ```math\n  x^2\n  ```',
      '> ```\n> quoted\n> ```',
      '    ```\n    indented code, not a fence\n    ```',
      'Text[^1].\n\n[^1]: note\n\n    ```\n    in a footnote\n    ```',
      'After the footnote.',
      '~~~ check\ntitle: tilde\n~~~',
      '```\nunclosed',
    ].join('\n\n');
    const docs = [tricky, ...['samples/gd-step-size.md', 'samples/github-pitfalls.md', 'docs/checks.md'].map((p) => readFileSync(path.join(root, p), 'utf8'))];
    const full = createGfmParser();
    for (const text of docs) {
      const want = full.parse(text, {}).filter((t) => t.type === 'fence').map((t) => ({ info: t.info.trim(), content: t.content, line: t.map?.[0] ?? -1 }))
        .sort((a, b) => a.line - b.line);
      const got = findFences(text).map((f) => ({ info: f.info, content: f.content, line: f.line }));
      assert.deepEqual(got, want);
      if (text === tricky) assert.equal(got.length, 6);
    }
  });
});
