// Test entry for the packaged extension: the .vsix was installed into the server's extensions dir (not loaded as a
// development extension); this checks it is there, activates on a writeup and publishes diagnostics.
import * as assert from 'assert';
import * as fs from 'fs';
import * as vscode from 'vscode';
import type { MathWriteupApi } from '../../../src/vscode/api';

async function probe(): Promise<string[]> {
  const ext = vscode.extensions.getExtension<MathWriteupApi>('math-writeup.math-writeup');
  assert.ok(ext, 'the installed extension is known to VS Code');
  assert.ok(!ext.extensionPath.includes('/test/integration/'), `installed copy, not the development folder: ${ext.extensionPath}`);
  const root = vscode.workspace.workspaceFolders?.[0].uri;
  assert.ok(root);
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(root, 'pitfalls.md'));
  await vscode.window.showTextDocument(doc);
  const diags = await new Promise<vscode.Diagnostic[]>((resolve, reject) => {
    const get = () => vscode.languages.getDiagnostics(doc.uri).filter((d) => d.source === 'math-writeup');
    const timer = setTimeout(() => reject(new Error('no diagnostics from the installed extension within 60 s')), 60000);
    const done = (d: vscode.Diagnostic[]) => {
      clearTimeout(timer);
      sub.dispose();
      resolve(d);
    };
    const sub = vscode.languages.onDidChangeDiagnostics(() => {
      if (get().length > 0) done(get());
    });
    if (get().length > 0) done(get());
  });
  assert.ok(ext.isActive, 'activated by opening a Markdown file (onLanguage:markdown)');
  assert.ok(diags.length > 0);
  return [`installed at ${ext.extensionPath}`, `version ${ext.packageJSON.version}`, `${diags.length} diagnostics on pitfalls.md`];
}

export async function run(): Promise<void> {
  const resultsFile = process.env.VSCODE_TEST_RESULTS_FILE;
  const title = 'packaged .vsix installs, activates on Markdown and lints';
  try {
    const notes = await probe();
    for (const n of notes) console.log(n);
    if (resultsFile) fs.writeFileSync(resultsFile, JSON.stringify({ failures: 0, passes: 1, results: [{ title, state: 'passed' }] }));
  } catch (e) {
    if (resultsFile) fs.writeFileSync(resultsFile, JSON.stringify({ failures: 1, passes: 0, results: [{ title, state: 'failed', error: String(e instanceof Error ? e.stack : e) }] }));
    throw e;
  }
}
