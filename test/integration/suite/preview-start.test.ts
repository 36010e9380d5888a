// The preview starts when other webviews open beside it, and at once when it is opened again right after a preview
// closed. In VS Code for the Web up to at least 1.100, each new webview replaces the service worker that serves
// webview resources, and a resource request that loses its answer in the swap holds back every webview for 30 s.
// The preview's page carries its script, styles and fonts, so it has no request to lose; with linked assets, these
// tests saw 30-second stalls (the page watchdog's warnings) on VS Code 1.100.3.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { closeAll, fixture, freshDoc, getApi, median } from './helpers';
import { previewApi, rendered } from './previewHelpers';

const STALLS = /(did not start|did not load|not applied within)/;

suite('Preview start', () => {
  suiteTeardown(closeAll);

  test('a preview opened while other webviews open starts without a reload', async function () {
    this.timeout(180000);
    const preview = await previewApi();
    const { api } = await getApi();
    const logBefore = api.recentLog().length;
    const times: number[] = [];
    for (let i = 0; i < 3; i++) {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      const { doc } = await freshDoc(`start-${i}`, await fixture('preview/sample.md'));
      // 25 s: less than the 30 s a lost resource request used to hold every webview back.
      const first = rendered(preview, doc, (e) => e.blockCount > 0, `render ${i + 1} beside new webviews`, 25000);
      const t0 = Date.now();
      await vscode.commands.executeCommand('mathWriteup.preview.openToSide');
      // Three other webviews open in a third column while the preview loads.
      const others = [0, 1, 2].map((k) => {
        const p = vscode.window.createWebviewPanel('mathWriteupTest.other', `Other ${k}`, { viewColumn: vscode.ViewColumn.Three, preserveFocus: true }, { enableScripts: true });
        p.webview.html = `<!DOCTYPE html><html><body><h1>Other webview ${k}</h1></body></html>`;
        return p;
      });
      try {
        await first;
        times.push(Date.now() - t0);
      } finally {
        for (const p of others) p.dispose();
      }
    }
    // Webviews created at the same moment can still leave a frame waiting for VS Code's resource loader (a race in
    // VS Code for the Web 1.100 that no page content avoids); the preview's watchdog then replaces the frame. Only a
    // page that ran but did not start would be our fault.
    const stalls = api.recentLog().slice(logBefore).filter((l) => STALLS.test(l));
    console.log(
      `[measure] preview start beside three new webviews: first render median ${median(times)} ms (${times.join(', ')} ms); ` +
        `${stalls.length === 0 ? 'no frame needed replacing' : `the watchdog acted: ${stalls.map((l) => l.replace(/^\S+ warn /, '')).join(' | ')}`}`,
    );
    assert.deepStrictEqual(stalls.filter((l) => !/its frame never ran the page\); replacing the panel/.test(l)), [], 'no page that ran failed to start');
  });

  test('a preview opened right after another one closed starts without a reload', async function () {
    this.timeout(180000);
    const preview = await previewApi();
    const { api } = await getApi();
    const logBefore = api.recentLog().length;
    const corpus = await fixture('preview/xss-corpus.md');
    const sample = await fixture('preview/sample.md');
    const times: number[] = [];
    for (let i = 0; i < 3; i++) {
      // Each round opens a preview of a different writeup and closes it the moment it has rendered.
      for (const [name, text] of [[`reopen-corpus-${i}`, corpus], [`reopen-sample-${i}`, sample]] as const) {
        await closeAll();
        await vscode.commands.executeCommand('workbench.action.closeAllGroups');
        const { doc } = await freshDoc(name, text);
        const first = rendered(preview, doc, (e) => e.blockCount > 0, `${name} rendered`, 45000);
        const t0 = Date.now();
        await vscode.commands.executeCommand('mathWriteup.preview.openToSide');
        await first;
        times.push(Date.now() - t0);
      }
    }
    const stalls = api.recentLog().slice(logBefore).filter((l) => STALLS.test(l));
    console.log(`[measure] preview opened right after one closed: first render median ${median(times)} ms, max ${Math.max(...times)} ms (${times.length} opens)`);
    assert.deepStrictEqual(stalls, [], 'no preview page needed the watchdog');
  });
});
