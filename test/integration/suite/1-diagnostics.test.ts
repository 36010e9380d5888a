// Live diagnostics in a real VS Code: the expected findings of a sample writeup, docs links, the status bar,
// version guard and debounce, clearing on close, and settings taking effect.
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { DiagnosticsPublished, MathWriteupApi } from '../../../src/vscode/api';
import { closeAll, diagnosticsFor, diagnosticsWhere, fixture, freshDoc, getApi, screenshot, setSetting, summary, workspaceRoot } from './helpers';

/** What GitHub breaks in test/integration/workspace/pitfalls.md (0-based line:character of each formula). */
const PITFALLS = ['MW001@11:11', 'MW001@11:4', 'MW002@4:16', 'MW002@7:67', 'MW010@9:32'];

suite('Diagnostics', () => {
  let api: MathWriteupApi;

  suiteSetup(async () => {
    const r = await getApi();
    api = r.api;
    console.log(`vscode ${vscode.version} (${vscode.env.appName}, ui kind ${vscode.env.uiKind}), extension host node ${process.version}`);
    console.log(
      `[measure] activation: ${r.wallMs === undefined ? 'n/a (already active)' : `${r.wallMs.toFixed(1)} ms wall (load + activate)`}, ` +
        `bundle evaluation + activate() ${api.loadAndActivateMs.toFixed(1)} ms, activate() body ${api.activationMs.toFixed(1)} ms`,
    );
    const t = r.vscodeTimes;
    console.log(
      t
        ? `[measure] activation as VS Code times it (extension host performance marks): code loading ${t.codeLoadingMs.toFixed(1)} ms + ` +
            `activate ${t.activateMs.toFixed(1)} ms = ${(t.codeLoadingMs + t.activateMs).toFixed(1)} ms (what the Running Extensions view shows); ` +
            `${t.totalMs.toFixed(1)} ms from loading to activated, including VS Code creating the extension context`
        : '[measure] activation as VS Code times it: n/a (this VS Code exposes no performance marks)',
    );
  });

  teardown(closeAll);

  test('a sample writeup gets exactly the expected diagnostics, with docs links and source', async () => {
    const uri = vscode.Uri.joinPath(workspaceRoot(), 'pitfalls.md');
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    const diags = await diagnosticsFor(api, doc);
    assert.deepStrictEqual(summary(diags), [...PITFALLS].sort());
    for (const d of diags) {
      assert.strictEqual(d.source, 'math-writeup');
      assert.strictEqual(d.severity, vscode.DiagnosticSeverity.Error);
      assert.ok(typeof d.code === 'object', 'code carries a docs target');
      const code = d.code as { value: string; target: vscode.Uri };
      assert.ok(code.target.path.endsWith(`/docs/rules/${code.value}.md`), `docs link ${code.target.toString()}`);
    }
    const space = diags.find((d) => d.range.start.line === 4);
    assert.match(space?.message ?? '', /GitHub shows this as plain text/);
    assert.strictEqual(doc.getText(space?.range), '$ \\nabla L(w) = -2\\sigma(y - \\sigma w) $');
    const cjk = diags.find((d) => d.range.start.line === 11 && d.range.start.character === 4);
    assert.match(cjk?.message ?? '', /CJK character `数` touches the opening `\$`/);
    await diagnosticsWhere(uri, () => api.statusBarText() === '$(error) GitHub math: 5 problems', 'status bar count');
    await vscode.commands.executeCommand('workbench.actions.view.problems');
    await screenshot('diagnostics');
  });

  test("GitHub's MathJax verdicts arrive in the background (MW053), after the fast rules", async () => {
    const { doc } = await freshDoc('mathjax', 'The mean is $\\frac{1}{n}\\sum_i x_i$ and half of it is $\\frac{1}{2$.\n');
    const diags = await diagnosticsWhere(doc.uri, (d) => d.some((x) => (x.code as { value: string } | undefined)?.value === 'MW053'), 'MW053 published', 60000);
    const mj = diags.find((x) => (x.code as { value: string }).value === 'MW053');
    assert.match(mj?.message ?? '', /GitHub shows a MathJax error: Missing close brace/);
    assert.strictEqual(mj?.range.start.line, 0);
    assert.ok(doc.getText(mj?.range).length > 0, 'the range covers the formula text');
  });

  test('a clean writeup has no diagnostics and the status bar says so', async () => {
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(workspaceRoot(), 'clean.md'));
    await vscode.window.showTextDocument(doc);
    assert.deepStrictEqual(summary(await diagnosticsFor(api, doc)), []);
    assert.strictEqual(api.statusBarText(), '$(check) GitHub math: 0 problems');
  });

  test('typing re-lints the new version only (debounced, never an older version)', async () => {
    const { doc, editor } = await freshDoc('typing', await fixture('clean.md'));
    await diagnosticsFor(api, doc);
    const seen: DiagnosticsPublished[] = [];
    const stale: string[] = [];
    const sub = api.onDidPublishDiagnostics((e) => {
      if (e.uri.toString() !== doc.uri.toString()) return;
      seen.push(e);
      if (e.version !== doc.version) stale.push(`published v${e.version} while the document was v${doc.version}`);
    });
    try {
      const end = doc.lineAt(doc.lineCount - 1).range.end;
      const typed = '\nThe bound is $ \\eta < 1/\\sigma^2 $.';
      for (let i = 0; i < typed.length; i++) {
        const at = doc.lineAt(doc.lineCount - 1).range.end;
        assert.ok(await editor.edit((b) => b.insert(i === 0 ? end : at, typed[i])));
      }
      const diags = await diagnosticsFor(api, doc);
      assert.deepStrictEqual(summary(diags), [`MW002@${doc.lineCount - 1}:13`]);
    } finally {
      sub.dispose();
    }
    assert.deepStrictEqual(stale, []);
    assert.ok(seen.length < 10, `debounced: ${seen.length} lint runs for 36 keystrokes`);
  });

  test('closing a writeup clears its diagnostics; showing it again re-lints', async () => {
    const { doc } = await freshDoc('closing', await fixture('pitfalls.md'));
    assert.strictEqual((await diagnosticsFor(api, doc)).length, 5);
    const cleared = diagnosticsWhere(doc.uri, (d) => d.length === 0, 'diagnostics cleared on close');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    await cleared;
    const again = diagnosticsWhere(doc.uri, (d) => d.length === 5, 'diagnostics back when shown again');
    await vscode.window.showTextDocument(doc);
    await again;
  });

  test('settings take effect: rule off, rule severity, target, enable', async () => {
    const { doc } = await freshDoc('settings', await fixture('pitfalls.md'));
    const uri = doc.uri;
    try {
      await diagnosticsFor(api, doc);
      await setSetting('rules', { 'space-inside-dollars': 'off', MW001: 'warning' });
      let d = await diagnosticsWhere(uri, (x) => x.length === 3, 'MW002 off');
      assert.deepStrictEqual(summary(d), ['MW001@11:11', 'MW001@11:4', 'MW010@9:32']);
      assert.deepStrictEqual(
        d.filter((x) => (x.code as { value: string }).value === 'MW001').map((x) => x.severity),
        [vscode.DiagnosticSeverity.Warning, vscode.DiagnosticSeverity.Warning],
      );
      await setSetting('rules', undefined);
      d = await diagnosticsWhere(uri, (x) => x.length === 5, 'rules back to defaults');
      // Every rule that fires here protects GitHub: with target "vscode" none is left.
      await setSetting('target', 'vscode');
      d = await diagnosticsWhere(uri, (x) => x.length === 0, 'target vscode');
      await setSetting('target', undefined);
      await diagnosticsWhere(uri, (x) => x.length === 5, 'target back to both');
      await setSetting('enable', false);
      await diagnosticsWhere(uri, (x) => x.length === 0, 'disabled');
      assert.strictEqual(api.statusBarText(), undefined, 'status bar hidden when disabled');
    } finally {
      await setSetting('rules', undefined);
      await setSetting('target', undefined);
      await setSetting('enable', undefined);
    }
    await diagnosticsWhere(uri, (x) => x.length === 5, 'enabled again');
  });
});
