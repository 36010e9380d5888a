// The extension as a web extension: its `browser` entry in the web-worker extension host (no Node), in the
// workbench of a real VS Code. Diagnostics, the preferred quick fix applied and re-linted, fix all, hover with
// GitHub's MathJax rendering, and the CodeLens that says where checks run.
import * as assert from './assert';
import * as vscode from 'vscode';

const EXT_ID = 'math-writeup.math-writeup';

function hw(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'a workspace folder is open');
  return vscode.Uri.joinPath(folder.uri, 'hw.md');
}

async function until<T>(what: string, get: () => T | undefined | Promise<T | undefined>, ms = 30000): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = await get();
    if (v !== undefined) return v;
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

interface PreviewApi {
  current(): { source: string; mode: string; version: number; panel: vscode.WebviewPanel } | undefined;
  probe(): Promise<{ mode: string; formulaCount: number; pendingFormulas: number; mathjaxCount: number; katexCount: number; checkStatuses: string[]; cspViolations: number; blockCount: number }>;
  setMode(mode: 'github' | 'vscode'): void;
  onDidRender: vscode.Event<{ version: number; replaced: number; blockCount: number }>;
}

function preview(): PreviewApi {
  const api = (vscode.extensions.getExtension(EXT_ID)?.exports as { preview?: PreviewApi } | undefined)?.preview;
  assert.ok(api, 'the web extension exports the preview API');
  return api;
}

const codes = (uri: vscode.Uri): string[] =>
  vscode.languages
    .getDiagnostics(uri)
    .filter((d) => d.source === 'math-writeup')
    .map((d) => String(typeof d.code === 'object' ? d.code.value : d.code))
    .sort();

