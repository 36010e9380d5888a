// Live diagnostics for Markdown writeups: debounced, version-guarded (results computed for an older version are
// dropped), cancellable (a newer edit cancels the pending run), cleared when the document closes.
// The lint engine is loaded lazily on first use so that activation stays cheap.
import * as vscode from 'vscode';
import type { LintConfig } from '../core/lint/types';
import type { Finding } from '../core/types';
import type { DiagnosticsPublished } from './api';
import { explicitLintSettings, isWriteup, readSettings } from './config';
import { toDiagnosticSeverity } from './convert';
import { lintHost } from './lazy';
import { DIAGNOSTIC_SOURCE } from './diagnosticSource';

/** The parts of the core the service needs, loaded on first use. */
/** The lint worker's fast answer. */
interface LintAnswer {
  findings: Finding[];
  lintMs: number;
  queuedMs?: number;
  stats?: { lintedLines: number };
  carried?: number;
}

interface Engine {
  /**
   * Lints `text` in the lint worker (off this thread). Resolves with the fast findings; `onMathjax` receives the
   * complete findings once GitHub's MathJax has judged the formulas, if that adds any. Rejects with
   * `superseded` when a newer version of the same document was sent meanwhile.
   */
  lint(key: string, text: string, config: LintConfig, onMathjax?: (findings: Finding[]) => void): Promise<LintAnswer>;
  isSuperseded(e: unknown): boolean;
  /** The document was closed or hidden: the worker drops its linter and the findings it last sent. */
  forget(key: string): void;
  /** Validates an untrusted layer (settings, file) and merges the layers over the defaults. */
  resolve(layers: { file?: Partial<LintConfig>; settings: unknown }): { config: LintConfig; problems: string[] };
  /** The nearest .math-writeup.json for a directory, parsed and validated (throws a one-line error). */
  configFileFor(dir: string): Promise<Partial<LintConfig> | undefined>;
  dispose(): void;
}

let engine: Engine | undefined;
/** The core's lint engine and configuration, loaded on first use (see lazy.ts). */
export function loadLintEngine(): Engine {
  if (engine) return engine;
  const host = lintHost();
  const registry = host.defaultRegistry();
  const worker = new host.LintWorkerClient();
  engine = {
    lint: (key, text, config, onMathjax) => worker.lint(key, text, config, onMathjax),
    isSuperseded: (e) => e instanceof host.SupersededError,
    forget: (key) => worker.forget(key),
    resolve: ({ file: fileLayer, settings }) => {
      const { config, problems } = host.validateConfig(settings, registry);
      return { config: host.mergeConfigs(registry, fileLayer, config), problems: problems.map((p) => p.message) };
    },
    configFileFor: async (dir) => {
      const found = await host.findConfigFile(dir);
      return found ? host.loadConfigFile(found, registry, vscode.workspace.asRelativePath(found)) : undefined;
    },
    dispose: () => worker.dispose(),
  };
  return engine;
}

/** Stops the lint worker (extension deactivation). */
export function disposeLintEngine(): void {
  engine?.dispose();
  engine = undefined;
}

export { DIAGNOSTIC_SOURCE };

