// The Math Writeup preview panel: one webview that follows the active Markdown editor (or stays on one document
// when locked), renders it incrementally in the extension host (src/core/render) and sends only changed blocks.
// The panel is thin: its page is supervised by PageSupervisor (start, lost renders), images by ImagePolicy, scroll
// sync by ScrollSync; checks run through the check controller (PreviewPanelEvents.runCheck). What tests change
// (timeouts, a failing page script, lost messages) comes in through PanelDeps, never through module state.
import * as vscode from 'vscode';
import { log } from '../log';
import { DocumentRenderer, type RenderStats } from '../../core/render/document';
import { webviewPageHtml } from '../webviewPage';
import type { CheckResult } from '../../core/check/types';
import type {
  FromPreviewMessage,
  PreviewMode,
  PreviewProbe,
  PreviewStateInfo,
  PreviewTestReply,
  PreviewTestRequest,
  ToPreviewMessage,
} from '../../shared/previewMessages';
import { ImagePolicy, type LocalImages } from './imagePolicy';
import type { PageAssets } from '../../node/assets';
import { uriBaseName } from '../uriName';
import { DEFAULT_TIMING, PageSupervisor, type SupervisorTiming } from './pageSupervisor';
import { ScrollSync } from './scrollSync';
import { PageFormulas, type PreviewTypesetter } from './pageFormulas';

const SETTINGS = 'mathWriteup.preview';

export interface PreviewRenderedEvent {
  source: string;
  version: number;
  mode: PreviewMode;
  blockCount: number;
  replaced: number;
  stats?: RenderStats;
}

export interface PersistedPreviewState {
  source?: string;
  mode?: string;
  line?: number;
  locked?: boolean;
}

/** Events the panel reports (the test API and the manager subscribe). */
export interface PreviewPanelEvents {
  rendered(e: PreviewRenderedEvent): void;
  message(m: FromPreviewMessage): void;
  /**
   * The card's Run button: the check controller runs it (trust, `mathWriteup.enable`, time limit, cancellation,
   * CodeLenses); its result comes back to every open view through the controller's event (see showCheckResult).
   */
  runCheck(doc: vscode.TextDocument, line: number): Promise<unknown>;
  disposed(): void;
  /** The page did not start even after it was loaded again: replace this panel by a new one. */
  stalled(): void;
}

function isMarkdown(doc: vscode.TextDocument): boolean {
  return doc.languageId === 'markdown' && doc.uri.scheme !== 'output';
}

function readMode(): PreviewMode {
  return vscode.workspace.getConfiguration(SETTINGS).get<string>('mode') === 'vscode' ? 'vscode' : 'github';
}

function allowRemoteImages(scope?: vscode.Uri): boolean {
  return vscode.workspace.getConfiguration(SETTINGS, scope).get<boolean>('allowRemoteImages', false) === true;
}

/**
 * What differs between desktop VS Code and VS Code for the Web (src/vscode/preview/desktop.ts, src/web/preview.ts):
 * whether the page carries its script and stylesheets, and how local images are read.
 */
export interface PreviewPlatform {
  /** The preview page's script and stylesheets as text to carry, or undefined (the page links them). */
  pageAssets(): PageAssets | undefined;
  /** Local image files carried in the page; undefined: the page loads them through webview URIs. */
  localImages: LocalImages | undefined;
  /** Checks cannot run here (the web extension): what the check cards say instead of offering Run. */
  checksUnavailable?: string;
}

let panelCount = 0;

/** What the panel depends on that tests replace (src/vscode/preview/index.ts builds the test variant). */
export interface PanelDeps {
  /** The page supervisor's waits. */
  timing: SupervisorTiming;
  /** A script to load instead of the preview's own for the next page (a test's failing page), if any. */
  nextPageScript(): vscode.Uri | undefined;
  /** Delivers a message to the page. */
  deliver(webview: vscode.Webview, m: ToPreviewMessage): Thenable<boolean>;
}

export const PRODUCTION_DEPS: Readonly<PanelDeps> = Object.freeze({
  timing: DEFAULT_TIMING,
  nextPageScript: () => undefined,
  deliver: (webview: vscode.Webview, m: ToPreviewMessage) => webview.postMessage(m),
});

