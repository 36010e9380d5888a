// The extension's `browser` entry: Math Writeup in VS Code for the Web (github.dev, vscode.dev), in the web-worker
// extension host (no Node: no worker threads, no file system module, no child processes).
//
// It runs the same core as the desktop extension and the language server: the incremental linter per document
// (debounced; GitHub's MathJax verdicts once typing pauses, abandoned by a newer edit), the desktop extension's
// code-action provider and edit command (src/vscode/codeActions.ts, over src/core/lint/actions.ts), and the language
// server's hover (src/lsp/hover.ts: GitHub's MathJax rendering as an SVG image and the findings). Check blocks get
// a CodeLens saying that checks run in desktop VS Code (the check worker's time limit and memory guard need a
// thread the web extension host does not give). The preview is the desktop one on this platform's terms
// (src/web/preview.ts): GitHub mode's MathJax typesets in this worker.
import * as vscode from 'vscode';
import { LiveLinter } from '../core/lint/live';
import { mergeConfigs, validateConfig } from '../core/lint/config';
import { defaultRegistry } from '../core/lint/registry';
import type { LintConfig } from '../core/lint/types';
import type { Finding } from '../core/types';
import { GithubValidator } from '../core/tex/mathjax';
import { scanDocument } from '../core/scan/scanner';
import { isCheckFence } from '../core/check/index';
import { hoverMarkdown } from '../lsp/hover';
import { Commands } from '../vscode/api';
import { applyEditsCommand, FIX_ALL_KIND, MathCodeActionProvider, type ApplyEditsArgs } from '../vscode/codeActions';
import { DIAGNOSTIC_SOURCE } from '../vscode/diagnosticSource';
import { explicitLintSettings, isWriteup, readSettings } from '../vscode/config';
import { toDiagnosticSeverity, toRange } from '../vscode/convert';
import { activateWebPreview } from './preview';
import type { PreviewTestApi } from '../vscode/preview/index';

const CONFIG_FILE = '.math-writeup.json';
export const CHECKS_ON_DESKTOP = 'Checks run in desktop VS Code';

interface DocState {
  /** The document's linter and its last findings (src/core/lint/live.ts: incremental, then GitHub's MathJax). */
  live: LiveLinter;
  /** The debounced lint of the latest edit. */
  timer?: ReturnType<typeof setTimeout>;
}

/** Lints open writeups in this extension host and publishes diagnostics; the code actions and hover read them. */
export class WebLintService implements vscode.Disposable {
  readonly #registry = defaultRegistry();
  /** GitHub's MathJax for this session's documents: MW053's verdicts and the hover's SVG. */
  readonly validator = new GithubValidator();
  readonly #collection = vscode.languages.createDiagnosticCollection('math-writeup');
  readonly #state = new Map<string, DocState>();
  readonly #docsUris = new Map<string, vscode.Uri>();
  readonly #shown = new Set<string>();
  readonly #disposables: vscode.Disposable[] = [];

