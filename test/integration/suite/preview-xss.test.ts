// The XSS corpus (≥ 50 payloads) rendered in the real preview webview: none executes. Each payload would set
// `window.__mwXss`, change `document.title` and add an element `#mw-xss-sentinel`; the webview's probe and the
// harness's view of the webview DOM both show none of that happened, in both modes.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { closeAll, fixture, frameCount, frameText, freshDoc, harness } from './helpers';
import { previewApi, rendered } from './previewHelpers';

suite('Preview safety (XSS corpus)', () => {
  suiteTeardown(closeAll);

  test('no payload of the corpus executes in the preview, in GitHub or VS Code mode', async () => {
    const preview = await previewApi();
    const text = await fixture('preview/xss-corpus.md');
    const payloads = text.split('\n').filter((l) => /^Payload \d+:$/.test(l)).length;
    assert.ok(payloads >= 50, `${payloads} payloads`);
    const { doc } = await freshDoc('xss', text);
    const first = rendered(preview, doc, (e) => e.blockCount > payloads, 'corpus rendered');
    if (preview.current()) await vscode.commands.executeCommand('mathWriteup.preview.open', doc.uri.toString());
    else await vscode.commands.executeCommand('mathWriteup.preview.openToSide');
    await first;
    for (const mode of ['github', 'vscode'] as const) {
      if (preview.current()?.mode !== mode) {
        const again = rendered(preview, doc, (e) => e.mode === mode, `${mode} render`);
        preview.setMode(mode);
        await again;
      }
      const p = await preview.probe();
      assert.strictEqual(p.mode, mode);
      assert.strictEqual(p.sentinel, null, `${mode}: window.__mwXss was set`);
      assert.strictEqual(p.title, 'Math Writeup Preview', `${mode}: document.title was changed`);
      assert.strictEqual(p.sentinelElements, 0, `${mode}: a payload created #mw-xss-sentinel`);
      assert.ok(p.blockCount > payloads, 'the whole corpus is shown');
      assert.ok(p.formulaCount >= 1, 'math after the payloads still renders');
      assert.strictEqual(p.cspViolations, 0, `${mode}: nothing even reached the Content Security Policy`);
      if (harness) {
        // The harness looks at the real webview DOM: the sentinel element must not exist in any frame.
        await assert.rejects(frameText('#mw-xss-sentinel', 1500), /no frame has/);
        // The writeup's own id="mw-xss-sentinel" survives only with GitHub's prefix.
        assert.ok((await frameCount('#user-content-mw-xss-sentinel', 1)) >= 1);
      }
    }
    const back = rendered(preview, doc, (e) => e.mode === 'github', 'back to GitHub mode');
    preview.setMode('github');
    await back;
  });
});
