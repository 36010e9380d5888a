// Restricted Mode (run by the harness with workspace trust on and the folder untrusted, MW_WORKSPACE_TRUST): linting
// works, and no check runs by any path: the CodeLens says checks need trust and leads to "Manage Workspace Trust",
// the preview's Run button (a real click in the webview) and the commands are refused, and the card stays "not run".
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { CheckRefused, CheckStarted } from '../../../src/vscode/api';
import { closeAll, codeLenses, diagnosticsFor, fixture, frameClick, frameText, freshDoc, getApi, harness, waitFor } from './helpers';
import { keepScreenshot, previewApi, rendered } from './previewHelpers';

suite('Restricted Mode (untrusted folder)', () => {
  suiteTeardown(closeAll);

  test('the workspace is untrusted and linting still works', async () => {
    assert.strictEqual(vscode.workspace.isTrusted, false, 'this run opens the folder in Restricted Mode');
    const { api } = await getApi();
    const { doc } = await freshDoc('restricted-lint', 'After a comma，$w$ fails.\n');
    const diags = await diagnosticsFor(api, doc);
    assert.ok(diags.length > 0, 'lint findings in Restricted Mode');
  });

  test('the CodeLens says checks need workspace trust and opens "Manage Workspace Trust"', async () => {
    await getApi();
    const { doc } = await freshDoc('restricted-lens', await fixture('checks.md'));
    const lenses = await codeLenses(doc);
    assert.ok(lenses.length >= 4, `a lens at the top and above each of the three blocks (${lenses.length})`);
    for (const l of lenses) {
      assert.match(l.command?.title ?? '', /Checks need workspace trust: Manage Workspace Trust/);
      assert.strictEqual(l.command?.command, 'workbench.trust.manage');
    }
    assert.ok((await vscode.commands.getCommands(true)).includes('workbench.trust.manage'), 'the lens\'s command exists in this VS Code');
    if (harness) {
      // What the user sees: the lens drawn in the editor (VS Code draws lenses a moment after it asks for them).
      assert.match(await frameText('.codelens-decoration', 15000), /Checks need workspace trust/);
      await keepScreenshot('restricted-mode-codelens');
    }
  });

  test('a check started from the preview (a click on the card\'s Run) is refused; so are the commands', async () => {
    const { api } = await getApi();
    const preview = await previewApi();
    await vscode.commands.executeCommand('workbench.action.closeAllGroups');
    const { doc } = await freshDoc('restricted-preview', await fixture('checks.md'));
    const first = rendered(preview, doc, (e) => e.blockCount > 0, 'first preview render', 45000);
    await vscode.commands.executeCommand('mathWriteup.preview.openToSide');
    await first;
    const started: CheckStarted[] = [];
    const sub = api.onDidStartChecks((e) => started.push(e));
    try {
      const line = doc.getText().split('\n').indexOf('```check');
      const refused = waitFor<CheckRefused, CheckRefused>(api.onDidRefuseChecks, (e) => (e.uri.toString() === doc.uri.toString() ? e : undefined), 'the preview\'s run refused', 20000);
      if (harness) await frameClick(`.mw-block[data-line="${line}"] .mw-check-run`);
      else await preview.simulateMessage({ type: 'runCheck', line });
      assert.strictEqual((await refused).reason, 'untrusted');
      assert.strictEqual(await vscode.commands.executeCommand('mathWriteup.runCheck', doc.uri.toString(), line), undefined);
      assert.strictEqual(await vscode.commands.executeCommand('mathWriteup.runAllChecks', doc.uri.toString()), undefined);
      assert.deepStrictEqual(started, [], 'no check started');
      assert.strictEqual(api.isChecking(doc.uri), false);
      const p = await preview.probe();
      assert.ok(p.checkStatuses.length === 3 && p.checkStatuses.every((s) => s === 'not run yet'), p.checkStatuses.join(' | '));
    } finally {
      sub.dispose();
    }
  });
});
