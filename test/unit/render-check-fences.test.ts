// The one check-fence detector (src/core/scan/fences.ts): the preview's cards, the CodeLenses and the check worker
// all use it, so a ```Check block is a check everywhere (GitHub compares an info string's language name without
// regard to case), and a block the detector rejects gets no card either.
import assert from 'node:assert/strict';
import { findCheckFences, isCheckFence, mayHaveCheckFence } from '../../src/core/scan/fences';
import path from 'node:path';
import { renderDocument } from '../../src/core/render/document';
import { startChecks } from '../../src/node/checkRunner';

describe('check-fence detector', function () {
  it('takes the first word of the info string, in any case, ending at whitespace or {', function () {
    for (const info of ['check', 'Check', 'CHECK', ' check ', 'check {seed=3}', 'check{seed=3}', 'check title']) {
      assert.equal(isCheckFence({ info }), true, info);
    }
    for (const info of ['', 'checker', 'check-list', 'python check', 'math', 'checks', '`check`']) {
      assert.equal(isCheckFence({ info }), false, info);
    }
  });

  it('finds ```Check and ~~~ check blocks, not checks inside other fences or indented code', function () {
    const text = [
      '```Check', 'title: upper', 'claim: $1 = 1$', '```', '',
      '~~~ check', 'title: tilde', '~~~', '',
      '````markdown', '```check', 'title: inside', '```', '````', '',
      '    ```check', '    indented', '    ```', '',
      '```checker', 'x', '```',
    ].join('\n');
    assert.deepEqual(findCheckFences(text).map((f) => f.line), [0, 5]);
    assert.equal(mayHaveCheckFence('```python\nx\n```'), false);
    assert.deepEqual(findCheckFences('no fences at all'), []);
  });

  it('the preview shows a card exactly for the blocks the detector accepts', function () {
    const text = '```Check\ntitle: upper case\nclaim: $1 = 1$\n```\n\n```checker\ntitle: not a check\n```\n';
    for (const mode of ['github', 'vscode'] as const) {
      const html = renderDocument(text, { mode }).map((b) => b.html).join('\n');
      assert.equal((html.match(/class="mw-check /g) ?? []).length, 1, mode);
      assert.match(html, /upper case/);
    }
  });

  it('the check worker (extension and `math-writeup check`) runs a ```Check block like a ```check block', async function () {
    this.timeout(60000);
    const text = '```Check\ntitle: upper\ngiven: x \\sim \\mathcal{N}(0,1)\ntrials: 5\nclaim: (x+1)^2 = x^2 + 2x + 1\n```\n\n```checker\ntitle: no\n```\n';
    const workerPath = path.resolve(__dirname, '..', '..', '..', 'dist', 'checkWorker.js');
    const results = await startChecks({ text, timeLimitMs: 20000 }, { workerPath }).results;
    assert.deepEqual(results.map((r) => [r.line, r.status, r.title]), [[0, 'pass', 'upper']]);
  });
});
