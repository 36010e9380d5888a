// ```check blocks: CodeLenses appear, running one yields the expected verdict in place, problems become
// diagnostics at their ranges, and a long writeup with a running check stays responsive.
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { CheckResult } from '../../../src/core/check/types';
import type { MathWriteupApi } from '../../../src/vscode/api';
import { closeAll, diagnosticsWhere, fixture, frameText, freshDoc, getApi, harness, screenshot, waitFor } from './helpers';

export async function lensTitles(doc: vscode.TextDocument): Promise<{ line: number; title: string }[]> {
  const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri, 100)) ?? [];
  return lenses
    .filter((l) => l.command && l.command.command.startsWith('mathWriteup.'))
    .map((l) => ({ line: l.range.start.line, title: l.command?.title ?? '' }))
    .sort((a, b) => a.line - b.line);
}

/** Waits until the lenses of `doc` satisfy `ok` (driven by the extension's onDidChangeCodeLenses). */
export async function lensesWhere(api: MathWriteupApi, doc: vscode.TextDocument, ok: (t: { line: number; title: string }[]) => boolean, label: string, timeoutMs = 30000): Promise<{ line: number; title: string }[]> {
  let last: { line: number; title: string }[] = [];
  const check = async () => {
    last = await lensTitles(doc);
    return ok(last);
  };
  if (await check()) return last;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`timed out waiting for lenses: ${label}; last: ${JSON.stringify(last)}`));
    }, timeoutMs);
    const sub = api.onDidChangeCodeLenses((uri) => {
      if (uri.toString() !== doc.uri.toString()) return;
      void check().then((good) => {
        if (!good) return;
        clearTimeout(timer);
        sub.dispose();
        resolve(last);
      });
    });
  });
}

suite('Checks', () => {
  let api: MathWriteupApi;
  suiteSetup(async () => {
    api = (await getApi()).api;
  });
  teardown(closeAll);

  test('CodeLenses appear above each check block and "Run all checks" at the top', async () => {
    const { doc } = await freshDoc('lenses', await fixture('checks.md'));
    const fences = doc.getText().split('\n').flatMap((l, i) => (l === '```check' ? [i] : []));
    assert.strictEqual(fences.length, 3);
    const lenses = await lensTitles(doc);
    assert.deepStrictEqual(lenses, [
      { line: 0, title: '▶ Run all checks (3)' },
      ...fences.map((line) => ({ line, title: '▶ Run check' })),
    ]);
  });

  test('running a check shows its verdict in place, with "Show plot" and "Re-run"', async () => {
    const { doc } = await freshDoc('verdict', await fixture('checks.md'));
    const gd = doc.getText().split('\n').indexOf('```check');
    const results = await vscode.commands.executeCommand<CheckResult[] | undefined>('mathWriteup.runCheck', doc.uri.toString(), gd);
    assert.ok(results && results.length === 1, 'one result');
    assert.strictEqual(results[0].status, 'pass', results[0].message);
    const lenses = await lensesWhere(api, doc, (t) => t.some((l) => l.line === gd && l.title.startsWith('✓ passed in ')), 'pass verdict');
    const here = lenses.filter((l) => l.line === gd).map((l) => l.title);
    assert.match(here[0], /^✓ passed in \d+\.\d s$/);
    assert.deepStrictEqual(here.slice(1), ['Show plot', 'Re-run']);
    if (harness) {
      await vscode.commands.executeCommand('workbench.action.closePanel');
      // The editor shows the lens (not only the provider's answer).
      assert.match(await frameText('.codelens-decoration:has-text("passed in")', 20000), /✓ passed in/);
      await screenshot('codelens-verdict');
    }
  });

  test('"Run all checks": a wrong claim fails with its numbers, as a diagnostic on the claim', async () => {
    const { doc } = await freshDoc('runall', await fixture('checks.md'));
    const started = waitFor(api.onDidStartChecks, (e) => (e.uri.toString() === doc.uri.toString() ? e : undefined), 'checks started');
    const results = await vscode.commands.executeCommand<CheckResult[] | undefined>('mathWriteup.runAllChecks', doc.uri.toString());
    assert.deepStrictEqual((await started).lines.length, 3);
    assert.ok(results);
    assert.deepStrictEqual(results.map((r) => r.status), ['pass', 'pass', 'fail'], results.map((r) => r.message).join(' | '));
    const grad = results[2];
    const lenses = await lensesWhere(api, doc, (t) => t.some((l) => l.title.startsWith('✗ failed: ')), 'fail verdict');
    assert.ok(lenses.some((l) => l.line === grad.line && l.title === `✗ failed: ${grad.message}`));
    const claimLine = doc.getText().split('\n').findIndex((l, i) => i > grad.line && l.startsWith('claim:'));
    const diags = await diagnosticsWhere(doc.uri, (d) => d.some((x) => x.code === 'check-failed'), 'check diagnostic');
    const failed = diags.find((x) => x.code === 'check-failed');
    assert.strictEqual(failed?.range.start.line, claimLine);
    assert.strictEqual(failed?.severity, vscode.DiagnosticSeverity.Error);
  });

  test('a malformed block is an error diagnostic at the exact spot', async () => {
    const text = [
      '# Broken check',
      '',
      '```check',
      'title: Unknown symbol',
      'given: \\sigma = 2',
      'claim: \\gamma + \\sigma > 0',
      '```',
      '',
    ].join('\n');
    const { doc } = await freshDoc('malformed', text);
    const results = await vscode.commands.executeCommand<CheckResult[] | undefined>('mathWriteup.runCheck', doc.uri.toString(), 2);
    assert.strictEqual(results?.[0].status, 'error');
    const diags = await diagnosticsWhere(doc.uri, (d) => d.some((x) => x.code === 'check'), 'check problem');
    const p = diags.find((x) => x.code === 'check');
    assert.ok(p);
    assert.strictEqual(doc.getText(p.range), '\\gamma');
    assert.strictEqual(p.message, 'unknown symbol `\\gamma`: add it to `given`');
    await lensesWhere(api, doc, (t) => t.some((l) => l.line === 2 && l.title.startsWith('⚠ error: ')), 'error verdict');
  });

  test('an edited block loses its verdict; blocks that only moved keep theirs', async () => {
    const { doc, editor } = await freshDoc('moved', await fixture('checks.md'));
    const fences = doc.getText().split('\n').flatMap((l, i) => (l === '```check' ? [i] : []));
    await vscode.commands.executeCommand('mathWriteup.runCheck', doc.uri.toString(), fences[1]);
    await lensesWhere(api, doc, (t) => t.some((l) => l.line === fences[1] && l.title.startsWith('✓')), 'second verdict');
    await editor.edit((b) => b.insert(new vscode.Position(1, 0), 'A new line.\n\n'));
    await lensesWhere(api, doc, (t) => t.some((l) => l.line === fences[1] + 2 && l.title.startsWith('✓')), 'verdict moved');
    const titleLine = fences[1] + 2 + 1;
    await editor.edit((b) => b.insert(doc.lineAt(titleLine).range.end, ' (edited)'));
    await lensesWhere(api, doc, (t) => t.some((l) => l.line === fences[1] + 2 && l.title === '▶ Run check'), 'verdict dropped');
  });
});
