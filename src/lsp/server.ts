// The Math Writeup language server: GitHub-exact math linting for every editor that speaks LSP (Neovim, Helix,
// Emacs/eglot, Zed, …). `math-writeup lsp --stdio` starts it (src/lsp/command.ts).
//
// It is an adapter over the same core as the VS Code extension — nothing here decides what is a problem or how to
// fix it:
// - diagnostics come from the core's incremental linter (src/core/lint/incremental.ts), one per open document,
//   fed by incremental document sync; a keystroke re-lints only the chunk it touches;
// - GitHub's MathJax verdicts (MW053, MW052's note) are computed off the request path: once typing pauses, the
//   formulas MathJax has not judged yet are validated (lazily loaded, cached), and the diagnostics are published
//   again only if that changed them; a newer version of the document abandons the pass at the next formula;
// - code actions are the core's fixes (src/core/lint/actions.ts): the preferred fix (isPreferred), the other
//   fixes, "fix all <rule> in this file", `source.fixAll.mathWriteup`, "disable <rule> for this line/paragraph";
// - hover shows the formula rendered by MathJax configured like GitHub (an SVG image as a data: URI in Markdown)
//   and the findings on it (src/lsp/hover.ts).
// Configuration: `.math-writeup.json` found upward from the document (injected `loadFileConfig`), overridden by
// the client's settings (`workspace/configuration`, section `mathWriteup`, or `initializationOptions`).
import {
  CodeActionKind,
  DiagnosticSeverity,
  DidChangeWatchedFilesNotification,
  MessageType,
  ShowMessageNotification,
  TextDocumentSyncKind,
  TextDocuments,
  type CancellationToken,
  type CodeAction,
  type CodeActionParams,
  type Connection,
  type Diagnostic,
  type Hover,
  type HoverParams,
  type InitializeParams,
  type InitializeResult,
  type TextEdit as LspTextEdit,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { LiveLinter } from '../core/lint/live';
import { mergeConfigs, validateConfig } from '../core/lint/config';
import { defaultRegistry } from '../core/lint/registry';
import { disableRuleEdits, fixAllEdits } from '../core/lint/actions';
import { chooseFix } from '../core/lint/edits';
import type { LintConfig } from '../core/lint/types';
import type { Finding, TextEdit } from '../core/types';
import { hoverMarkdown } from './hover';
import type { GithubValidator } from '../core/tex/mathjax';

export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.mathWriteup`;
export const DIAGNOSTIC_SOURCE = 'math-writeup';

/** What the server needs from its platform (Node: files; tests: fakes). */
export interface ServerHost {
  /** The `.math-writeup.json` layer for a document URI (undefined when none); throws a one-line message on errors. */
  loadFileConfig(uri: string): Promise<Partial<LintConfig> | undefined>;
  /** Forget cached configuration files (one changed on disk). */
  forgetFileConfigs(): void;
  /** Link to the documentation page of a rule (`docs` is the registry's relative path, e.g. docs/rules/MW001.md). */
  docsHref(docs: string): string | undefined;
  /** GitHub's MathJax (loaded on first use): the lint's MW053 verdicts and the hover's SVG. */
  validator: GithubValidator;
}

/** The client's `mathWriteup` settings as far as the server reads them. */
interface Settings {
  enable: boolean;
  debounceMs: number;
  /** Untrusted `{ target, rules }`, validated by the core. */
  lint: { target?: unknown; rules?: unknown };
  hoverColor: string;
}

interface DocState {
  /** The document's linter and its last findings (src/core/lint/live.ts: incremental, then GitHub's MathJax). */
  live: LiveLinter;
  /** The debounced lint of the latest edit. */
  timer?: ReturnType<typeof setTimeout>;
}

function num(v: unknown, lo: number, hi: number, dflt: number): number {
  return typeof v === 'number' && Number.isFinite(v) ? Math.min(hi, Math.max(lo, v)) : dflt;
}

function readSettings(raw: unknown): Settings {
  const o = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const lint = (o.lint && typeof o.lint === 'object' ? o.lint : {}) as Record<string, unknown>;
  const hover = (o.hover && typeof o.hover === 'object' ? o.hover : {}) as Record<string, unknown>;
  const out: Settings = {
    enable: o.enable !== false,
    debounceMs: num(lint.debounceMs ?? o['lint.debounceMs'], 0, 5000, 100),
    lint: {},
    hoverColor: typeof hover.color === 'string' && /^#[0-9a-fA-F]{3,8}$/.test(hover.color) ? hover.color : '#808080',
  };
  if (o.target !== undefined && o.target !== null) out.lint.target = o.target;
  if (o.rules !== undefined && o.rules !== null) out.lint.rules = o.rules;
  return out;
}

function severity(s: Finding['severity']): DiagnosticSeverity {
  return s === 'error' ? DiagnosticSeverity.Error : s === 'warning' ? DiagnosticSeverity.Warning : DiagnosticSeverity.Information;
}

/** Markdown documents (by language id, or by extension for clients that send another id). */
function isWriteup(doc: TextDocument): boolean {
  return doc.languageId === 'markdown' || /\.(?:md|markdown|mdown|mkd)$/i.test(doc.uri);
}

function lspEdits(doc: TextDocument, edits: readonly TextEdit[]): LspTextEdit[] {
  return edits.map((e) => ({ range: { start: doc.positionAt(e.start), end: doc.positionAt(e.end) }, newText: e.newText }));
}

export class MathWriteupServer {
  readonly documents = new TextDocuments(TextDocument);
  readonly #registry = defaultRegistry();
  readonly #state = new Map<string, DocState>();
  /** Settings per document URI (cleared when the client says they changed). */
  readonly #settings = new Map<string, Promise<Settings>>();
  /** Settings pushed by the client (initializationOptions / didChangeConfiguration), when it cannot be asked. */
  #pushedSettings: unknown;
  #canAskConfiguration = false;
  #canWatchFiles = false;
  /** Configuration problems already shown (each once). */
  readonly #shownProblems = new Set<string>();

  constructor(
    readonly connection: Connection,
    private readonly host: ServerHost,
  ) {
    connection.onInitialize((p) => this.#initialize(p));
    connection.onInitialized(() => {
      if (this.#canWatchFiles) {
        void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/.math-writeup.json' }] });
      }
    });
    connection.onDidChangeConfiguration((p) => {
      const s = (p.settings as { mathWriteup?: unknown } | null)?.mathWriteup;
      if (s !== undefined) this.#pushedSettings = s;
      this.#configurationChanged();
    });
    connection.onDidChangeWatchedFiles(() => {
      this.host.forgetFileConfigs();
      this.#configurationChanged();
    });
    connection.onCodeAction((p, token) => this.#codeActions(p, token));
    connection.onHover((p, token) => this.#hover(p, token));
    this.documents.onDidChangeContent((e) => {
      // Fires on open too: a document just opened is linted at once, an edit after the debounce delay.
      if (!isWriteup(e.document)) return;
      if (!this.#state.has(e.document.uri)) this.#schedule(e.document, 0);
      else void this.#settingsFor(e.document.uri).then((s) => this.#schedule(e.document, s.debounceMs));
    });
    this.documents.onDidSave((e) => {
      if (e.document.uri.endsWith('/.math-writeup.json')) {
        this.host.forgetFileConfigs();
        this.#configurationChanged();
      }
    });
    this.documents.onDidClose((e) => {
      const st = this.#state.get(e.document.uri);
      if (st?.timer) clearTimeout(st.timer);
      st?.live.supersede();
      this.#state.delete(e.document.uri);
      this.#settings.delete(e.document.uri);
      void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
    });
    this.documents.listen(connection);
  }

  #initialize(p: InitializeParams): InitializeResult {
    const caps = p.capabilities;
    this.#canAskConfiguration = caps.workspace?.configuration === true;
    this.#canWatchFiles = caps.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    const init = p.initializationOptions as { mathWriteup?: unknown } | undefined;
    if (init !== undefined && init !== null) this.#pushedSettings = init.mathWriteup ?? init;
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND] },
        hoverProvider: true,
      },
      serverInfo: { name: 'math-writeup' },
    };
  }

  #configurationChanged(): void {
    this.#settings.clear();
    for (const doc of this.documents.all().filter(isWriteup)) {
      const st = this.#state.get(doc.uri);
      if (st) st.live.version = -1; // lint again even though the text did not change
      this.#schedule(doc, 0);
    }
  }

  #settingsFor(uri: string): Promise<Settings> {
    let s = this.#settings.get(uri);
    if (!s) {
      s = (async () => {
        if (!this.#canAskConfiguration) return readSettings(this.#pushedSettings);
        try {
          const raw: unknown = await this.connection.workspace.getConfiguration({ scopeUri: uri, section: 'mathWriteup' });
          // A client without settings for the section answers null: the pushed settings (if any) apply.
          return readSettings(raw ?? this.#pushedSettings);
        } catch {
          return readSettings(this.#pushedSettings);
        }
      })();
      this.#settings.set(uri, s);
    }
    return s;
  }

  #problem(message: string): void {
    if (this.#shownProblems.has(message)) return;
    this.#shownProblems.add(message);
    void this.connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Warning, message });
  }

  /** The configuration for a document: file layer, then the client's settings (each validated by the core). */
  async #configFor(uri: string, settings: Settings): Promise<LintConfig> {
    let file: Partial<LintConfig> | undefined;
    try {
      file = await this.host.loadFileConfig(uri);
    } catch (e) {
      this.#problem(e instanceof Error ? e.message : String(e));
    }
    const { config, problems } = validateConfig(settings.lint, this.#registry);
    for (const p of problems) this.#problem(`math-writeup: settings (mathWriteup): ${p.message}`);
    return mergeConfigs(this.#registry, file, config);
  }

  #stateOf(uri: string): DocState {
    let st = this.#state.get(uri);
    if (!st) {
      st = { live: new LiveLinter(this.host.validator, this.#registry) };
      this.#state.set(uri, st);
    }
    return st;
  }

  #schedule(doc: TextDocument, delayMs: number): void {
    const st = this.#stateOf(doc.uri);
    if (st.timer) clearTimeout(st.timer);
    st.live.supersede(); // a MathJax pass for an older version stops at its next formula
    st.timer = setTimeout(() => {
      st.timer = undefined;
      this.#findings(doc.uri).catch((e: unknown) => this.connection.console.error(`math-writeup: lint failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}`));
    }, delayMs);
  }

  /**
   * The findings of the document's current version: the published ones when they are current, else a lint now
   * (which publishes them and cancels the pending debounced lint; none when linting is off for the document).
   * Undefined when the document is closed or changed while the configuration was read.
   */
  async #findings(uri: string): Promise<{ doc: TextDocument; findings: Finding[] } | undefined> {
    const doc = this.documents.get(uri);
    if (!doc || !isWriteup(doc)) return undefined;
    const st = this.#stateOf(uri);
    if (st.live.version === doc.version) return { doc, findings: st.live.findings };
    const version = doc.version;
    const settings = await this.#settingsFor(uri);
    const config = settings.enable ? await this.#configFor(uri, settings) : undefined;
    const now = this.documents.get(uri);
    if (!now || now.version !== version || this.#state.get(uri) !== st) return undefined; // superseded meanwhile
    if (st.live.version === version) return { doc, findings: st.live.findings }; // another caller linted it meanwhile
    if (st.timer) {
      clearTimeout(st.timer);
      st.timer = undefined;
    }
    const findings = st.live.lint(doc.getText(), version, config, {
      republish: (full) => this.#publish(doc, full),
      failed: (e) => this.connection.console.error(`math-writeup: MathJax validation failed: ${e instanceof Error ? e.message : String(e)}`),
      pause: () => new Promise((r) => setImmediate(r)),
    });
    this.#publish(doc, findings);
    return { doc, findings };
  }

  #publish(doc: TextDocument, findings: readonly Finding[]): void {
    const diagnostics: Diagnostic[] = findings.map((f) => {
      const href = this.host.docsHref(f.docs);
      return {
        range: f.range,
        severity: severity(f.severity),
        code: f.ruleId,
        ...(href ? { codeDescription: { href } } : {}),
        source: DIAGNOSTIC_SOURCE,
        message: `${f.message} (${f.ruleAlias})`,
      };
    });
    void this.connection.sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics });
  }

  async #codeActions(p: CodeActionParams, token: CancellationToken): Promise<CodeAction[] | null> {
    const only = p.context.only;
    const wants = (kind: string): boolean => !only || only.some((k) => kind === k || kind.startsWith(`${k}.`));
    const wantsFixAll = wants(FIX_ALL_KIND);
    const wantsQuickFix = wants(CodeActionKind.QuickFix);
    if (!wantsFixAll && !wantsQuickFix) return [];
    const got = await this.#findings(p.textDocument.uri);
    if (!got || token.isCancellationRequested) return null;
    const { doc, findings } = got;
    const uri = doc.uri;
    const action = (title: string, kind: string, edits: readonly TextEdit[], extra: Partial<CodeAction> = {}): CodeAction => ({
      title,
      kind,
      edit: { changes: { [uri]: lspEdits(doc, edits) } },
      ...extra,
    });
    const out: CodeAction[] = [];
    if (wantsFixAll) {
      const edits = fixAllEdits(doc.getText(), findings);
      if (edits.length > 0) out.push(action('Fix all GitHub math problems in this file', FIX_ALL_KIND, edits));
    }
    if (!wantsQuickFix) return out;
    const start = doc.offsetAt(p.range.start);
    const end = doc.offsetAt(p.range.end);
    const here = findings.filter((f) => f.start <= end && f.end >= start);
    const diagnosticOf = (f: Finding): Diagnostic[] =>
      p.context.diagnostics.filter(
        (d) => d.code === f.ruleId && d.range.start.line === f.range.start.line && d.range.start.character === f.range.start.character,
      );
    const text = doc.getText();
    const rulesDone = new Set<string>();
    for (const f of here) {
      const diagnostics = diagnosticOf(f);
      const preferred = chooseFix(f);
      for (const fix of f.fixes) {
        out.push(action(fix.title, CodeActionKind.QuickFix, fix.edits, { isPreferred: fix === preferred, diagnostics }));
      }
      if (rulesDone.has(f.ruleId)) continue;
      rulesDone.add(f.ruleId);
      if (findings.filter((x) => x.ruleId === f.ruleId && chooseFix(x)).length > 1) {
        out.push(action(`Fix all ${f.ruleId} (${f.ruleAlias}) in this file`, CodeActionKind.QuickFix, fixAllEdits(text, findings, f.ruleId), { diagnostics }));
      }
      const disable = disableRuleEdits(text, f);
      out.push(action(disable.title, CodeActionKind.QuickFix, disable.edits, { diagnostics }));
    }
    return out;
  }

  async #hover(p: HoverParams, token: CancellationToken): Promise<Hover | null> {
    const got = await this.#findings(p.textDocument.uri);
    if (!got || token.isCancellationRequested) return null;
    const { doc, findings } = got;
    const settings = await this.#settingsFor(doc.uri);
    const h = await hoverMarkdown(doc.getText(), doc.offsetAt(p.position), findings, (tex, display) => this.host.validator.renderSvg(tex, display), settings.hoverColor);
    if (!h || token.isCancellationRequested || doc.version !== this.documents.get(doc.uri)?.version) return null;
    return {
      contents: { kind: 'markdown', value: h.markdown },
      range: { start: doc.positionAt(h.start), end: doc.positionAt(h.end) },
    };
  }
}