  constructor(private readonly extensionUri: vscode.Uri) {
    this.#disposables.push(
      this.#collection,
      vscode.workspace.onDidOpenTextDocument((d) => this.schedule(d, 0)),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length > 0) this.schedule(e.document, readSettings(e.document.uri).debounceMs);
      }),
      vscode.workspace.onDidCloseTextDocument((d) => this.#forget(d.uri.toString())),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('mathWriteup')) this.#relintAll();
      }),
    );
    // .math-writeup.json created, changed (also by a save in the editor) or deleted: lint again.
    const watcher = vscode.workspace.createFileSystemWatcher(`**/${CONFIG_FILE}`);
    this.#disposables.push(watcher, watcher.onDidCreate(() => this.#relintAll()), watcher.onDidChange(() => this.#relintAll()), watcher.onDidDelete(() => this.#relintAll()));
    for (const d of vscode.workspace.textDocuments) this.schedule(d, 0);
  }

  #forget(key: string): void {
    const st = this.#state.get(key);
    if (st?.timer) clearTimeout(st.timer);
    st?.live.supersede();
    this.#state.delete(key);
    this.#collection.delete(vscode.Uri.parse(key));
  }

  #relintAll(): void {
    for (const d of vscode.workspace.textDocuments) {
      const st = this.#state.get(d.uri.toString());
      if (st) st.live.version = -1;
      this.schedule(d, 0);
    }
  }

  schedule(doc: vscode.TextDocument, delayMs: number): void {
    if (!isWriteup(doc)) return;
    const key = doc.uri.toString();
    let st = this.#state.get(key);
    if (!st) {
      st = { live: new LiveLinter(this.validator, this.#registry) };
      this.#state.set(key, st);
    }
    if (st.timer) clearTimeout(st.timer);
    st.live.supersede();
    st.timer = setTimeout(() => {
      if (st) st.timer = undefined;
      void this.findingsForVersion(doc);
    }, delayMs);
  }

  /** `.math-writeup.json` in the document's folder or above (within its workspace folder), validated by the core. */
  async #fileConfig(uri: vscode.Uri): Promise<Partial<LintConfig> | undefined> {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    if (!folder) return undefined;
    let dir = vscode.Uri.joinPath(uri, '..');
    for (;;) {
      const candidate = vscode.Uri.joinPath(dir, CONFIG_FILE);
      let bytes: Uint8Array | undefined;
      try {
        bytes = await vscode.workspace.fs.readFile(candidate);
      } catch {
        bytes = undefined;
      }
      if (bytes) {
        const shown = vscode.workspace.asRelativePath(candidate);
        let raw: unknown;
        try {
          raw = JSON.parse(new TextDecoder().decode(bytes).replace(/^\uFEFF/, ''));
        } catch (e) {
          this.#problem(`math-writeup: ${shown}: invalid JSON: ${e instanceof Error ? e.message : String(e)}`);
          return undefined;
        }
        const { config, problems } = validateConfig(raw, this.#registry);
        for (const p of problems) this.#problem(`math-writeup: ${shown}: ${p.message}`);
        return config;
      }
      if (dir.path === folder.uri.path || dir.path === '/' || !dir.path.startsWith(folder.uri.path)) return undefined;
      dir = vscode.Uri.joinPath(dir, '..');
    }
  }

  #problem(message: string): void {
    if (this.#shown.has(message)) return;
    this.#shown.add(message);
    void vscode.window.showWarningMessage(message);
  }

  async #config(doc: vscode.TextDocument): Promise<LintConfig | undefined> {
    if (!readSettings(doc.uri).enable) return undefined;
    const file = await this.#fileConfig(doc.uri);
    const { config, problems } = validateConfig(explicitLintSettings(doc.uri), this.#registry);
    for (const p of problems) this.#problem(`math-writeup: settings: ${p.message}`);
    return mergeConfigs(this.#registry, file, config);
  }

  /** The findings of the document's current version (linting it now if they are not there yet). */
  async findingsForVersion(doc: vscode.TextDocument): Promise<Finding[]> {
    const key = doc.uri.toString();
    const st = this.#state.get(key);
    if (!st || !isWriteup(doc)) return [];
    if (st.live.version === doc.version) return st.live.findings;
    const version = doc.version;
    const config = await this.#config(doc);
    if (doc.version !== version || this.#state.get(key) !== st) return [];
    if (st.live.version === version) return st.live.findings;
    if (st.timer) {
      clearTimeout(st.timer);
      st.timer = undefined;
    }
    const findings = st.live.lint(doc.getText(), version, config, {
      republish: (full) => this.#publish(doc, full),
      failed: (e) => this.#problem(`math-writeup: GitHub's MathJax could not validate the formulas: ${e instanceof Error ? e.message : String(e)}`),
    });
    this.#publish(doc, findings);
    return findings;
  }

  #docsUri(docs: string): vscode.Uri {
    let uri = this.#docsUris.get(docs);
    if (!uri) {
      uri = vscode.Uri.joinPath(this.extensionUri, docs);
      this.#docsUris.set(docs, uri);
    }
    return uri;
  }

  #publish(doc: vscode.TextDocument, findings: readonly Finding[]): void {
    this.#collection.set(
      doc.uri,
      findings.map((f) => {
        const d = new vscode.Diagnostic(toRange(f.range), f.message, toDiagnosticSeverity(f.severity));
        d.source = DIAGNOSTIC_SOURCE;
        d.code = { value: f.ruleId, target: this.#docsUri(f.docs) };
        return d;
      }),
    );
  }

  dispose(): void {
    for (const st of this.#state.values()) {
      if (st.timer) clearTimeout(st.timer);
      st.live.supersede();
    }
    for (const d of this.#disposables) d.dispose();
  }
}

/** Hover: the language server's (GitHub's MathJax rendering as an image, the findings on the formula). */
class WebHoverProvider implements vscode.HoverProvider {
  constructor(private readonly lint: WebLintService) {}

  async provideHover(doc: vscode.TextDocument, position: vscode.Position, token: vscode.CancellationToken): Promise<vscode.Hover | undefined> {
    const version = doc.version;
    const findings = await this.lint.findingsForVersion(doc);
    const dark = [vscode.ColorThemeKind.Dark, vscode.ColorThemeKind.HighContrast].includes(vscode.window.activeColorTheme.kind);
    const h = await hoverMarkdown(doc.getText(), doc.offsetAt(position), findings, (tex, d) => this.lint.validator.renderSvg(tex, d), dark ? '#e6edf3' : '#1f2328');
    if (!h || token.isCancellationRequested || doc.version !== version) return undefined;
    const md = new vscode.MarkdownString(h.markdown);
    md.supportHtml = false;
    return new vscode.Hover(md, new vscode.Range(doc.positionAt(h.start), doc.positionAt(h.end)));
  }
}

/** Above each check block: checks do not run in the web extension host. */
class ChecksOnDesktopLens implements vscode.CodeLensProvider {
  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    if (!isWriteup(doc) || !/(`{3,}|~{3,})[ \t]*check/.test(doc.getText())) return [];
    return scanDocument(doc.getText())
      .fences.filter(isCheckFence)
      .map(
        (f) =>
          new vscode.CodeLens(new vscode.Range(f.line, 0, f.line, 0), {
            title: `$(info) ${CHECKS_ON_DESKTOP}`,
            command: 'mathWriteup.web.checksOnDesktop',
            tooltip: 'Numeric checks need the desktop extension (a worker thread with a time limit and a memory guard).',
          }),
      );
  }
}

export function activate(context: vscode.ExtensionContext): { lint: WebLintService; preview: PreviewTestApi } {
  const lint = new WebLintService(context.extensionUri);
  const preview = activateWebPreview(context, CHECKS_ON_DESKTOP);
  const selector: vscode.DocumentSelector = { language: 'markdown' };
  context.subscriptions.push(
    lint,
    preview,
    vscode.languages.registerCodeActionsProvider(selector, new MathCodeActionProvider(lint), {
      providedCodeActionKinds: [vscode.CodeActionKind.QuickFix, FIX_ALL_KIND],
    }),
    vscode.languages.registerHoverProvider(selector, new WebHoverProvider(lint)),
    vscode.languages.registerCodeLensProvider(selector, new ChecksOnDesktopLens()),
    vscode.commands.registerCommand(Commands.applyEdits, (args: ApplyEditsArgs) => applyEditsCommand(args)),
    vscode.commands.registerCommand(Commands.openRuleDocs, async (docs: string) => {
      await vscode.commands.executeCommand('markdown.showPreview', vscode.Uri.joinPath(context.extensionUri, docs));
    }),
    vscode.commands.registerCommand('mathWriteup.web.checksOnDesktop', () =>
      vscode.window.showInformationMessage(`Math Writeup: ${CHECKS_ON_DESKTOP}; here the writeup is linted, fixed and hovered.`),
    ),
  );
  return { lint, preview: preview.api };
}

export function deactivate(): void {
  // disposables are released by VS Code
}