function tabUri(t: vscode.Tab): vscode.Uri | undefined {
  const input = t.input;
  if (input instanceof vscode.TabInputText) return input.uri;
  if (input instanceof vscode.TabInputTextDiff) return input.modified;
  return undefined;
}

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
  /** Per document: the version its last edit made, and when the extension host received that edit. */
  readonly #changedAt = new Map<string, { version: number; at: number }>();
  /** Docs page per rule (one Uri each, shared by all its diagnostics). */
  readonly #docsUris = new Map<string, vscode.Uri>();
  readonly #pending = new Map<string, Pending>();
  readonly #onDidPublish = new vscode.EventEmitter<DiagnosticsPublished>();
  readonly onDidPublish = this.#onDidPublish.event;
  readonly #onDidHide = new vscode.EventEmitter<vscode.Uri>();
  /** A document's last tab closed (it may stay open in the background). */
  readonly onDidHide = this.#onDidHide.event;
  readonly #disposables: vscode.Disposable[] = [];
  #engine: Engine | undefined;
  /** .math-writeup.json per directory (invalidated by a file watcher). */
  readonly #fileConfigs = new Map<string, Promise<Partial<LintConfig> | undefined>>();
  /** Configuration problems already shown (each once). */
  readonly #shownProblems = new Set<string>();

  constructor(extensionUri: vscode.Uri) {
    this.#extensionUri = extensionUri;
    this.#collection = vscode.languages.createDiagnosticCollection('math-writeup');
    this.#disposables.push(
      this.#collection,
      this.#onDidPublish,
      this.#onDidHide,
      vscode.workspace.onDidOpenTextDocument((d) => this.schedule(d, 0)),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length > 0) {
          this.#changedAt.set(e.document.uri.toString(), { version: e.document.version, at: performance.now() });
          this.schedule(e.document);
        }
      }),
      vscode.workspace.onDidCloseTextDocument((d) => this.clear(d.uri)),
      // VS Code may keep a document open for a while after its last editor closed: clear its problems when its last
      // tab closes, and lint it again when it is shown again.
      vscode.window.tabGroups.onDidChangeTabs(() => this.#syncTabs()),
      vscode.window.onDidChangeVisibleTextEditors((editors) => {
        for (const ed of editors) if (!this.#published.has(ed.document.uri.toString())) this.schedule(ed.document, 0);
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('mathWriteup')) this.relintAll();
      }),
    );
    const watcher = vscode.workspace.createFileSystemWatcher('**/.math-writeup.json');
    const reload = () => {
      this.#fileConfigs.clear();
      this.relintAll();
    };
    this.#disposables.push(watcher, watcher.onDidCreate(reload), watcher.onDidChange(reload), watcher.onDidDelete(reload));
    this.#syncTabs();
  }

  /** Documents shown in a tab at the last tab change (a preview tab replaced by another file counts as closed). */
  #tabUris = new Set<string>();

  #syncTabs(): void {
    const now = new Set<string>();
    for (const t of vscode.window.tabGroups.all.flatMap((g) => g.tabs)) {
      const u = tabUri(t);
      if (u) now.add(u.toString());
    }
    for (const key of this.#tabUris) {
      if (now.has(key)) continue;
      const uri = vscode.Uri.parse(key);
      if (this.#published.has(key)) this.clear(uri);
      this.#onDidHide.fire(uri);
    }
    this.#tabUris = now;
  }

  /**
   * Lints open writeups without debounce: at activation every open document; later (settings changed) only the
   * ones that show problems or are shown in an editor or tab (a document whose tab was closed stays quiet).
   */
  relintAll(initial = false): void {
    const shown = new Set([...this.#tabUris, ...vscode.window.visibleTextEditors.map((e) => e.document.uri.toString())]);
    for (const d of vscode.workspace.textDocuments) {
      const key = d.uri.toString();
      if (initial || this.#published.has(key) || this.#pending.has(key) || shown.has(key)) this.schedule(d, 0);
    }
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

  publishedVersion(uri: vscode.Uri): number | undefined {
    return this.#published.get(uri.toString())?.version;
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
    const key = doc.uri.toString();
    const p = this.#published.get(key);
    if (p && p.version === doc.version) return p.findings;
    // A lint of this version is already scheduled (the debounce after a keystroke): wait for it instead of linting
    // the whole document a second time on the extension host (VS Code asks for code actions after every edit).
    if (this.#pending.has(key)) {
      const version = doc.version;
      const published = await new Promise<boolean>((resolve) => {
        const done = (ok: boolean): void => {
          sub.dispose();
          clearTimeout(timer);
          resolve(ok);
        };
        const sub = this.#onDidPublish.event((e) => {
          if (e.uri.toString() === key && e.version >= version) done(true);
        });
        const timer = setTimeout(() => done(false), 3000);
      });
      const now = this.#published.get(key);
      if (published && now && now.version === doc.version) return now.findings;
      if (doc.version !== version) return [];
    }
    const engine = await this.#loadEngine();
    const config = await this.#configFor(doc, engine);
    // Its own key: must not supersede the debounced lint of the same document in the worker.
    return (await engine.lint(`${key}#direct`, doc.getText(), config)).findings;
  }

  async #loadEngine(): Promise<Engine> {
    this.#engine ??= loadLintEngine();
    return this.#engine;
  }

  /** defaults ← nearest .math-writeup.json ← VS Code settings (only the ones the user actually set). */
  async #configFor(doc: vscode.TextDocument, engine: Engine): Promise<LintConfig> {
    let file: Partial<LintConfig> | undefined;
    if (doc.uri.scheme === 'file') {
      const dir = vscode.Uri.joinPath(doc.uri, '..').fsPath;
      let pending = this.#fileConfigs.get(dir);
      if (!pending) {
        pending = engine.configFileFor(dir);
        this.#fileConfigs.set(dir, pending);
      }
      try {
        file = await pending;
      } catch (e) {
        this.#showProblem(e instanceof Error ? e.message : String(e));
      }
    }
    const { config, problems } = engine.resolve({ file, settings: explicitLintSettings(doc.uri) });
    for (const p of problems) this.#showProblem(`setting mathWriteup.${p.startsWith('"target"') ? 'target' : 'rules'}: ${p}`);
    return config;
  }

  #showProblem(message: string): void {
    if (this.#shownProblems.has(message)) return;
    this.#shownProblems.add(message);
    void vscode.window.showWarningMessage(`Math Writeup: ${message.replace(/^math-writeup: /, '')}`);
  }

  clear(uri: vscode.Uri): void {
    const key = uri.toString();
    this.#changedAt.delete(key);
    this.#cancel(key);
    this.#published.delete(key);
    this.#collection.delete(uri);
    this.#engine?.forget(key);
  }

  #cancel(key: string): void {
    const p = this.#pending.get(key);
    if (!p) return;
    if (p.timer) clearTimeout(p.timer);
    p.cts.cancel();
    this.#pending.delete(key);
  }

  async #run(doc: vscode.TextDocument, version: number, token: vscode.CancellationToken): Promise<void> {
    const started = performance.now();
    const engine = await this.#loadEngine();
    const config = await this.#configFor(doc, engine);
    // Version guard: the document may have changed (or closed) while the engine loaded or the timer waited.
    const stale = (): boolean => token.isCancellationRequested || doc.isClosed || doc.version !== version;
    if (stale()) return;
    const key = doc.uri.toString();
    // GitHub's MathJax verdicts (MW053) come later from the worker: publish them if the version is still current.
    const onMathjax =
      config.target === 'vscode'
        ? undefined
        : (all: Finding[]): void => {
            if (!doc.isClosed && doc.version === version) this.#publish(doc, version, all, { lintMs: 0 });
          };
    let result: LintAnswer;
    const sent = performance.now();
    try {
      result = await engine.lint(key, doc.getText(), config, onMathjax);
    } catch (e) {
      if (engine.isSuperseded(e)) return; // a newer version is being linted
      // A bug in the engine must not take the extension down: say so once per message.
      this.#showProblem(`linting ${vscode.workspace.asRelativePath(doc.uri)} failed: ${e instanceof Error ? e.message : String(e)}`);
      return;
    }
    if (stale()) return;
    const answered = performance.now();
    this.#publish(doc, version, result.findings, {
      lintMs: result.lintMs,
      lintedLines: result.stats?.lintedLines,
      carried: result.carried,
      phases: { startedAt: started, prepareMs: sent - started, workerMs: answered - sent, queuedMs: result.queuedMs ?? 0 },
    });
  }

  #publish(
    doc: vscode.TextDocument,
    version: number,
    findings: Finding[],
    timing: { lintMs: number; lintedLines?: number; carried?: number; phases?: { startedAt: number; prepareMs: number; workerMs: number; queuedMs: number } },
  ): void {
    const key = doc.uri.toString();
    const t0 = performance.now();
    this.#published.set(key, { version, findings });
    this.#collection.set(doc.uri, findings.map((f) => this.#diagnostic(f)));
    const now = performance.now();
    const changed = this.#changedAt.get(key);
    const sinceChangeMs = changed?.version === version ? now - changed.at : undefined;
    const p = timing.phases;
    const phases =
      p && changed?.version === version
        ? { waitMs: p.startedAt - changed.at, prepareMs: p.prepareMs, workerMs: p.workerMs, queuedMs: p.queuedMs, publishMs: now - t0 }
        : undefined;
    this.#onDidPublish.fire({ uri: doc.uri, version, count: findings.length, lintMs: timing.lintMs, lintedLines: timing.lintedLines, carriedFindings: timing.carried, sinceChangeMs, phases });
  }

  /** Uri of a rule's docs page shipped inside the extension (works offline and without GitHub). */
  docsUri(docs: string): vscode.Uri {
    let uri = this.#docsUris.get(docs);
    if (!uri) {
      uri = /^[a-z][a-z0-9+.-]*:\/\//i.test(docs)
        ? vscode.Uri.parse(docs)
        : vscode.Uri.joinPath(this.#extensionUri, ...docs.split('/').filter((s) => s && s !== '..'));
      this.#docsUris.set(docs, uri);
    }
    return uri;
  }

  /** Diagnostics of findings that did not change since the last answer (the worker's deltas keep those objects). */
  readonly #diagnostics = new WeakMap<Finding, vscode.Diagnostic>();

  #diagnostic(f: Finding): vscode.Diagnostic {
    let d = this.#diagnostics.get(f);
    if (!d) {
      d = this.toDiagnostic(f);
      this.#diagnostics.set(f, d);
    }
    return d;
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
