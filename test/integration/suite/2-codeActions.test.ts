// Code actions through the real API (vscode.executeCodeActionProvider): each quick-fix kind applies as one undoable
// edit and the re-lint is clean where it should be; fix-all on save; stale edits are refused.
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { MathWriteupApi } from '../../../src/vscode/api';
import { closeAll, diagnosticsFor, fixture, freshDoc, getApi, setSetting, summary } from './helpers';

/**
 * Our code actions at `range`. VS Code answers an empty list when it cancelled the request itself (it does so while
 * the editor is still settling after opening a document), so ask again until there is an answer, for at most 5 s.
 */
async function actionsAt(doc: vscode.TextDocument, range: vscode.Range, kind?: string): Promise<vscode.CodeAction[]> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const r = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, range, kind);
    const ours = (r ?? []).filter((a) => a.command?.command.startsWith('mathWriteup.'));
    if (ours.length > 0 || Date.now() > deadline) return ours;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function apply(a: vscode.CodeAction): Promise<unknown> {
  assert.ok(a.command, `${a.title} has a command`);
  return vscode.commands.executeCommand(a.command.command, ...(a.command.arguments ?? []));
}

function codeOf(d: vscode.Diagnostic): string {
  return typeof d.code === 'object' ? String(d.code.value) : String(d.code);
}

