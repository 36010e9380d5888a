// Composition root of the Math Writeup extension: creates the services, registers providers and commands, and
// returns a small API (events) that integration tests await instead of sleeping. Heavy modules (lint engine,
// check runner, SVG writer) load on first use, so activation stays cheap.
import { moduleLoadStart } from './loadClock';
import * as vscode from 'vscode';
import { extendBuiltinPreview } from './builtinPreview';
import { guarded } from './guarded';
import { createLog, log, recentLog } from './log';
import type { CheckResult } from '../core/check/types';
import type { PlotContent } from '../shared/plotMessages';
import { Commands, type MathWriteupApi, type PlotPanelEvent } from './api';
import { CheckController } from './checks';
import { applyEditsCommand, MathCodeActionProvider, type ApplyEditsArgs } from './codeActions';
import { fixAllEdits } from '../core/lint/actions';
import { disposeLintEngine, LintService } from './lintService';
import { PlotPanel, type PlotPanelHost, type SaveOptions } from './plotPanel';
import { ProblemsStatus } from './statusBar';
import { activatePreview } from './preview/index';
import { desktopPreviewHost } from './preview/desktop';

const MARKDOWN: vscode.DocumentSelector = [{ language: 'markdown' }];

export function activate(context: vscode.ExtensionContext): MathWriteupApi {
  const t0 = performance.now();
  context.subscriptions.push(createLog());
  const lint = new LintService(context.extensionUri);
  const checks = new CheckController(context.extensionUri);
  const status = new ProblemsStatus();
  const onPlotPanel = new vscode.EventEmitter<PlotPanelEvent>();
  let lastPlotted: { uri: vscode.Uri; result: CheckResult } | undefined;

  const toContent = (uri: vscode.Uri, r: CheckResult): PlotContent => ({
    uri: uri.toString(),
    line: r.line,
    title: r.title,
    status: r.status,
    message: r.message,
    plots: r.plots,
  });
  const plotHost: PlotPanelHost = {
    extensionUri: context.extensionUri,
    fire: (e) => onPlotPanel.fire(e),
    locateCheck: async (doc, content) => {
      const lines = await checks.checkLines(doc);
      if (lines.includes(content.line)) return content.line;
      // The block moved: find it by its title line.
      const text = doc.getText().split(/\r?\n/);
      return lines.find((l) => text.slice(l + 1, l + 40).some((t) => /^\s*title\s*:/.test(t) && t.includes(content.title)));
    },
  };
  context.subscriptions.push(lint.onDidHide((uri) => checks.forget(uri)));
  context.subscriptions.push(checks.onDidFinish(({ uri, result: r }) => {
    if (r.plots.length > 0) lastPlotted = { uri, result: r };
    const cur = PlotPanel.current?.content;
    // A re-run of the check the panel shows refreshes the panel.
    if (cur && cur.uri === uri.toString() && cur.line === r.line) PlotPanel.current?.update(toContent(uri, r));
  }));

  const docFor = async (uri?: string): Promise<vscode.TextDocument | undefined> => {
    if (typeof uri === 'string') {
      const u = vscode.Uri.parse(uri);
      return vscode.workspace.textDocuments.find((d) => d.uri.toString() === u.toString()) ?? vscode.workspace.openTextDocument(u);
    }
    return vscode.window.activeTextEditor?.document;
  };
  /** The check block at or above the cursor of the active editor. */
  const lineAtCursor = async (doc: vscode.TextDocument): Promise<number | undefined> => {
    const ed = vscode.window.activeTextEditor;
    const lines = await checks.checkLines(doc);
    if (!ed || ed.document !== doc) return lines[0];
    const cur = ed.selection.active.line;
    return [...lines].reverse().find((l) => l <= cur) ?? lines[0];
  };
  const needPanel = (): PlotPanel => {
    const p = PlotPanel.current;
    if (!p) throw new Error('Open a plot first ("Show plot" above a check block).');
    return p;
  };

  context.subscriptions.push(
    lint,
    checks,
    status,
    onPlotPanel,
    { dispose: () => PlotPanel.current?.dispose() },
    vscode.languages.registerCodeActionsProvider(MARKDOWN, new MathCodeActionProvider(lint), {
      providedCodeActionKinds: MathCodeActionProvider.providedCodeActionKinds,
    }),
    vscode.languages.registerCodeLensProvider(MARKDOWN, checks),
    vscode.window.registerWebviewPanelSerializer(PlotPanel.viewType, {
      deserializeWebviewPanel: async (panel, state) => {
        PlotPanel.revive(plotHost, panel, state);
      },
    }),
    vscode.commands.registerCommand(Commands.applyEdits, (args: ApplyEditsArgs) => applyEditsCommand(args)),
    vscode.commands.registerCommand(Commands.lintNow, guarded(async (uri?: string) => {
      const doc = await docFor(uri);
      return doc ? lint.lintNow(doc) : undefined;
    })),
    vscode.commands.registerCommand(Commands.fixAll, guarded(async (uri?: string) => {
      const doc = await docFor(uri);
      if (!doc) return false;
      const version = doc.version;
      const findings = await lint.findingsForVersion(doc);
      if (doc.version !== version) return false;
      const edits = fixAllEdits(doc.getText(), findings);
      return applyEditsCommand({ uri: doc.uri.toString(), version, edits, label: 'Fix all GitHub math problems' });
    })),
    vscode.commands.registerCommand(Commands.showProblems, () => vscode.commands.executeCommand('workbench.actions.view.problems')),
    vscode.commands.registerCommand(Commands.openRuleDocs, guarded(async (docs: string) => {
      const uri = lint.docsUri(docs);
      if (uri.scheme === 'http' || uri.scheme === 'https') return vscode.env.openExternal(uri);
      // Rendered, beside the writeup; the raw file when the built-in Markdown extension is unavailable.
      try {
        await vscode.commands.executeCommand('markdown.showPreviewToSide', uri);
      } catch {
        await vscode.window.showTextDocument(uri, { viewColumn: vscode.ViewColumn.Beside, preview: true });
      }
      return true;
    })),
    vscode.commands.registerCommand(Commands.runCheck, guarded(async (uri?: string, line?: number) => {
      const doc = await docFor(uri);
      if (!doc) return undefined;
      const at = typeof line === 'number' ? line : await lineAtCursor(doc);
      if (at === undefined) {
        void vscode.window.showInformationMessage('Math Writeup: this document has no ```check blocks.');
        return undefined;
      }
      return checks.run(doc, at);
    })),
    vscode.commands.registerCommand(Commands.runAllChecks, guarded(async (uri?: string) => {
      const doc = await docFor(uri);
      return doc ? checks.run(doc) : undefined;
    })),
    vscode.commands.registerCommand(Commands.cancelChecks, guarded(async (uri?: string) => {
      const doc = await docFor(uri);
      if (doc) checks.cancel(doc.uri);
    })),
    vscode.commands.registerCommand(Commands.showPlot, guarded(async (uri?: string, line?: number, plotIndex?: number) => {
      let target: { uri: vscode.Uri; result: CheckResult } | undefined;
      const doc = await docFor(uri);
      if (doc && (typeof line === 'number' || uri !== undefined || !lastPlotted)) {
        const at = typeof line === 'number' ? line : await lineAtCursor(doc);
        if (at !== undefined) {
          let r = await checks.resultAt(doc, at);
          if (!r) r = (await checks.run(doc, at))?.[0];
          if (r) target = { uri: doc.uri, result: r };
        }
      } else {
        target = lastPlotted;
      }
      if (!target) return false;
      if (target.result.plots.length === 0) {
        void vscode.window.showInformationMessage(`Math Writeup: the check "${target.result.title}" has no plot: add a \`plot:\` line.`);
        return false;
      }
      PlotPanel.show(plotHost, toContent(target.uri, target.result), typeof plotIndex === 'number' ? plotIndex : undefined);
      return true;
    })),
    vscode.commands.registerCommand(Commands.savePlotSvg, guarded((opts?: SaveOptions) => needPanel().saveSvg(opts ?? {}))),
    vscode.commands.registerCommand(Commands.savePlotPng, guarded((opts?: SaveOptions) => needPanel().savePng(opts ?? {}))),
  );
  lint.relintAll(true);
  const preview = activatePreview(context, { checks }, desktopPreviewHost(context.extensionUri, lint));
  context.subscriptions.push(preview);

  const activationMs = performance.now() - t0;
  log.info(`activated in ${activationMs.toFixed(1)} ms (VS Code ${vscode.version}, ${vscode.env.uiKind === vscode.UIKind.Web ? 'web' : 'desktop'})`);
  return {
    extendMarkdownIt: (md) => extendBuiltinPreview(md, (uri) => lint.findings(uri)),
    activationMs,
    loadAndActivateMs: performance.now() - moduleLoadStart,
    onDidPublishDiagnostics: lint.onDidPublish,
    onDidStartChecks: checks.onDidStart,
    onDidFinishCheck: checks.onDidFinish,
    onDidRefuseChecks: checks.onDidRefuse,
    onDidChangeCodeLenses: checks.onDidChangeLensesFor,
    onPlotPanel: onPlotPanel.event,
    publishedVersion: (uri) => lint.publishedVersion(uri),
    findings: (uri) => lint.findings(uri),
    isChecking: (uri) => checks.isRunning(uri),
    statusBarText: () => status.text,
    preview: preview.api,
    recentLog,
  };
}

export function deactivate(): void {
  // Everything else is disposed through context.subscriptions; the lint worker thread is stopped here.
  disposeLintEngine();
}
