// ```check blocks in the editor: CodeLenses ("▶ Run check", then the verdict in place with "Show plot" and
// "Re-run"; "Run all checks" at the top), problems of a run as diagnostics at their exact ranges, progress with
// cancel. Checks run in a worker thread (src/node/checkRunner.ts), so typing never waits for them.
import * as vscode from 'vscode';
import type { CheckResult } from '../core/check/types';
import type { CheckFinished, CheckRefused, CheckStarted } from './api';
import { Commands } from './api';
import { isWriteup, readSettings } from './config';
import { toRange } from './convert';
import { runSummary } from './checkSummary';
import { checkHost } from './lazy';
import { DIAGNOSTIC_SOURCE } from './lintService';

/** A check block of the current document text. */
interface CheckBlock {
  line: number;
  /** Identity of the block across edits: its content plus the occurrence index among equal contents. */
  key: string;
  /** The block's text between its fences (the preview's card is keyed by it). */
  content: string;
  /** 0-based line of the `claim:` key inside the block (falls back to the fence line). */
  claimLine: number;
}

/** The check blocks of `text`, found by the core's one check-fence detector (src/core/scan/fences.ts). */
function blocksOf(text: string): CheckBlock[] {
  const seen = new Map<string, number>();
  const out: CheckBlock[] = [];
  for (const f of checkHost().findCheckFences(text)) {
    const n = seen.get(f.content) ?? 0;
    seen.set(f.content, n + 1);
    const claimAt = f.content.split(/\r?\n/).findIndex((l) => /^\s*claim\s*:/.test(l));
    out.push({ line: f.line, key: `${n}\u0000${f.content}`, content: f.content, claimLine: claimAt >= 0 ? f.contentLine + claimAt : f.line });
  }
  return out;
}

/** VS Code's own command that opens the workspace trust editor. */
export const MANAGE_TRUST_COMMAND = 'workbench.trust.manage';

type BlockState =
  | { kind: 'running'; fraction: number; message: string }
  | { kind: 'done'; result: CheckResult; /** fence line when it ran (problem ranges are relative to it) */ ranAtLine: number; claimLine: number };

interface DocState {
  blocks: Map<string, BlockState>;
  run?: { cancel(): void; cts: vscode.CancellationTokenSource };
}

export function verdictText(r: CheckResult): string {
  const secs = (r.elapsedMs / 1000).toFixed(r.elapsedMs < 10_000 ? 1 : 0);
  switch (r.status) {
    case 'pass':
      return r.expectFail ? `✓ passed (claim refuted, as expected) in ${secs} s` : `✓ passed in ${secs} s`;
    case 'fail':
      return `✗ failed: ${r.message}`;
    default:
      return `⚠ error: ${r.message}`;
  }
}

export class CheckController implements vscode.CodeLensProvider, vscode.Disposable {
  readonly #extensionUri: vscode.Uri;
  readonly #docs = new Map<string, DocState>();
  readonly #diagnostics: vscode.DiagnosticCollection;
  readonly #onDidChangeCodeLenses = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.#onDidChangeCodeLenses.event;
  readonly #onDidChangeLensesFor = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChangeLensesFor = this.#onDidChangeLensesFor.event;
  readonly #onDidStart = new vscode.EventEmitter<CheckStarted>();
  readonly onDidStart = this.#onDidStart.event;
  readonly #onDidFinish = new vscode.EventEmitter<CheckFinished>();
  readonly onDidFinish = this.#onDidFinish.event;
  readonly #onDidRefuse = new vscode.EventEmitter<CheckRefused>();
  /** A run that was asked for and refused (untrusted workspace, `mathWriteup.enable` off). */
  readonly onDidRefuse = this.#onDidRefuse.event;
  readonly #disposables: vscode.Disposable[] = [];