suite('Code actions', () => {
  let api: MathWriteupApi;
  suiteSetup(async () => {
    api = (await getApi()).api;
  });
  teardown(closeAll);

  test('the preferred quick fix removes the problem, changes only the formula, and undo restores it', async () => {
    const original = await fixture('pitfalls.md');
    const { doc } = await freshDoc('quickfix', original);
    const diags = await diagnosticsFor(api, doc);
    const target = diags.find((d) => codeOf(d) === 'MW002' && d.range.start.line === 4);
    assert.ok(target);
    const actions = await actionsAt(doc, target.range);
    const titles = actions.map((a) => a.title);
    assert.ok(titles.includes('Fix all MW002 (space-inside-dollars) in this file'), titles.join(' | '));
    assert.ok(titles.includes('Disable MW002 (space-inside-dollars) for this line'), titles.join(' | '));
    assert.ok(titles.includes('Learn more about MW002 (space-inside-dollars)'), titles.join(' | '));
    const preferred = actions.filter((a) => a.isPreferred);
    assert.strictEqual(preferred.length, 1, 'exactly one preferred fix');
    assert.strictEqual(preferred[0].title, 'Remove the spaces inside the delimiters: $\\nabla L(w) = -2\\sigma(y - \\sigma w)$');
    assert.strictEqual(await apply(preferred[0]), true);
    const after = await diagnosticsFor(api, doc);
    assert.deepStrictEqual(summary(after), ['MW001@11:11', 'MW001@11:4', 'MW002@7:67', 'MW010@9:32']);
    assert.strictEqual(doc.lineAt(4).text, 'The gradient is $\\nabla L(w) = -2\\sigma(y - \\sigma w)$, so one step reads');
    assert.strictEqual(doc.getText().replace('$\\nabla L(w) = -2\\sigma(y - \\sigma w)$', '$ \\nabla L(w) = -2\\sigma(y - \\sigma w) $'), original);
    await vscode.commands.executeCommand('undo');
    assert.strictEqual(doc.getText(), original, 'undo restores the text');
  });

  test('"Fix all <rule> in this file" fixes every finding of that rule and nothing else', async () => {
    const { doc } = await freshDoc('fixrule', await fixture('pitfalls.md'));
    const diags = await diagnosticsFor(api, doc);
    const cjk = diags.find((d) => codeOf(d) === 'MW001');
    assert.ok(cjk);
    const all = (await actionsAt(doc, cjk.range)).find((a) => a.title === 'Fix all MW001 (text-before-dollar) in this file');
    assert.ok(all);
    assert.strictEqual(await apply(all), true);
    assert.deepStrictEqual(summary(await diagnosticsFor(api, doc)), ['MW002@4:16', 'MW002@7:67', 'MW010@9:32']);
    assert.strictEqual(doc.lineAt(11).text, '损失函数 $L(w)$在 $w^\\star$处取得最小值。');
  });

  test('"Disable <rule> for this line" inserts the directive above and the finding goes away', async () => {
    const { doc } = await freshDoc('disable', await fixture('pitfalls.md'));
    const diags = await diagnosticsFor(api, doc);
    const esc = diags.find((d) => codeOf(d) === 'MW010');
    assert.ok(esc);
    const dis = (await actionsAt(doc, esc.range)).find((a) => a.title.startsWith('Disable MW010'));
    assert.ok(dis);
    assert.strictEqual(await apply(dis), true);
    assert.strictEqual(doc.lineAt(9).text, '<!-- math-writeup-disable-next-line MW010 -->');
    assert.deepStrictEqual(summary(await diagnosticsFor(api, doc)), ['MW001@12:11', 'MW001@12:4', 'MW002@4:16', 'MW002@7:67']);
  });

  test('"Disable" in the middle of a paragraph wraps the paragraph instead of splitting it', async () => {
    const { doc } = await freshDoc('disable-para', 'Intro line of the paragraph,\nwhere 其中$x$ is the weight.\n\nLater 其中$y$ too.\n');
    const diags = await diagnosticsFor(api, doc);
    const mid = diags.find((d) => codeOf(d) === 'MW001' && d.range.start.line === 1);
    assert.ok(mid, JSON.stringify(summary(diags)));
    const dis = (await actionsAt(doc, mid.range)).find((a) => a.title.startsWith('Disable MW001'));
    assert.ok(dis);
    assert.match(dis.title, /for this paragraph/);
    assert.strictEqual(await apply(dis), true);
    assert.strictEqual(
      doc.getText(),
      '<!-- math-writeup-disable MW001 -->\nIntro line of the paragraph,\nwhere 其中$x$ is the weight.\n<!-- math-writeup-enable MW001 -->\n\nLater 其中$y$ too.\n',
    );
    assert.deepStrictEqual(summary(await diagnosticsFor(api, doc)), ['MW001@5:8']);
  });

  test('"Learn more" opens the rule page shipped with the extension', async () => {
    const { doc } = await freshDoc('learn', await fixture('pitfalls.md'));
    const diags = await diagnosticsFor(api, doc);
    const d = diags.find((x) => codeOf(x) === 'MW010');
    assert.ok(d);
    const learn = (await actionsAt(doc, d.range)).find((a) => a.title.startsWith('Learn more about MW010'));
    assert.ok(learn?.command);
    assert.strictEqual(learn.command.command, 'mathWriteup.openRuleDocs');
    const target = (d.code as { target: vscode.Uri }).target;
    const stat = await vscode.workspace.fs.stat(target);
    assert.ok(stat.size > 0, `${target.toString()} exists`);
    assert.strictEqual(await apply(learn), true);
  });

  test('source.fixAll.mathWriteup fixes everything fixable; the re-lint has no fixable finding left', async () => {
    const { doc } = await freshDoc('fixall', await fixture('pitfalls.md'));
    await diagnosticsFor(api, doc);
    const all = await actionsAt(doc, new vscode.Range(0, 0, 0, 0), 'source.fixAll.mathWriteup');
    assert.strictEqual(all.length, 1);
    assert.strictEqual(all[0].kind?.value, 'source.fixAll.mathWriteup');
    assert.strictEqual(await apply(all[0]), true);
    await diagnosticsFor(api, doc);
    assert.deepStrictEqual(api.findings(doc.uri).filter((f) => f.fixes.length > 0).map((f) => f.ruleId), []);
  });

  test('fix-all runs on save with editor.codeActionsOnSave', async () => {
    const { doc, editor } = await freshDoc('onsave', await fixture('clean.md'));
    await diagnosticsFor(api, doc);
    await setSetting('codeActionsOnSave', { 'source.fixAll.mathWriteup': 'explicit' }, 'editor');
    try {
      const end = doc.lineAt(doc.lineCount - 1).range.end;
      await editor.edit((b) => b.insert(end, '\nA broken formula: $ x^2 $.'));
      assert.strictEqual(summary(await diagnosticsFor(api, doc)).length, 1);
      assert.ok(await doc.save(), 'saved');
      assert.ok(doc.getText().endsWith('\nA broken formula: $x^2$.'), `fixed on save: ${JSON.stringify(doc.getText().slice(-30))}`);
      assert.ok(!doc.isDirty, 'the fixed text is what was saved');
      assert.deepStrictEqual(summary(await diagnosticsFor(api, doc)), []);
    } finally {
      await setSetting('codeActionsOnSave', undefined, 'editor');
    }
  });

  test('an edit computed for an older version is refused', async () => {
    const { doc, editor } = await freshDoc('stale', await fixture('pitfalls.md'));
    const diags = await diagnosticsFor(api, doc);
    const d = diags.find((x) => codeOf(x) === 'MW002');
    assert.ok(d);
    const fix = (await actionsAt(doc, d.range)).find((a) => a.isPreferred);
    assert.ok(fix);
    await editor.edit((b) => b.insert(new vscode.Position(0, 0), '<!-- a new first line -->\n'));
    const before = doc.getText();
    assert.strictEqual(await apply(fix), false);
    assert.strictEqual(doc.getText(), before, 'nothing applied to the changed document');
  });
});