export type { PreviewTypesetter } from './pageFormulas';

export class PreviewPanel implements vscode.Disposable {
  readonly #panel: vscode.WebviewPanel;
  readonly #extensionUri: vscode.Uri;
  readonly #events: PreviewPanelEvents;
  readonly #deps: () => PanelDeps;
  readonly #renderer: DocumentRenderer;
  readonly #supervisor: PageSupervisor;
  readonly #images: ImagePolicy;
  readonly #scroll: ScrollSync;
  readonly #disposables: vscode.Disposable[] = [];
  #doc: vscode.TextDocument | undefined;
  #locked: boolean;
  /** Version of the last message sent to the webview (updates are based on it). */
  #sentVersion = 0;
  #pendingTimer: ReturnType<typeof setTimeout> | undefined;
  #lastStats: RenderStats | undefined;
  #probeId = 0;
  readonly #probes = new Map<number, (p: PreviewProbe) => void>();
  #disposed = false;
  #initialLine: number | undefined;
  /** Names this panel in the log. */
  readonly #name = `preview ${++panelCount}`;
  /** GitHub mode: MathJax's renderings this page has and needs (undefined: GitHub mode typesets with KaTeX). */
  readonly #formulas: PageFormulas | undefined;
  readonly #platform: PreviewPlatform;

