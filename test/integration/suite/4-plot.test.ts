// The plot panel: opens beside the writeup, receives the series of the check, draws a log-scale chart with readable
// tick labels under a strict CSP; Save as SVG / PNG write figures next to the writeup and insert the image link.
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { CheckResult } from '../../../src/core/check/types';
import type { MathWriteupApi, PlotPanelEvent } from '../../../src/vscode/api';
import type { PlotRenderInfo } from '../../../src/shared/plotMessages';
import { closeAll, fixture, frameCount, frameText, freshDoc, getApi, harness, screenshot, waitFor } from './helpers';

suite('Plot panel', () => {
  let api: MathWriteupApi;
  suiteSetup(async () => {
    api = (await getApi()).api;
  });
  suiteTeardown(closeAll);

  let doc: vscode.TextDocument;
  let result: CheckResult;
  let info: PlotRenderInfo;
  let logPlot = -1;

  test('"Show plot" opens the panel, which receives the series and draws a log-scale chart', async () => {
    ({ doc } = await freshDoc('plot', await fixture('checks.md')));
    const gd = doc.getText().split('\n').indexOf('```check');
    const results = await vscode.commands.executeCommand<CheckResult[] | undefined>('mathWriteup.runCheck', doc.uri.toString(), gd);
    assert.ok(results?.[0]);
    result = results[0];
    assert.ok(result.plots.length >= 1, 'the check has a plot');
    const rendered = waitFor<PlotPanelEvent, PlotRenderInfo>(api.onPlotPanel, (e) => (e.kind === 'rendered' ? e.info : undefined), 'plot rendered', 30000);
    await vscode.commands.executeCommand('workbench.action.closeSidebar');
    await vscode.commands.executeCommand('workbench.action.closePanel');
    const logIndex = result.plots.findIndex((p) => p.logY);
    assert.strictEqual(await vscode.commands.executeCommand('mathWriteup.showPlot', doc.uri.toString(), gd, logIndex), true);
    info = await rendered;
    assert.strictEqual(info.title, result.title);
    assert.strictEqual(info.plots.length, result.plots.length, 'every plot of the check is drawn');
    logPlot = result.plots.findIndex((p) => p.logY);
    assert.ok(logPlot >= 0, 'the check has a log-scale plot');
    const spec = result.plots[logPlot];
    const drawn = info.plots[logPlot];
    assert.deepStrictEqual(drawn.series.map((s) => s.name), spec.series.map((s) => s.name));
    assert.ok(drawn.series.every((s) => s.points > 1), JSON.stringify(drawn.series));
    assert.strictEqual(drawn.logY, true, 'errors spanning decades are drawn on a log axis');
    assert.ok(drawn.yTicks.length >= 2, `y tick labels: ${drawn.yTicks.join(' ')}`);
    assert.ok(!drawn.yTicks.includes('0'), `a log axis never labels 0: ${drawn.yTicks.join(' ')}`);
    assert.ok(drawn.yTicks.some((t) => /^10⁻[¹²³⁴⁵⁶⁷⁸⁹][⁰¹²³⁴⁵⁶⁷⁸⁹]*$/.test(t)), `small powers of ten as 10⁻ⁿ: ${drawn.yTicks.join(' ')}`);
    assert.ok(drawn.yTicks.length <= 10, `a readable number of labels: ${drawn.yTicks.join(' ')}`);
    assert.deepStrictEqual(info.cspViolations, [], 'no Content-Security-Policy violation');
    if (harness) {
      assert.strictEqual(await frameText('#check-title'), result.title);
      assert.ok((await frameCount('.uplot canvas', 1)) >= 1, 'uPlot canvas in the webview DOM');
      assert.ok((await frameCount('vscode-button', 2)) >= 2, 'toolbar buttons');
      const toggles = result.plots.reduce((n, p) => n + p.series.length, 0);
      assert.strictEqual(await frameCount('vscode-checkbox', toggles), toggles, 'one toggle per series');
      const legend = await frameText(`section.plot[data-index="${logPlot}"] .u-legend`);
      for (const s of spec.series) assert.ok(legend.includes(s.name), `legend lists ${s.name}`);
      await screenshot('plot-panel');
    }
  });

  test('"Save as SVG" writes figures/<slug>.svg and inserts the image link under the check block', async () => {
    assert.ok(info, 'the previous test opened the panel');
    const name = `scalar-gd-converges-iff-eta-lt-1-over-sigma-2-${logPlot + 1}.svg`;
    const file = await vscode.commands.executeCommand<vscode.Uri | undefined>('mathWriteup.savePlotSvg', { plotIndex: logPlot, overwrite: true, insertLink: true });
    assert.ok(file, 'saved');
    assert.ok(file.path.endsWith(`/scratch/figures/${name}`), file.path);
    const svg = new TextDecoder().decode(await vscode.workspace.fs.readFile(file));
    assert.match(svg, /^(<\?xml[^>]*>\s*)?<svg[\s>]/);
    const lines = doc.getText().split('\n');
    const close = lines.indexOf('```', lines.indexOf('```check'));
    assert.strictEqual(lines[close + 1], '');
    assert.strictEqual(lines[close + 2], `![${result.title}](figures/${name})`);
    // Saving again without permission to overwrite keeps the file and does not insert a second link.
    const again = await vscode.commands.executeCommand<vscode.Uri | undefined>('mathWriteup.savePlotSvg', { plotIndex: logPlot, overwrite: false, insertLink: true });
    assert.strictEqual(again, undefined);
    assert.strictEqual(doc.getText().split('](figures/').length, 2, 'one link');
  });

  test('"Save as PNG" writes the SVG\'s figure at a fixed size and 2× pixel density, whatever the panel\'s size', async () => {
    const sizes: [number, number][] = [];
    const file = await vscode.commands.executeCommand<vscode.Uri | undefined>('mathWriteup.savePlotPng', { plotIndex: logPlot, overwrite: true, insertLink: false });
    assert.ok(file && file.path.endsWith('.png'), `${String(file)}; log:\n${api.recentLog(10).join('\n')}`);
    assert.match(file.path, /\/figures\/scalar-gd-converges-iff-eta-lt-1-over-sigma-2-\d\.png$/);
    const bytes = await vscode.workspace.fs.readFile(file);
    assert.deepStrictEqual([...bytes.slice(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'PNG signature');
    assert.ok(bytes.length > 5000, `a real image (${bytes.length} bytes)`);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    sizes.push([view.getUint32(16), view.getUint32(20)]); // IHDR width, height
    // The SVG's size (720 × 420 CSS px), twice the pixels: the same in both layouts.
    const svgFile = await vscode.commands.executeCommand<vscode.Uri | undefined>('mathWriteup.savePlotSvg', { plotIndex: logPlot, overwrite: true, insertLink: false });
    assert.ok(svgFile);
    const svg = new TextDecoder().decode(await vscode.workspace.fs.readFile(svgFile));
    const w = Number(/<svg[^>]*\swidth="(\d+)"/.exec(svg)?.[1]);
    const h = Number(/<svg[^>]*\sheight="(\d+)"/.exec(svg)?.[1]);
    // Drawn from the SVG, not from the panel's canvas: the PNG's size does not follow the panel's.
    assert.deepStrictEqual(sizes, [[2 * w, 2 * h]], `PNG size ${JSON.stringify(sizes)}, SVG ${w}×${h}`);
  });

  test('the verdict line meets WCAG AA contrast (4.5:1) in light, dark and high-contrast themes', async () => {
    // Each theme of another kind than the one before (the page redraws when VS Code swaps its theme-kind class),
    // starting with one of another kind than the current theme (the default differs between VS Code versions).
    const all: [string, vscode.ColorThemeKind][] = [
      ['Default Light Modern', vscode.ColorThemeKind.Light],
      ['Default Dark Modern', vscode.ColorThemeKind.Dark],
      ['Default High Contrast', vscode.ColorThemeKind.HighContrast],
      ['Default High Contrast Light', vscode.ColorThemeKind.HighContrastLight],
    ];
    const start = all.findIndex(([, kind]) => kind !== vscode.window.activeColorTheme.kind);
    const themes = [...all.slice(start), ...all.slice(0, start)].map(([name]) => name);
    const seen: string[] = [];
    try {
      for (const theme of themes) {
        const redrawn = waitFor<PlotPanelEvent, PlotRenderInfo>(api.onPlotPanel, (e) => (e.kind === 'rendered' ? e.info : undefined), `plot redrawn in ${theme}`, 30000);
        await vscode.workspace.getConfiguration('workbench').update('colorTheme', theme, vscode.ConfigurationTarget.Global);
        const drawn = await redrawn;
        seen.push(`${theme}: ${drawn.verdictContrast.toFixed(2)}`);
        assert.ok(drawn.verdictContrast >= 4.5, `verdict contrast in ${theme}: ${drawn.verdictContrast.toFixed(2)}:1`);
      }
    } finally {
      await vscode.workspace.getConfiguration('workbench').update('colorTheme', undefined, vscode.ConfigurationTarget.Global);
    }
    console.log(`[measure] plot verdict contrast: ${seen.join(', ')}`);
  });

  test('re-running the check refreshes the open panel', async () => {
    const gd = doc.getText().split('\n').indexOf('```check');
    const rendered = waitFor<PlotPanelEvent, PlotRenderInfo>(api.onPlotPanel, (e) => (e.kind === 'rendered' ? e.info : undefined), 'plot re-rendered', 30000);
    await vscode.commands.executeCommand('mathWriteup.runCheck', doc.uri.toString(), gd);
    assert.strictEqual((await rendered).title, result.title);
  });
});
