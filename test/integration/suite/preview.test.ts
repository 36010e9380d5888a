// The Math Writeup preview in a real VS Code: opens beside a sample, typesets math (KaTeX DOM in the webview),
// marks the pitfall in GitHub mode and not in VS Code mode, updates incrementally after an edit, keeps a check card
// with its SVG, reveals source lines, exports HTML; the formula hover shows GitHub's rendering.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { CheckResult } from '../../../src/core/check/types';
import type { PreviewProbe } from '../../../src/shared/previewMessages';
import type { PreviewTestApi } from '../../../src/vscode/preview/index';
import { closeAll, EXT_ID, fixture, frameCount, frameText, freshDoc, getApi, harness, waitFor, workspaceRoot } from './helpers';
import { keepScreenshot, previewApi, rendered, typesetSettled } from './previewHelpers';

/** A 1×1 PNG (a red pixel). */
const PNG_1x1 = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==', 'base64');

/**
 * Runs `trigger`, then probes the page after each render that follows until `ok` holds (a trigger may cause more
 * than one render, e.g. two file writes). Rejects after `timeoutMs` (a deadline, not a sleep).
 */
async function afterRenders(
  preview: PreviewTestApi,
  trigger: () => Promise<void>,
  ok: (p: PreviewProbe) => boolean,
  label: string,
  timeoutMs = 20000,
): Promise<PreviewProbe> {
  const deadline = Date.now() + timeoutMs;
  let renders = 0;
  let wake: (() => void) | undefined;
  const sub = preview.onDidRender(() => {
    renders++;
    wake?.();
  });
  let last: PreviewProbe | undefined;
  try {
    await trigger();
    for (;;) {
      while (renders === 0) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`timed out after ${timeoutMs} ms waiting for ${label}; last probe: ${JSON.stringify(last?.images)}`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
      renders = 0;
      last = await preview.probe();
      if (ok(last)) return last;
    }
  } finally {
    sub.dispose();
  }
}