  constructor(
    panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    events: PreviewPanelEvents,
    opts: {
      platform: PreviewPlatform;
      doc?: vscode.TextDocument;
      locked?: boolean;
      mode?: PreviewMode;
      line?: number;
      deps?: () => PanelDeps;
      typesetter?: PreviewTypesetter;
    },
  ) {
    this.#platform = opts.platform;
    this.#panel = panel;
    this.#extensionUri = extensionUri;
    this.#events = events;
    this.#deps = opts.deps ?? (() => PRODUCTION_DEPS);
    this.#locked = opts.locked ?? false;
    this.#formulas = opts.typesetter && new PageFormulas(opts.typesetter, this.#name, (formulas) => this.#post({ type: 'typeset', formulas }));
    // GitHub mode typesets with MathJax configured like github.com, in a worker; VS Code mode keeps KaTeX.
    this.#renderer = new DocumentRenderer({
      mode: opts.mode ?? readMode(),
      githubTypesetter: opts.typesetter ? 'mathjax' : 'katex',
      checksUnavailable: opts.platform.checksUnavailable,
    });
    this.#doc = opts.doc;
    this.#initialLine = opts.line;
    this.#supervisor = new PageSupervisor(
      {
        name: this.#name,
        visible: () => this.#panel.visible,
        reload: () => this.#configureWebview(),
        replace: () => this.#events.stalled(),
        resendFull: () => this.#sendFull(),
      },
      () => this.#deps().timing,
    );
    this.#images = new ImagePolicy(opts.platform.localImages, (uri) => {
      if (this.#disposed) return;
      log.debug(`${this.#name}: ${vscode.workspace.asRelativePath(uri)} changed on disk; rendering again`);
      this.#renderer.invalidateHtml();
      if (this.#supervisor.ready && this.#doc) this.#sendFull(this.#editorTopLine(this.#doc));
    });
    this.#scroll = new ScrollSync(() => this.#doc, () => this.#supervisor.ready, (m) => this.#post(m));
    log.debug(`${this.#name}: created for ${opts.doc ? vscode.workspace.asRelativePath(opts.doc.uri) : 'no document'}`);
    this.#configureWebview();
    this.#disposables.push(
      this.#supervisor,
      this.#images,
      this.#scroll,
      panel.onDidDispose(() => this.dispose()),
      // A page that was hidden when its wait ran out is watched again once it is shown.
      panel.onDidChangeViewState(() => this.#supervisor.shown()),
      panel.webview.onDidReceiveMessage((m: FromPreviewMessage | PreviewTestReply) => {
        if ('channel' in m) {
          this.#onTestReply(m);
          return;
        }
        this.#onMessage(m).catch((e: unknown) => log.error(`${this.#name}: handling ${m.type} failed`, e));
      }),
      // Document following: edits of the shown document, and the active Markdown editor unless locked.
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document === this.#doc && e.contentChanges.length > 0) this.#scheduleUpdate();
      }),
      vscode.window.onDidChangeActiveTextEditor((ed) => {
        if (ed && !this.#locked && isMarkdown(ed.document) && ed.document !== this.#doc) this.show(ed.document);
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(`${SETTINGS}.allowRemoteImages`)) this.#configureWebview();
      }),
      vscode.workspace.onDidCloseTextDocument((d) => {
        if (d === this.#doc && this.#locked) this.#panel.title = `[Closed] ${uriBaseName(d.uri)}`;
      }),
    );
  }

  get panel(): vscode.WebviewPanel {
    return this.#panel;
  }

  get document(): vscode.TextDocument | undefined {
    return this.#doc;
  }

  get mode(): PreviewMode {
    return this.#renderer.mode;
  }

  get locked(): boolean {
    return this.#locked;
  }

  get version(): number {
    return this.#sentVersion;
  }

  get lastStats(): RenderStats | undefined {
    return this.#lastStats;
  }

  /** Show a document (a full render). */
  show(doc: vscode.TextDocument, line?: number): void {
    const changed = doc !== this.#doc;
    this.#doc = doc;
    this.#updateTitle();
    if (changed) {
      this.#images.clear();
      // A new document may live in another folder: reload the page with resource roots that include it. The
      // webview's `ready` then triggers the full render at this line.
      this.#renderer.reset();
      this.#initialLine = line ?? this.#editorTopLine(doc);
      this.#configureWebview();
      return;
    }
    if (this.#supervisor.ready) this.#sendFull(line ?? this.#editorTopLine(doc));
  }

  setMode(mode: PreviewMode): void {
    if (mode === this.#renderer.mode) return;
    this.#renderer.setMode(mode);
    if (this.#supervisor.ready) this.#sendFull();
  }

  setLocked(locked: boolean): void {
    this.#locked = locked;
    this.#updateTitle();
    this.#post({ type: 'info', info: this.#info() });
    if (!locked) {
      const ed = vscode.window.activeTextEditor;
      if (ed && isMarkdown(ed.document) && ed.document !== this.#doc) this.show(ed.document);
    }
  }

  reveal(column: vscode.ViewColumn | undefined, preserveFocus: boolean): void {
    this.#panel.reveal(column, preserveFocus);
  }

  /** A check of the shown document finished (whoever started it): its card shows the verdict. */
  showCheckResult(uri: vscode.Uri, content: string, result: CheckResult): void {
    if (this.#disposed || this.#doc?.uri.toString() !== uri.toString()) return;
    this.#renderer.setCheckResult(content, result);
    if (this.#supervisor.ready) this.#sendUpdate();
  }

  /** Ask the page what it shows (tests), on the test channel, not the preview's message protocol. */
  probe(timeoutMs = 10000): Promise<PreviewProbe> {
    const id = ++this.#probeId;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#probes.delete(id);
        reject(new Error('the preview webview did not answer the probe'));
      }, timeoutMs);
      this.#probes.set(id, (p) => {
        clearTimeout(timer);
        resolve(p);
      });
      const request: PreviewTestRequest = { channel: 'test', type: 'probe', id };
      void this.#panel.webview.postMessage(request);
    });
  }

  /** Handle a message as if the page had sent it (tests drive clicks the harness cannot make this way). */
  async handleMessage(m: FromPreviewMessage): Promise<void> {
    await this.#onMessage(m);
  }

  // ------------------------------------------------------------------------------------------------------------

  #info(): PreviewStateInfo {
    return {
      source: this.#doc?.uri.toString() ?? '',
      title: this.#doc ? uriBaseName(this.#doc.uri) : 'No Markdown document',
      mode: this.#renderer.mode,
      locked: this.#locked,
    };
  }

  #updateTitle(): void {
    const name = this.#doc ? uriBaseName(this.#doc.uri) : 'Preview';
    this.#panel.title = this.#locked ? `[Locked] Math Writeup: ${name}` : `Math Writeup: ${name}`;
  }

  #resourceRoots(): vscode.Uri[] {
    const roots = [vscode.Uri.joinPath(this.#extensionUri, 'dist'), vscode.Uri.joinPath(this.#extensionUri, 'media')];
    for (const f of vscode.workspace.workspaceFolders ?? []) roots.push(f.uri);
    if (this.#doc && this.#doc.uri.scheme === 'file') roots.push(vscode.Uri.joinPath(this.#doc.uri, '..'));
    return roots;
  }

  #configureWebview(): void {
    const webview = this.#panel.webview;
    const remote = allowRemoteImages(this.#doc?.uri);
    const roots = this.#resourceRoots();
    webview.options = { enableScripts: true, enableForms: false, localResourceRoots: roots };
    const docDir = this.#doc ? vscode.Uri.joinPath(this.#doc.uri, '..') : undefined;
    const folder = this.#doc ? vscode.workspace.getWorkspaceFolder(this.#doc.uri)?.uri : undefined;
    this.#renderer.setUrlPolicy(
      (url, kind) => this.#images.rewrite(url, kind, { webview, docDir, folder, remote, roots }),
      `${docDir?.toString() ?? ''}|${remote}`,
    );
    log.debug(`${this.#name}: loading the page`);
    this.#formulas?.pageSet();
    this.#supervisor.pageSet();
    webview.html = webviewPageHtml(webview, this.#extensionUri, {
      kind: 'preview',
      settings: { source: this.#doc?.uri.toString() ?? '' },
      allowRemoteImages: remote,
      script: this.#deps().nextPageScript(),
    }, this.#platform.pageAssets());
  }

  #post(m: ToPreviewMessage): void {
    if (this.#disposed) return;
    if (m.type === 'render' || m.type === 'update') log.trace(`${this.#name}: ${m.type} v${m.version} sent`);
    this.#deps().deliver(this.#panel.webview, m).then(
      (delivered) => {
        if (!delivered && !this.#disposed) log.debug(`${this.#name}: ${m.type} not delivered (the webview is not live)`);
      },
      (e: unknown) => log.debug(`${this.#name}: posting ${m.type} failed: ${e instanceof Error ? e.message : String(e)}`),
    );
  }

  #sendFull(line?: number): void {
    if (!this.#doc) {
      this.#post({ type: 'render', version: ++this.#sentVersion, info: this.#info(), blocks: [] });
      return;
    }
    this.#renderer.reset();
    const u = this.#renderer.update(this.#doc.getText());
    this.#lastStats = u.stats;
    this.#sentVersion = u.version;
    this.#post({ type: 'render', version: u.version, info: this.#info(), blocks: u.blocks, line });
    this.#supervisor.fullSent(u.version);
    this.#typesetFormulas(u.blocks);
  }

  #typesetFormulas(blocks: readonly { html: string }[]): void {
    if (this.#renderer.mode === 'github' && !this.#disposed) this.#formulas?.blocksSent(blocks);
  }

  #scheduleUpdate(): void {
    // Coalesce bursts of keystrokes into one update; the first update after a pause goes out at once.
    if (this.#pendingTimer) return;
    this.#pendingTimer = setTimeout(() => {
      this.#pendingTimer = undefined;
      this.#sendUpdate();
    }, 16);
  }

  #sendUpdate(): void {
    if (!this.#supervisor.ready || !this.#doc || this.#disposed) return;
    const base = this.#sentVersion;
    const u = this.#renderer.update(this.#doc.getText());
    this.#lastStats = u.stats;
    this.#sentVersion = u.version;
    this.#supervisor.updateSent(u.version);
    if (!u.splice) {
      this.#post({ type: 'render', version: u.version, info: this.#info(), blocks: u.blocks });
      this.#typesetFormulas(u.blocks);
      return;
    }
    this.#post({ type: 'update', version: u.version, baseVersion: base, splices: [u.splice] });
    this.#typesetFormulas(u.splice.insert);
  }

  #editorTopLine(doc: vscode.TextDocument): number | undefined {
    const ed = vscode.window.visibleTextEditors.find((e) => e.document === doc);
    return ed?.visibleRanges[0]?.start.line;
  }

  async #revealInEditor(line: number, character?: number): Promise<void> {
    const doc = this.#doc;
    if (!doc) return;
    const pos = new vscode.Position(Math.max(0, Math.min(line, doc.lineCount - 1)), Math.max(0, character ?? 0));
    const existing = vscode.window.visibleTextEditors.find((e) => e.document === doc);
    const editor = await vscode.window.showTextDocument(doc, {
      viewColumn: existing?.viewColumn ?? vscode.ViewColumn.One,
      preserveFocus: false,
      preview: false,
    });
    editor.selection = new vscode.Selection(pos, pos);
    editor.revealRange(new vscode.Range(pos, pos), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  #onTestReply(m: PreviewTestReply): void {
    if (m.type !== 'probeResult') return;
    const done = this.#probes.get(m.probe.id);
    this.#probes.delete(m.probe.id);
    done?.(m.probe);
  }

  async #onMessage(m: FromPreviewMessage): Promise<void> {
    this.#events.message(m);
    switch (m.type) {
      case 'loading':
        this.#supervisor.loading();
        log.trace(`${this.#name}: the page runs (${this.#supervisor.sincePageSet} ms after it was set)`);
        break;
      case 'scriptFailed':
        this.#supervisor.scriptFailed(m.src);
        break;
      case 'ready':
        log.debug(`${this.#name}: webview ready ${this.#supervisor.sincePageSet} ms after its page was set`);
        this.#supervisor.readyReceived();
        this.#updateTitle();
        this.#sendFull(this.#initialLine ?? (this.#doc ? this.#editorTopLine(this.#doc) : undefined));
        this.#initialLine = undefined;
        break;
      case 'rendered':
        this.#supervisor.rendered(m.version);
        log.trace(`${this.#name}: webview rendered v${m.version} (${m.blockCount} blocks, ${m.replaced} replaced)`);
        this.#events.rendered({
          source: this.#doc?.uri.toString() ?? '',
          version: m.version,
          mode: this.#renderer.mode,
          blockCount: m.blockCount,
          replaced: m.replaced,
          stats: this.#lastStats,
        });
        break;
      case 'resync':
        log.debug(`${this.#name}: webview asked for a full render`);
        if (this.#supervisor.ready) this.#sendFull();
        break;
      case 'error':
        log.error(`${this.#name}: webview script error: ${m.message}`);
        break;
      case 'setMode':
        this.setMode(m.mode === 'vscode' ? 'vscode' : 'github');
        break;
      case 'toggleLock':
        this.setLocked(!this.#locked);
        break;
      case 'didScroll':
        this.#scroll.previewScrolled(m.line);
        break;
      case 'revealLine':
        await this.#revealInEditor(m.line, m.character);
        break;
      case 'runCheck':
        if (this.#doc) await this.#events.runCheck(this.#doc, m.line);
        break;
      case 'openLink':
        await this.#openLink(m.href);
        break;
      case 'didScrollTo':
        break;
    }
  }

  async #openLink(href: string): Promise<void> {
    const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(href);
    if (m) {
      const scheme = m[1].toLowerCase();
      if (scheme === 'http' || scheme === 'https' || scheme === 'mailto') await vscode.env.openExternal(vscode.Uri.parse(href));
      return;
    }
    if (!this.#doc) return;
    const [file, fragment] = href.split('#');
    const target = file ? vscode.Uri.joinPath(this.#doc.uri, '..', decodeURIComponent(file)) : this.#doc.uri;
    await vscode.commands.executeCommand('vscode.open', fragment ? target.with({ fragment }) : target);
  }

  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    log.debug(`${this.#name}: disposed`);
    if (this.#pendingTimer) clearTimeout(this.#pendingTimer);
    this.#formulas?.dispose();
    for (const d of this.#disposables) d.dispose();
    this.#panel.dispose();
    this.#probes.clear();
    this.#events.disposed();
  }
}