suite('Web extension (web-worker extension host)', () => {
  let doc: vscode.TextDocument;
  let originalText = '';

  suiteSetup(async () => {
    const ext = vscode.extensions.getExtension(EXT_ID);
    assert.ok(ext, 'the extension under development is loaded');
    doc = await vscode.workspace.openTextDocument(hw());
    originalText = doc.getText();
    await vscode.window.showTextDocument(doc);
    await ext.activate();
  });

  test('runs without Node (the browser entry in a web worker)', () => {
    assert.equal(typeof (globalThis as { process?: unknown }).process, 'undefined');
    assert.equal(vscode.env.uiKind, vscode.UIKind.Web);
    console.log(`vscode.version=${vscode.version} uiKind=${vscode.env.uiKind}`);
  });

  test('publishes diagnostics with rule ids and links, then GitHub MathJax verdicts', async () => {
    await until('MW001', () => (codes(doc.uri).includes('MW001') ? true : undefined));
    const d = vscode.languages.getDiagnostics(doc.uri).find((x) => typeof x.code === 'object' && x.code.value === 'MW001');
    assert.ok(d);
    assert.deepEqual([d.range.start.line, d.range.start.character], [2, 2]);
    assert.match(d.message, /CJK character `中` touches the opening `\$`/);
    assert.ok(typeof d.code === 'object' && d.code.target.path.endsWith('/docs/rules/MW001.md'));
    const page = new TextDecoder().decode(await vscode.workspace.fs.readFile(d.code.target));
    assert.match(page, /MW001/);
    // GitHub's MathJax runs in the web worker too: `\foo` is judged red once typing pauses.
    await until('MW053 from MathJax', () => (codes(doc.uri).includes('MW053') ? true : undefined));
  });

  test('applies the preferred quick fix; the re-lint drops the finding', async () => {
    const range = new vscode.Range(2, 3, 2, 3);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, range);
    const preferred = actions.filter((a) => a.isPreferred);
    assert.equal(preferred.length, 1);
    assert.equal(preferred[0].title, 'Insert a space before `$`');
    assert.ok(actions.some((a) => a.title === 'Disable MW001 (text-before-dollar) for this line'));
    const cmd = preferred[0].command!;
    assert.equal(await vscode.commands.executeCommand(cmd.command, ...(cmd.arguments ?? [])), true);
    assert.equal(doc.lineAt(2).text, '其中 $x$是变量。');
    await until('MW001 gone', () => (!codes(doc.uri).includes('MW001') && codes(doc.uri).includes('MW020') ? true : undefined));
  });

  test('fixes all fixable findings of the file (source.fixAll.mathWriteup)', async () => {
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider', doc.uri, new vscode.Range(0, 0, 0, 0), 'source.fixAll.mathWriteup',
    );
    const all = actions.find((a) => a.kind?.value === 'source.fixAll.mathWriteup');
    assert.ok(all, 'fix-all offered');
    const cmd = all.command!;
    assert.equal(await vscode.commands.executeCommand(cmd.command, ...(cmd.arguments ?? [])), true);
    assert.equal(doc.lineAt(4).text, 'Let $w^\\ast$ and $v^\\ast$ be optimal.');
    await until('only unfixable findings left', () => (codes(doc.uri).every((c) => c === 'MW052' || c === 'MW053') ? true : undefined));
  });

  test('reads .math-writeup.json from the workspace and follows its changes', async () => {
    const folder = vscode.workspace.workspaceFolders![0].uri;
    const config = vscode.Uri.joinPath(folder, '.math-writeup.json');
    await until('MW052 present', () => (codes(doc.uri).includes('MW052') ? true : undefined));
    await vscode.workspace.fs.writeFile(config, new TextEncoder().encode(JSON.stringify({ rules: { 'katex-parse-error': 'off' } })));
    await until('MW052 off by the file', () => (!codes(doc.uri).includes('MW052') && codes(doc.uri).includes('MW053') ? true : undefined));
    await vscode.workspace.fs.delete(config);
    await until('MW052 back once the file is gone', () => (codes(doc.uri).includes('MW052') ? true : undefined));
  });

  test('hovers a formula with GitHub\'s MathJax rendering as an SVG image', async () => {
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, new vscode.Position(6, 7));
    const md = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(md, /GitHub renders/);
    assert.match(md, /!\[[^\]]*\]\(data:image\/svg\+xml;base64,[A-Za-z0-9+/=]+\)/);
    assert.match(md, /\*\*MW052\*\*/);
  });

  test('says on the check block\'s CodeLens that checks run in desktop VS Code', async () => {
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri);
    const ours = lenses.filter((l) => l.command?.title.includes('Checks run in desktop VS Code'));
    assert.equal(ours.length, 1);
    assert.equal(ours[0].range.start.line, 8);
  });

  test('opens the preview: GitHub mode typesets the formulas with MathJax in the web worker; check cards say where checks run', async () => {
    const api = preview();
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('mathWriteup.preview.openToSide', doc.uri);
    const p = await until('the formulas typeset', async () => {
      if (!api.current()) return undefined;
      const probe = await api.probe();
      return probe.formulaCount > 0 && probe.pendingFormulas === 0 ? probe : undefined;
    });
    assert.equal(api.current()?.source, doc.uri.toString());
    assert.equal(p.mode, 'github');
    assert.equal(p.katexCount, 0, 'GitHub mode is MathJax, not KaTeX');
    // $x$, $w^\ast$, $v^\ast$, $\foo{x}$ (MathJax's red undefined macro) and the check's claim
    assert.ok(p.mathjaxCount >= 4, `MathJax SVGs on the page: ${p.mathjaxCount}`);
    assert.deepEqual(p.checkStatuses, ['Checks run in desktop VS Code']);
    assert.equal(p.cspViolations, 0);
  });

  test('updates the preview incrementally after an edit, the new formula typeset', async () => {
    const api = preview();
    const before = await api.probe();
    const v0 = api.current()!.version;
    const rendered = new Promise<{ version: number; replaced: number; blockCount: number }>((resolve) => {
      const sub = api.onDidRender((e) => {
        if (e.version > v0) {
          sub.dispose();
          resolve(e);
        }
      });
    });
    const editor = await vscode.window.showTextDocument(doc, vscode.ViewColumn.One);
    const end = doc.lineAt(6).range.end;
    assert.ok(await editor.edit((b) => b.insert(end, '\n\nThe area is $\\frac{\\pi r^2}{2}$.')));
    const e = await rendered;
    assert.ok(e.replaced < e.blockCount, `an update, not a full render (${e.replaced} of ${e.blockCount} blocks replaced)`);
    const after = await until('the new formula typeset', async () => {
      const probe = await api.probe();
      return probe.mathjaxCount === before.mathjaxCount + 1 && probe.pendingFormulas === 0 ? probe : undefined;
    });
    assert.equal(after.blockCount, before.blockCount + 1);
  });

  test('switches the preview to VS Code mode (KaTeX) and back', async () => {
    const api = preview();
    api.setMode('vscode');
    const p = await until('KaTeX on the page', async () => {
      const probe = await api.probe();
      return probe.mode === 'vscode' && probe.katexCount > 0 ? probe : undefined;
    });
    assert.equal(p.mathjaxCount, 0);
    api.setMode('github');
    await until('MathJax on the page again', async () => {
      const probe = await api.probe();
      return probe.mode === 'github' && probe.katexCount === 0 && probe.mathjaxCount > 0 && probe.pendingFormulas === 0 ? probe : undefined;
    });
    // Leave the writeup as the test file has it, for the tests that follow (the preview stays open beside it).
    const editor = await vscode.window.showTextDocument(doc, vscode.ViewColumn.One);
    assert.ok(await editor.edit((b) => b.delete(new vscode.Range(6, doc.lineAt(6).text.length, 8, doc.lineAt(8).text.length))));
  });

  test('re-lints a whole-text replacement, and leaves the writeup with a hover on screen (the harness screenshot)', async () => {
    // The writeup as the suite opened it (VS Code for the Web auto-saves edits by default, so not the file on disk).
    const original = originalText;
    const editor = await vscode.window.showTextDocument(doc);
    assert.ok(await editor.edit((b) => b.replace(new vscode.Range(0, 0, doc.lineCount, 0), original)));
    await until('MW001 back', () => (codes(doc.uri).includes('MW001') && codes(doc.uri).includes('MW020') ? true : undefined));
    editor.selection = new vscode.Selection(6, 7, 6, 7);
    await vscode.commands.executeCommand('editor.action.showHover');
    await new Promise((r) => setTimeout(r, 1500)); // let the hover's image render before the harness's final screenshot
  });
});