suite('Preview', () => {
  let preview: PreviewTestApi;
  let doc: vscode.TextDocument;
  let editor: vscode.TextEditor;
  let github: PreviewProbe | undefined;

  suiteSetup(async () => {
    preview = await previewApi();
    await vscode.commands.executeCommand('workbench.action.closeAllGroups');
  });
  suiteTeardown(closeAll);

  test('opens beside the sample and shows typeset math with the pitfall marked (GitHub mode)', async () => {
    ({ doc, editor } = await freshDoc('preview-sample', await fixture('preview/sample.md')));
    // 45 s: room for the preview's own recovery (a frame that never runs the page is replaced after 6 s; a page
    // whose script is late is loaded again after 12 s, then replaced); the time it took is in the run's summary.
    const first = rendered(preview, doc, (e) => e.blockCount > 0, 'first preview render', 45000);
    const t0 = Date.now();
    await vscode.commands.executeCommand('mathWriteup.preview.openToSide');
    const r = await first;
    console.log(`[measure] preview: first render ${Date.now() - t0} ms after "Open Preview to the Side"`);
    const cur = preview.current();
    assert.ok(cur, 'a preview is open');
    assert.strictEqual(cur.mode, 'github', 'GitHub mode is the default');
    assert.strictEqual(cur.source, doc.uri.toString());
    assert.notStrictEqual(cur.panel.viewColumn, editor.viewColumn, 'the preview opens beside the editor');
    assert.strictEqual(r.blockCount, 6, 'heading, paragraph, display math, pitfall paragraph, check card, last paragraph');
    github = await typesetSettled(preview);
    assert.strictEqual(github.nearMissCount, 1, 'one formula GitHub leaves raw');
    assert.strictEqual(github.firstNearMissText, '$w^\\star = y/\\sigma$', 'shown as the raw text GitHub shows');
    assert.strictEqual(github.formulaCount, 7, `every other formula is shown as math, the check claim too (${github.formulaCount})`);
    assert.strictEqual(github.mathjaxCount, 7, 'GitHub mode typesets with MathJax (SVG), as github.com does');
    assert.strictEqual(github.katexCount, 0, 'no KaTeX in GitHub mode');
    assert.strictEqual(github.checkCards, 1);
    assert.strictEqual(github.cspViolations, 0, 'no Content-Security-Policy violation');
    if (harness) {
      assert.ok((await frameCount('.mw-block .mw-math mjx-container[jax="SVG"] svg', 1)) >= 1, 'MathJax SVG in the webview');
      assert.strictEqual(await frameText('.mw-nearmiss'), '$w^\\star = y/\\sigma$');
      assert.ok((await frameCount('.mw-block mjx-container', 7)) >= 7);
      await keepScreenshot('preview-github');
    }
  });

  test('VS Code mode typesets the formula GitHub leaves raw, and marks nothing', async () => {
    github ??= await preview.probe(); // the GitHub-mode view, also when the first test failed
    const again = rendered(preview, doc, (e) => e.mode === 'vscode', 'VS Code mode render');
    preview.setMode('vscode');
    try {
      await again;
      const p = await preview.probe();
      assert.strictEqual(p.mode, 'vscode');
      assert.strictEqual(p.nearMissCount, 0);
      assert.strictEqual(p.katexCount, github.formulaCount + 1, 'the pitfall formula is typeset too (KaTeX, as VS Code does)');
      assert.strictEqual(p.mathjaxCount, 0);
      if (harness) await keepScreenshot('preview-vscode');
    } finally {
      // Back to GitHub mode even when an assertion failed: the later tests expect it.
      const back = rendered(preview, doc, (e) => e.mode === 'github', 'back to GitHub mode');
      preview.setMode('github');
      await back;
    }
  });

  test('an edit updates the preview by replacing only the changed block', async () => {
    const before = await typesetSettled(preview);
    const version = preview.current()?.version ?? 0;
    const upd = rendered(preview, doc, (e) => e.version > version, 'render after the edit');
    const last = doc.lineCount - 2;
    const end = doc.lineAt(last).range.end;
    const ok = await editor.edit((b) => b.insert(end, ' With $\\rho = |1 - 2\\eta\\sigma^2|$ this is $\\rho^t$.'));
    assert.ok(ok);
    const r = await upd;
    assert.strictEqual(r.replaced, 1, 'one block replaced in the DOM');
    assert.strictEqual(r.blockCount, 6);
    assert.ok(r.stats && !r.stats.fullParse, 'the host re-parsed a window, not the document');
    assert.strictEqual(r.stats.renderedBlocks, 1);
    const after = await typesetSettled(preview);
    assert.strictEqual(after.mathjaxCount, before.mathjaxCount + 2, 'the two new formulas are typeset by MathJax');
  });

  test('a check card runs its check and keeps the result with its SVG plot across edits', async () => {
    const line = doc.getText().split('\n').indexOf('```check');
    assert.ok(line > 0);
    const finished = waitFor<{ uri: vscode.Uri; results: CheckResult[] }, CheckResult[]>(
      preview.onDidFinishCheck,
      (e) => (e.uri.toString() === doc.uri.toString() ? e.results : undefined),
      'check finished',
      60000,
    );
    const version = preview.current()?.version ?? 0;
    const card = rendered(preview, doc, (e) => e.version > version, 'card re-rendered');
    await preview.simulateMessage({ type: 'runCheck', line });
    const results = await finished;
    assert.strictEqual(results.length, 1);
    assert.strictEqual(results[0].status, 'pass', results[0].message);
    await card;
    const p = await preview.probe();
    assert.strictEqual(p.checkCards, 1);
    assert.ok(p.checkSvgs >= 1, 'the plot is an inline SVG in the card');
    // Edit another block: the card (and its SVG) stays.
    const v2 = preview.current()?.version ?? 0;
    const upd = rendered(preview, doc, (e) => e.version > v2, 'render after the second edit');
    await editor.edit((b) => b.insert(new vscode.Position(2, 0), 'Loss first. '));
    const r = await upd;
    assert.strictEqual(r.replaced, 1);
    const q = await preview.probe();
    assert.ok(q.checkSvgs >= 1, 'the card keeps its SVG after an unrelated edit');
    if (harness) {
      assert.match(await frameText('.mw-check-status'), /passed/);
      assert.ok((await frameCount('.mw-check-plot svg', 1)) >= 1);
      await keepScreenshot('preview-check-card');
    }
  });

  test('scroll sync: the editor scrolls the preview, and the preview scrolls the editor', async () => {
    // Make the document long enough to scroll in both panes.
    const filler = Array.from({ length: 60 }, (_, i) => `Filler paragraph ${i} with $x_{${i}}$.`).join('\n\n');
    const v = preview.current()?.version ?? 0;
    const upd = rendered(preview, doc, (e) => e.version > v, 'render after adding filler');
    await editor.edit((b) => b.insert(new vscode.Position(doc.lineCount, 0), `\n${filler}\n`));
    await upd;
    const target = doc.getText().split('\n').indexOf('Filler paragraph 40 with $x_{40}$.');
    const seen: string[] = [];
    const scrolled = waitFor(
      preview.onDidReceiveMessage,
      (m) => {
        seen.push(JSON.stringify(m));
        return m.type === 'didScrollTo' && m.line >= target - 10 ? m : undefined;
      },
      'preview scrolled',
      20000,
    ).catch((e: Error) => {
      throw new Error(`${e.message}; messages: ${seen.join(' ')}; visible: ${vscode.window.visibleTextEditors.map((x) => x.document.uri.path).join(',')}`);
    });
    const shown = await vscode.window.showTextDocument(doc, { viewColumn: editor.viewColumn, preserveFocus: false, preview: false });
    shown.revealRange(new vscode.Range(target, 0, target, 0), vscode.TextEditorRevealType.AtTop);
    const m = await scrolled;
    assert.ok(m.type === 'didScrollTo' && m.scrollTop > 500, `the preview scrolled down (${JSON.stringify(m)})`);
    const ranges: number[] = [];
    const moved = waitFor(
      vscode.window.onDidChangeTextEditorVisibleRanges,
      (e) => {
        if (e.textEditor.document !== doc) return undefined;
        ranges.push(e.visibleRanges[0].start.line);
        // Line 20 at (or, with wrapped lines and context, just below) the top of the editor.
        const top = e.visibleRanges[0].start.line;
        return top <= 20 && top >= 14 && e.visibleRanges[0].end.line > 20 ? true : undefined;
      },
      'editor scrolled to line 20',
      20000,
    ).catch((e: Error) => {
      throw new Error(`${e.message}; editor tops seen: ${ranges.join(',')}; now ${vscode.window.visibleTextEditors.map((x) => x.visibleRanges[0]?.start.line).join(',')}`);
    });
    await preview.simulateMessage({ type: 'didScroll', line: 20 });
    await moved;
  });

  test('clicking a marked formula or double-clicking reveals its source position', async () => {
    const line = doc.getText().split('\n').findIndex((l) => l.includes('，$w^\\star'));
    await preview.simulateMessage({ type: 'revealLine', line, character: 5 });
    const ed = vscode.window.activeTextEditor;
    assert.ok(ed && ed.document === doc);
    assert.deepStrictEqual([ed.selection.active.line, ed.selection.active.character], [line, 5]);
  });

  test('Export HTML writes a self-contained file', async () => {
    const target = path.join(path.dirname(doc.uri.fsPath), 'preview-export.html');
    const out = await vscode.commands.executeCommand<vscode.Uri | undefined>('mathWriteup.preview.exportHtml', doc.uri.toString(), target);
    assert.ok(out, 'exported');
    const html = fs.readFileSync(out.fsPath, 'utf8');
    assert.match(html, /src:url\(data:font\/woff2;base64,/);
    assert.match(html, /class="mw-nearmiss"/);
    assert.match(html, /class="katex"/);
    assert.doesNotMatch(html, /<script/i);
  });

  test('the preview logged no script error and no failed message, and says when a page needed a reload', async () => {
    const { api } = await getApi();
    const lines = api.recentLog().filter((l) => / (warn|error) preview/.test(l));
    // In the run's summary: a page that needed a reload passes, but it should be seen.
    console.log(`[measure] preview log: ${lines.length === 0 ? 'no page needed a reload, no script error' : `${lines.length} warning(s) or error(s)`}`);
    for (const l of lines.slice(0, 6)) console.log(`[measure]   ${l.slice(0, 300)}`);
    assert.deepStrictEqual(lines.filter((l) => / error /.test(l)), []);
  });

  test('a page that never starts is loaded again, then the panel is replaced, and the writeup shows', async () => {
    const { api } = await getApi();
    const before = preview.current();
    assert.ok(before, 'the preview of the earlier tests is open');
    // The next two pages fail (as if the frame never loaded the preview): the first runs a script that never says
    // `ready`, the second asks for a script that does not exist. The preview must recover by itself. It follows the
    // active editor, so opening the writeup loads the first of them.
    const silent = vscode.Uri.joinPath(workspaceRoot(), 'silent-page.js');
    await vscode.workspace.fs.writeFile(silent, Buffer.from('// a page script that never says ready\n'));
    const ext = vscode.extensions.getExtension(EXT_ID);
    assert.ok(ext);
    await preview.simulatePageFailures([silent, vscode.Uri.joinPath(ext.extensionUri, 'dist', 'webview', 'missing.js')], 1500);
    try {
      const text = '# Stalled\n\nThe rate $\\rho = |1 - \\eta\\sigma^2|$.\n';
      const shown = waitFor(
        preview.onDidRender,
        (e) => {
          const d = vscode.workspace.textDocuments.find((x) => x.uri.toString() === e.source);
          return d && d.getText() === text && e.blockCount === 2 ? d : undefined;
        },
        'render after the recovery',
        30000,
      );
      const { doc: stalled } = await freshDoc('stalled', text);
      assert.strictEqual(await shown, stalled);
    } finally {
      await preview.simulatePageFailures([], 10000);
    }
    const after = preview.current();
    const trail = api.recentLog(30).join('\n    ');
    assert.ok(after && after.panel !== before.panel, `a new panel replaced the stalled one; the log:\n    ${trail}`);
    assert.strictEqual(after.source, vscode.window.activeTextEditor?.document.uri.toString());
    assert.strictEqual((await preview.probe()).formulaCount, 1);
    const log = api.recentLog().join('\n');
    assert.match(log, /the page did not start within 3\.\d s \(its frame ran the page, but the preview script never said ready\); loading it again/);
    assert.match(log, /the preview script did not load \([^)]*missing\.js\), after it was loaded again; replacing the panel/);
  });

  test('a full render lost on its way to the page is sent again', async () => {
    const { api } = await getApi();
    const cur = preview.current();
    assert.ok(cur, 'the preview of the earlier tests is open');
    await preview.simulateLostRenders(1, 1000);
    try {
      const again = waitFor(preview.onDidRender, (e) => (e.source === cur.source && e.mode === 'vscode' ? e : undefined), 'the render sent again', 20000);
      preview.setMode('vscode');
      await again;
    } finally {
      await preview.simulateLostRenders(0, 5000);
    }
    assert.match(api.recentLog(20).join('\n'), /render v\d+ was not applied within 1 s; sending it again/);
    const back = waitFor(preview.onDidRender, (e) => (e.mode === 'github' ? e : undefined), 'back to GitHub mode', 20000);
    preview.setMode('github');
    await back;
  });
  test('local images travel with the page; a missing one and one outside the workspace show their alt text', async () => {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="60"><rect width="120" height="60" fill="#3a7"/></svg>';
    await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(workspaceRoot(), 'scratch', 'figures', 'curve.svg'), Buffer.from(svg));
    // Next to the workspace folder, not in it: the page may not show it.
    await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(workspaceRoot(), '..', 'outside.svg'), Buffer.from(svg));
    const text = [
      '# Figures',
      '',
      '![Loss curve](figures/curve.svg)',
      '',
      '![Not there](figures/missing.png)',
      '',
      '![Outside](../../outside.svg)',
      '',
      '<img src="figures/curve.svg" alt="as HTML" width="60">',
      '',
    ].join('\n');
    const shown = waitFor(
      preview.onDidRender,
      (e) => (vscode.workspace.textDocuments.find((x) => x.uri.toString() === e.source)?.getText() === text ? e : undefined),
      'the figures rendered',
    );
    await freshDoc('figures', text); // the preview follows the active editor
    await shown;
    const p = await preview.probe();
    assert.deepStrictEqual(p.images.map((i) => i.src.slice(0, 26)), ['data:image/svg+xml;base64,', 'data:image/svg+xml;base64,'], JSON.stringify(p.images));
    assert.ok(p.images.every((i) => i.naturalWidth > 0), `every image decoded: ${JSON.stringify(p.images)}`);
    assert.deepStrictEqual(p.imagesNotShown, ['Not there', 'Outside']);
    // The figure is written again (as "Save as SVG" does) and the missing one appears: the preview shows both.
    const q = await afterRenders(
      preview,
      async () => {
        await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(workspaceRoot(), 'scratch', 'figures', 'curve.svg'), Buffer.from(svg.replace(/120/g, '240')));
        await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(workspaceRoot(), 'scratch', 'figures', 'missing.png'), PNG_1x1);
      },
      (x) => x.images.length === 3 && x.images[0].naturalWidth === 240,
      'the preview showing the figures written on disk',
    );
    assert.deepStrictEqual(q.images.map((i) => [i.src.slice(0, 22), i.naturalWidth]), [
      ['data:image/svg+xml;bas', 240],
      ['data:image/png;base64,', 1],
      ['data:image/svg+xml;bas', 240],
    ]);
    assert.deepStrictEqual(q.imagesNotShown, ['Outside']);
  });
});

