// One controller per job, seen from the user's side: a check run from its CodeLens (or "Run all checks") fills in
// the open preview's card, the preview's own Run goes through the same controller (its CodeLens shows the
// verdict), and every command the extension registers is contributed in package.json and the other way round.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { CheckFinished, CheckStarted } from '../../../src/vscode/api';
import { closeAll, codeLenses, EXT_ID, frameClick, frameText, freshDoc, getApi, harness, waitFor } from './helpers';
import { keepScreenshot, previewApi, rendered } from './previewHelpers';

const TWO_CHECKS = [
  '# Two checks',
  '',
  '```check',
  'title: Scalar GD converges iff eta < 1/sigma^2',
  'given: \\sigma = 2, y = 1, w_0 = 0',
  'iterate: w_{t+1} = w_t + 2\\eta\\sigma(y - \\sigma w_t)',
  'sweep: \\eta \\in [0.01, 0.5]',
  'claim: \\text{converges} \\iff \\eta < \\frac{1}{\\sigma^2}',
  'plot: |w_t - y/\\sigma|',
  '```',
  '',
  '```Check',
  'title: Upper-case fence is a check too',
  'given: x \\sim \\mathcal{N}(0,1)',
  'trials: 20',
  'claim: (x + 1)^2 = x^2 + 2x + 1',
  '```',
  '',
].join('\n');

suite('One controller per job', () => {
  suiteTeardown(closeAll);

  test('a CodeLens run and "Run all checks" fill in the open preview\'s cards; the preview\'s Run shows in the CodeLens', async () => {
    const { api } = await getApi();
    const preview = await previewApi();
    await vscode.commands.executeCommand('workbench.action.closeAllGroups');
    const { doc } = await freshDoc('one-controller', TWO_CHECKS);
    const first = rendered(preview, doc, (e) => e.blockCount > 0, 'first preview render', 45000);
    await vscode.commands.executeCommand('mathWriteup.preview.openToSide');
    await first;
    assert.deepStrictEqual((await preview.probe()).checkStatuses, ['not run yet', 'not run yet'], 'two cards (```check and ```Check)');

    // The first block's own CodeLens, as VS Code shows it.
    const lenses = await codeLenses(doc);
    assert.deepStrictEqual(lenses.filter((l) => l.command?.title === '▶ Run check').map((l) => l.range.start.line), [2, 11], 'a lens above each block, ```Check included');
    const run = lenses.find((l) => l.command?.title === '▶ Run check' && l.range.start.line === 2);
    assert.ok(run?.command);
    const v0 = preview.current()?.version ?? 0;
    const card = rendered(preview, doc, (e) => e.version > v0, 'card updated after the CodeLens run', 60000);
    const shown = waitFor(preview.onDidFinishCheck, (e) => (e.uri.toString() === doc.uri.toString() ? e : undefined), 'result shown in the preview', 60000);
    await vscode.commands.executeCommand(run.command.command, ...(run.command.arguments ?? []));
    await shown;
    await card;
    let p = await preview.probe();
    assert.match(p.checkStatuses[0], /passed/, `card 1 after its CodeLens run: ${p.checkStatuses[0]}`);
    assert.strictEqual(p.checkStatuses[1], 'not run yet');
    assert.ok(p.checkSvgs >= 1, 'the plot is in the card');

    // "Run all checks" (the top lens): both cards.
    const all = (await codeLenses(doc)).find((l) => l.command?.title.startsWith('▶ Run all checks'));
    assert.ok(all?.command, 'the Run all checks lens');
    const both = new Set<number>();
    const bothShown = waitFor(preview.onDidFinishCheck, (e) => {
      for (const r of e.results) both.add(r.line);
      return both.size === 2 ? true : undefined;
    }, 'both results shown', 60000);
    await vscode.commands.executeCommand(all.command.command, ...(all.command.arguments ?? []));
    await bothShown;
    const v1 = preview.current()?.version ?? 0;
    p = await preview.probe();
    if (!/passed/.test(p.checkStatuses[1] ?? '')) {
      await rendered(preview, doc, (e) => e.version >= v1, 'second card rendered', 20000);
      p = await preview.probe();
    }
    assert.ok(p.checkStatuses.every((s) => /passed/.test(s)), p.checkStatuses.join(' | '));

    // The preview's Run button goes through the controller: the run is announced there and the CodeLens shows it.
    const started = waitFor<CheckStarted, CheckStarted>(api.onDidStartChecks, (e) => (e.uri.toString() === doc.uri.toString() ? e : undefined), 'run started by the card', 60000);
    const finished = waitFor<CheckFinished, CheckFinished>(api.onDidFinishCheck, (e) => (e.uri.toString() === doc.uri.toString() && e.result.line === 11 ? e : undefined), 'card run finished', 60000);
    if (harness) await frameClick('.mw-block[data-line="11"] .mw-check-run');
    else await preview.simulateMessage({ type: 'runCheck', line: 11 });
    const s = await started;
    await finished;
    assert.ok(s.lines.length === 1, `one check: ${JSON.stringify(s.lines)}`);
    const verdict = (await codeLenses(doc)).filter((l) => /passed/.test(l.command?.title ?? '')).map((l) => l.range.start.line);
    assert.ok(verdict.includes(s.lines[0]), `the CodeLens shows the card's run: ${JSON.stringify(verdict)}`);
    if (harness) {
      assert.match(await frameText('.mw-check-status'), /passed/);
      await keepScreenshot('preview-codelens-run');
    }
  });

  test('every command in package.json is registered, and every registered mathWriteup command is contributed', async () => {
    await getApi();
    const ext = vscode.extensions.getExtension(EXT_ID);
    assert.ok(ext);
    const pkg = JSON.parse(fs.readFileSync(path.join(ext.extensionPath, 'package.json'), 'utf8')) as { contributes: { commands: { command: string }[] } };
    const contributed = pkg.contributes.commands.map((c) => c.command).sort();
    const registered = (await vscode.commands.getCommands(true)).filter((c) => c.startsWith('mathWriteup.')).sort();
    assert.deepStrictEqual(registered, contributed);
  });
});