  constructor(extensionUri: vscode.Uri) {
    this.#extensionUri = extensionUri;
    this.#diagnostics = vscode.languages.createDiagnosticCollection('math-writeup-checks');
    this.#disposables.push(
      this.#diagnostics,
      this.#onDidChangeCodeLenses,
      this.#onDidChangeLensesFor,
      this.#onDidStart,
      this.#onDidFinish,
      this.#onDidRefuse,
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length > 0 && this.#docs.has(e.document.uri.toString())) this.#scheduleReconcile(e.document);
      }),
      vscode.workspace.onDidCloseTextDocument((d) => this.#forget(d.uri)),
      vscode.workspace.onDidSaveTextDocument((d) => {
        const s = readSettings(d.uri);
        if (isWriteup(d) && s.enable && s.runOnSave && vscode.workspace.isTrusted) void this.run(d);
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.#onDidChangeCodeLenses.fire()),
    );
  }

  isRunning(uri: vscode.Uri): boolean {
    return this.#docs.get(uri.toString())?.run !== undefined;
  }

  /** Latest result of the check whose fence is at `line` in the current text of `doc`. */
  async resultAt(doc: vscode.TextDocument, line: number): Promise<CheckResult | undefined> {
    const block = (await this.#blocksOf(doc)).find((b) => b.line === line);
    const st = block && this.#docs.get(doc.uri.toString())?.blocks.get(block.key);
    return st?.kind === 'done' ? { ...st.result, line } : undefined;
  }

  /** Fence lines of the check blocks of `doc`. */
  async checkLines(doc: vscode.TextDocument): Promise<number[]> {
    return (await this.#blocksOf(doc)).map((b) => b.line);
  }

  readonly #blockCache = new Map<string, { version: number; blocks: CheckBlock[] }>();
  /** Check blocks of the current version of `doc` (parsed once per version). */
  async #blocksOf(doc: vscode.TextDocument): Promise<CheckBlock[]> {
    const key = doc.uri.toString();
    const hit = this.#blockCache.get(key);
    if (hit && hit.version === doc.version) return hit.blocks;
    const version = doc.version;
    const blocks = blocksOf(doc.getText());
    if (doc.version === version) this.#blockCache.set(key, { version, blocks });
    return blocks;
  }

  async provideCodeLenses(doc: vscode.TextDocument, token: vscode.CancellationToken): Promise<vscode.CodeLens[]> {
    if (!isWriteup(doc) || !readSettings(doc.uri).enable) return [];
    const blocks = await this.#blocksOf(doc);
    if (token.isCancellationRequested || blocks.length === 0) return [];
    const state = this.#docs.get(doc.uri.toString());
    const uri = doc.uri.toString();
    const lenses: vscode.CodeLens[] = [];
    const top = new vscode.Range(0, 0, 0, 0);
    if (!vscode.workspace.isTrusted) {
      // Restricted Mode: the lens says why nothing runs and leads to the one place that changes it.
      const trust = { title: '$(shield) Checks need workspace trust: Manage Workspace Trust', command: MANAGE_TRUST_COMMAND, tooltip: 'Numeric checks run only in a trusted workspace' };
      lenses.push(new vscode.CodeLens(top, trust));
      for (const b of blocks) lenses.push(new vscode.CodeLens(new vscode.Range(b.line, 0, b.line, 0), trust));
      return lenses;
    }
    if (state?.run) {
      lenses.push(new vscode.CodeLens(top, { title: '$(debug-stop) Cancel checks', command: Commands.cancelChecks, arguments: [uri] }));
    } else {
      lenses.push(new vscode.CodeLens(top, {
        title: `▶ Run all checks (${blocks.length})`,
        command: Commands.runAllChecks,
        arguments: [uri],
      }));
    }
    for (const b of blocks) {
      const at = new vscode.Range(b.line, 0, b.line, 0);
      const st = state?.blocks.get(b.key);
      if (st?.kind === 'running') {
        const pct = Math.round(st.fraction * 100);
        lenses.push(new vscode.CodeLens(at, {
          title: `$(sync~spin) Running… ${pct}%${st.message ? ` ${st.message}` : ''}`,
          command: Commands.cancelChecks,
          arguments: [uri],
          tooltip: 'Cancel the running checks',
        }));
      } else if (st?.kind === 'done') {
        const r = st.result;
        const hasPlot = r.plots.length > 0;
        lenses.push(new vscode.CodeLens(at, {
          title: verdictText(r),
          command: hasPlot ? Commands.showPlot : Commands.runCheck,
          arguments: [uri, b.line],
          tooltip: `${r.title}: ${r.message} (seed ${r.seed})`,
        }));
        if (hasPlot) lenses.push(new vscode.CodeLens(at, { title: 'Show plot', command: Commands.showPlot, arguments: [uri, b.line] }));
        lenses.push(new vscode.CodeLens(at, { title: 'Re-run', command: Commands.runCheck, arguments: [uri, b.line] }));
      } else {
        lenses.push(new vscode.CodeLens(at, {
          title: '▶ Run check',
          command: Commands.runCheck,
          arguments: [uri, b.line],
        }));
      }
    }
    return lenses;
  }

  /**
   * Runs the check at fence line `line` (or all checks of `doc`) in the worker. Resolves with the results, or
   * undefined when the run was refused (untrusted workspace, disabled) or cancelled.
   */
  async run(doc: vscode.TextDocument, line?: number): Promise<CheckResult[] | undefined> {
    if (!vscode.workspace.isTrusted) {
      const manage = 'Manage Workspace Trust';
      this.#onDidRefuse.fire({ uri: doc.uri, reason: 'untrusted' });
      void vscode.window
        .showWarningMessage('Math Writeup: checks do not run in an untrusted workspace. Trust this folder to run them.', manage)
        .then((c) => (c === manage ? vscode.commands.executeCommand(MANAGE_TRUST_COMMAND) : undefined));
      return undefined;
    }
    const settings = readSettings(doc.uri);
    if (!settings.enable) {
      this.#onDidRefuse.fire({ uri: doc.uri, reason: 'disabled' });
      return undefined;
    }
    const text = doc.getText();
    const version = doc.version;
    const blocks = blocksOf(text).filter((b) => line === undefined || b.line === line);
    if (blocks.length === 0) {
      void vscode.window.showWarningMessage(
        line === undefined ? 'Math Writeup: this document has no ```check blocks.' : `Math Writeup: no \`\`\`check block starts on line ${line + 1}.`,
      );
      return undefined;
    }
    const key = doc.uri.toString();
    const state = this.#docs.get(key) ?? { blocks: new Map<string, BlockState>() };
    this.#docs.set(key, state);
    state.run?.cancel();

    const { startChecks } = checkHost();
    const cts = new vscode.CancellationTokenSource();
    const handle = startChecks(
      { text, line, timeLimitMs: settings.timeLimitMs },
      {
        workerPath: vscode.Uri.joinPath(this.#extensionUri, 'dist', 'checkWorker.js').fsPath,
        onProgress: (p) => {
          const b = blocks.find((x) => x.line === p.line);
          const st = b && state.blocks.get(b.key);
          if (st?.kind === 'running') {
            st.fraction = p.fraction;
            st.message = p.message;
            this.#changed(doc.uri);
          }
        },
      },
    );
    const run = { cancel: () => { cts.cancel(); handle.cancel(); }, cts };
    state.run = run;
    for (const b of blocks) state.blocks.set(b.key, { kind: 'running', fraction: 0, message: '' });
    this.#changed(doc.uri);
    this.#onDidStart.fire({ uri: doc.uri, version, lines: blocks.map((b) => b.line) });

    const title = blocks.length === 1 ? `check on line ${blocks[0].line + 1}` : `${blocks.length} checks`;
    let results: CheckResult[] | undefined;
    try {
      results = await this.#withProgress(title, run, handle.results);
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      if (!cts.token.isCancellationRequested) void vscode.window.showErrorMessage(`Math Writeup: running ${title} failed: ${msg}`);
    } finally {
      if (state.run === run) state.run = undefined;
      cts.dispose();
    }
    if (results === undefined || cts.token.isCancellationRequested) {
      // Cancelled or crashed: forget the "running" marks of this run (keep earlier verdicts of other blocks).
      for (const b of blocks) if (state.blocks.get(b.key)?.kind === 'running') state.blocks.delete(b.key);
      this.#changed(doc.uri);
      return undefined;
    }
    for (const r of results) {
      const b = blocks.find((x) => x.line === r.line);
      if (!b) continue;
      state.blocks.set(b.key, { kind: 'done', result: r, ranAtLine: b.line, claimLine: b.claimLine });
    }
    for (const b of blocks) if (state.blocks.get(b.key)?.kind === 'running') state.blocks.delete(b.key);
    await this.#reconcile(doc);
    // Every view of a check (CodeLens above, the preview's card, the plot panel) follows this one event.
    for (const r of results) {
      const b = blocks.find((x) => x.line === r.line);
      this.#onDidFinish.fire({ uri: doc.uri, version, result: r, content: b?.content ?? '' });
    }
    if (line === undefined) this.#summarize(results);
    return results;
  }

  /** "Run all checks" ends with one line: how many passed, failed and stopped with an error, and which failed. */
  #summarize(results: readonly CheckResult[]): void {
    const s = runSummary(results);
    if (s.failed + s.errors === 0) void vscode.window.showInformationMessage(`Math Writeup: ${s.text}`);
    else void vscode.window.showWarningMessage(`Math Writeup: ${s.text}`);
  }

  cancel(uri: vscode.Uri): void {
    this.#docs.get(uri.toString())?.run?.cancel();
  }

  /** Window progress while running; after 1.5 s a cancellable notification as well (quick checks stay quiet). */
  async #withProgress<T>(title: string, run: { cancel(): void; cts: vscode.CancellationTokenSource }, work: Promise<T>): Promise<T> {
    const notify = setTimeout(() => {
      void vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Math Writeup: running ${title}`, cancellable: true },
        async (_p, token) => {
          const sub = token.onCancellationRequested(() => run.cancel());
          try {
            await done.catch(() => undefined);
          } finally {
            sub.dispose();
          }
        },
      );
    }, 1500);
    const done = work.finally(() => clearTimeout(notify));
    return vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: `Math Writeup: running ${title}` },
      () => done,
    );
  }

  readonly #reconcileTimers = new Map<string, ReturnType<typeof setTimeout>>();
  /** Verdicts follow edits after a short pause (parsing fences on every keystroke of a long writeup is wasteful). */
  #scheduleReconcile(doc: vscode.TextDocument): void {
    const key = doc.uri.toString();
    clearTimeout(this.#reconcileTimers.get(key));
    this.#reconcileTimers.set(key, setTimeout(() => {
      this.#reconcileTimers.delete(key);
      void this.#reconcile(doc);
    }, 250));
  }

  /** Re-maps stored verdicts to the current text (blocks move with edits; an edited block loses its verdict). */
  async #reconcile(doc: vscode.TextDocument): Promise<void> {
    const key = doc.uri.toString();
    const state = this.#docs.get(key);
    if (!state) return;
    if (doc.isClosed) return;
    const blocks = await this.#blocksOf(doc);
    const live = new Set(blocks.map((b) => b.key));
    for (const k of [...state.blocks.keys()]) if (!live.has(k)) state.blocks.delete(k);
    const diags: vscode.Diagnostic[] = [];
    for (const b of blocks) {
      const st = state.blocks.get(b.key);
      if (st?.kind !== 'done') continue;
      const delta = b.line - st.ranAtLine;
      const shift = (r: vscode.Range) => new vscode.Range(r.start.line + delta, r.start.character, r.end.line + delta, r.end.character);
      for (const p of st.result.problems) {
        const d = new vscode.Diagnostic(shift(toRange(p.range)), p.message, vscode.DiagnosticSeverity.Error);
        d.source = DIAGNOSTIC_SOURCE;
        d.code = 'check';
        diags.push(d);
      }
      if (st.result.status === 'fail') {
        const claim = doc.lineAt(Math.min(doc.lineCount - 1, st.claimLine + delta));
        const d = new vscode.Diagnostic(claim.range, `Check "${st.result.title}" failed: ${st.result.message}`, vscode.DiagnosticSeverity.Error);
        d.source = DIAGNOSTIC_SOURCE;
        d.code = 'check-failed';
        diags.push(d);
      } else if (st.result.status === 'error' && st.result.problems.length === 0) {
        const d = new vscode.Diagnostic(doc.lineAt(b.line).range, `Check "${st.result.title}": ${st.result.message}`, vscode.DiagnosticSeverity.Error);
        d.source = DIAGNOSTIC_SOURCE;
        d.code = 'check-error';
        diags.push(d);
      }
    }
    this.#diagnostics.set(doc.uri, diags);
    this.#changed(doc.uri);
  }

  #changed(uri: vscode.Uri): void {
    this.#onDidChangeCodeLenses.fire();
    this.#onDidChangeLensesFor.fire(uri);
  }

  /** Drops verdicts and check diagnostics of a document (closed, or its last tab closed); cancels its run. */
  forget(uri: vscode.Uri): void {
    this.#forget(uri);
    this.#changed(uri);
  }

  #forget(uri: vscode.Uri): void {
    const key = uri.toString();
    this.#blockCache.delete(key);
    this.#docs.get(key)?.run?.cancel();
    this.#docs.delete(key);
    this.#diagnostics.delete(uri);
  }

  dispose(): void {
    for (const t of this.#reconcileTimers.values()) clearTimeout(t);
    for (const s of this.#docs.values()) s.run?.cancel();
    for (const d of this.#disposables) d.dispose();
  }
}