suite('Formula hover', () => {
  suiteTeardown(closeAll);

  async function hoverText(doc: vscode.TextDocument, pos: vscode.Position): Promise<string> {
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, pos);
    return hovers
      .flatMap((h) => h.contents)
      .map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))
      .join('\n');
  }

  test('shows GitHub\'s rendering for $…$, $$…$$, $`…`$ and ```math, and findings with a fix link', async () => {
    await getApi();
    const text = [
      'Inline $x^2 + y^2$ here.',
      '',
      '$$\\frac{a}{b}$$',
      '',
      'Backtick $`\\{a\\}`$ form.',
      '',
      '```math',
      '\\sqrt{2}',
      '```',
      '',
      'After a comma，$w^*$ fails.',
      '',
    ].join('\n');
    const { doc } = await freshDoc('hover', text);
    const at = (line: number, needle: string) => new vscode.Position(line, doc.lineAt(line).text.indexOf(needle) + 1);
    for (const [line, needle] of [[0, 'x^2'], [2, 'frac'], [4, '\\{a'], [7, 'sqrt']] as const) {
      const h = await hoverText(doc, at(line, needle));
      assert.match(h, /GitHub renders/, `hover on line ${line}`);
      assert.match(h, /!\[[^\]]*\]\(data:image\/svg\+xml;base64,[A-Za-z0-9+/=]{100,}\)/, `an SVG image on line ${line}`);
    }
    const miss = await hoverText(doc, at(10, 'w^*'));
    assert.match(miss, /GitHub does not render this as math/);
    // The finding at the cursor is in VS Code's diagnostic hover and its quick fixes: not repeated here.
    assert.doesNotMatch(miss, /command:|MW\d{3}/, `nothing said twice: ${miss}`);
    for (const h of [miss, await hoverText(doc, at(0, 'x^2'))]) assert.doesNotMatch(h, /GH-[A-Z]+-\d/, 'no spec ids');
  });

  test('a refused formula shows GitHub\'s red error, once, and not a rendering', async () => {
    const { doc } = await freshDoc('hover-refused', 'The trace $\\operatorname{tr}(A)$ is linear.\n');
    const h = await hoverText(doc, new vscode.Position(0, 13));
    assert.match(h, /GitHub shows an error instead of this inline formula/);
    assert.doesNotMatch(h, /GitHub renders/);
    const svg = Buffer.from(/base64,([A-Za-z0-9+/=]+)\)/.exec(h)?.[1] ?? '', 'base64').toString('utf8');
    assert.match(svg, /fill="#cf222e">The following macros are not allowed: operatorname</);
  });

  test('hover findings follow .math-writeup.json (the Problems panel\'s configuration)', async () => {
    const { api } = await getApi();
    const text = 'Take $\\bm{v} \\in \\R^n$ now.\n';
    const dir = vscode.Uri.joinPath(workspaceRoot(), 'scratch', 'configured');
    await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(dir, '.math-writeup.json'), new TextEncoder().encode('{ "rules": { "katex-only-macro": "off" } }\n'));
    const uri = vscode.Uri.joinPath(dir, 'configured.md');
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc, { preview: false });
    await api.findings(doc.uri); // touch the API (lint runs on open)
    const atR = new vscode.Position(0, text.indexOf('\\R') + 1);
    const configured = await hoverText(doc, atR);
    assert.match(configured, /GitHub renders/);
    assert.doesNotMatch(configured, /MW051|Elsewhere/, `the rule is off in .math-writeup.json: ${configured}`);
    // The same text without the file: the \bm finding elsewhere in the formula is listed, with its fix.
    const { doc: plain } = await freshDoc('hover-unconfigured', text);
    const unconfigured = await hoverText(plain, atR);
    assert.match(unconfigured, /Elsewhere in this formula/);
    assert.match(unconfigured, /\*\*MW051\*\*/);
  });

  test('the hover\'s fix applies through the version-checked edit command of the quick fixes', async () => {
    const text = 'Take $\\bm{v} \\in \\R^n$ now.\n';
    const { doc } = await freshDoc('hover-fix', text);
    const md = await hoverText(doc, new vscode.Position(0, text.indexOf('\\R') + 1));
    const m = /command:mathWriteup\.applyEdits\?([^ )"]+)/.exec(md);
    assert.ok(m, md);
    const args = JSON.parse(decodeURIComponent(m[1])) as unknown[];
    const ok = await vscode.commands.executeCommand<boolean>('mathWriteup.applyEdits', ...args);
    assert.strictEqual(ok, true);
    assert.strictEqual(doc.getText(), 'Take $\\boldsymbol{v} \\in \\R^n$ now.\n', 'the fix of the finding elsewhere in the formula');
    // A second application with the old version is refused.
    const stale = await vscode.commands.executeCommand<boolean>('mathWriteup.applyEdits', ...args);
    assert.strictEqual(stale, false);
  });
});
