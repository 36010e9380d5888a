// Live diagnostics for Markdown writeups: debounced, version-guarded (results computed for an older version are
// dropped), cancellable (a newer edit cancels the pending run), cleared when the document closes.
// The lint engine is loaded lazily on first use so that activation stays cheap.
import * as vscode from 'vscode';
import type { LintConfig } from '../core/lint/types';
import type { Finding } from '../core/types';
import type { DiagnosticsPublished } from './api';
import { isWriteup, readSettings } from './config';
import { toDiagnosticSeverity } from './convert';

type LintText = (text: string, config?: Partial<LintConfig>) => Finding[];

let engine: Promise<LintText> | undefined;
/** Loads src/core/lint/engine once (esbuild keeps a dynamic import lazy inside the bundle). */
export function loadLintEngine(): Promise<LintText> {
  engine ??= import('../core/lint/engine').then((m) => m.lintText);
  return engine;
}

export const DIAGNOSTIC_SOURCE = 'math-writeup';

interface Published {
  version: number;
  findings: Finding[];
}

interface Pending {
  timer?: ReturnType<typeof setTimeout>;
  cts: vscode.CancellationTokenSource;
}

export class LintService implements vscode.Disposable {
  readonly #collection: vscode.DiagnosticCollection;
  readonly #extensionUri: vscode.Uri;
  readonly #published = new Map<string, Published>();
  readonly #pending = new Map<string, Pending>();
  readonly #onDidPublish = new vscode.EventEmitter<DiagnosticsPublished>();
  readonly onDidPublish = this.#onDidPublish.event;
  readonly #disposables: vscode.Disposable[] = [];
  #lintSync: LintText | undefined;

  constructor(extensionUri: vscode.Uri) {
    this.#extensionUri = extensionUri;
    this.#collection = vscode.languages.createDiagnosticCollection('math-writeup');
    this.#disposables.push(
      this.#collection,
      this.#onDidPublish,
      vscode.workspace.onDidOpenTextDocument((d) => this.schedule(d, 0)),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length > 0) this.schedule(e.document);
      }),
      vscode.workspace.onDidCloseTextDocument((d) => this.clear(d.uri)),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('mathWriteup')) this.relintAll();
      }),
    );
  }

  /** Lints every open writeup (first run: no debounce). */
  relintAll(): void {
    for (const d of vscode.workspace.textDocuments) this.schedule(d, 0);
  }

  /** Schedules a lint of `doc`; `delayMs` defaults to the debounce setting. */
  schedule(doc: vscode.TextDocument, delayMs?: number): void {
    if (!isWriteup(doc)) return;
    const key = doc.uri.toString();
    this.#cancel(key);
    const settings = readSettings(doc.uri);
    if (!settings.enable) {
      this.clear(doc.uri);
      return;
    }
    const cts = new vscode.CancellationTokenSource();
    const pending: Pending = { cts };
    this.#pending.set(key, pending);
    const version = doc.version;
    const run = () => {
      pending.timer = undefined;
      void this.#run(doc, version, cts.token).finally(() => {
        if (this.#pending.get(key) === pending) this.#pending.delete(key);
        cts.dispose();
      });
    };
    const delay = delayMs ?? settings.debounceMs;
    if (delay <= 0) run();
    else pending.timer = setTimeout(run, delay);
  }

  /** Lints now and resolves when the diagnostics for the current version are published. */
  async lintNow(doc: vscode.TextDocument): Promise<readonly Finding[]> {
    const key = doc.uri.toString();
    this.#cancel(key);
    const cts = new vscode.CancellationTokenSource();
    try {
      await this.#run(doc, doc.version, cts.token);
    } finally {
      cts.dispose();
    }
    return this.findings(doc.uri);
  }

  /** Findings last published for `uri`. */
  findings(uri: vscode.Uri): readonly Finding[] {
    return this.#published.get(uri.toString())?.findings ?? [];
  }

  /**
   * Findings for exactly `doc.version`: the published ones when they are current, otherwise a fresh synchronous
   * lint (used by code actions, which must never offer edits computed for another version).
   */
  async findingsForVersion(doc: vscode.TextDocument): Promise<Finding[]> {
    const p = this.#published.get(doc.uri.toString());
    if (p && p.version === doc.version) return p.findings;
    const lint = this.#lintSync ?? (await loadLintEngine());
    this.#lintSync = lint;
    return lint(doc.getText(), readSettings(doc.uri).lint);
  }

  clear(uri: vscode.Uri): void {
    const key = uri.toString();
    this.#cancel(key);
    this.#published.delete(key);
    this.#collection.delete(uri);
  }

  #cancel(key: string): void {
    const p = this.#pending.get(key);
    if (!p) return;
    if (p.timer) clearTimeout(p.timer);
    p.cts.cancel();
    this.#pending.delete(key);
  }

  async #run(doc: vscode.TextDocument, version: number, token: vscode.CancellationToken): Promise<void> {
    let lint = this.#lintSync;
    if (!lint) {
      lint = await loadLintEngine();
      this.#lintSync = lint;
    }
    // Version guard: the document may have changed (or closed) while the engine loaded or the timer waited.
    if (token.isCancellationRequested || doc.isClosed || doc.version !== version) return;
    const settings = readSettings(doc.uri);
    const t0 = performance.now();
    let findings: Finding[];
    try {
      findings = lint(doc.getText(), settings.lint);
    } catch (e) {
      // A bug in a rule must not take the extension down: report it once per document version.
      const msg = e instanceof Error ? e.message : String(e);
      void vscode.window.showErrorMessage(`Math Writeup: linting ${vscode.workspace.asRelativePath(doc.uri)} failed: ${msg}`);
      return;
    }
    const lintMs = performance.now() - t0;
    if (token.isCancellationRequested || doc.isClosed || doc.version !== version) return;
    this.#published.set(doc.uri.toString(), { version, findings });
    this.#collection.set(doc.uri, findings.map((f) => this.toDiagnostic(f)));
    this.#onDidPublish.fire({ uri: doc.uri, version, count: findings.length, lintMs });
  }

  /** Uri of a rule's docs page shipped inside the extension (works offline and without GitHub). */
  docsUri(docs: string): vscode.Uri {
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(docs)) return vscode.Uri.parse(docs);
    return vscode.Uri.joinPath(this.#extensionUri, ...docs.split('/').filter((s) => s && s !== '..'));
  }

  toDiagnostic(f: Finding): vscode.Diagnostic {
    const range = new vscode.Range(f.range.start.line, f.range.start.character, f.range.end.line, f.range.end.character);
    const d = new vscode.Diagnostic(range, f.message, toDiagnosticSeverity(f.severity));
    d.source = DIAGNOSTIC_SOURCE;
    d.code = { value: f.ruleId, target: this.docsUri(f.docs) };
    return d;
  }

  dispose(): void {
    for (const key of [...this.#pending.keys()]) this.#cancel(key);
    for (const d of this.#disposables) d.dispose();
  }
}
