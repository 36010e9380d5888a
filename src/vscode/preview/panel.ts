// The Math Writeup preview panel: one webview that follows the active Markdown editor (or stays on one document
// when locked), renders it incrementally in the extension host (src/core/render) and sends only changed blocks.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { log } from '../log';
import { DocumentRenderer, type RenderStats } from '../../core/render/document';
import { forgetImage, IMAGE_TYPES, imageDataUri } from '../../node/imageData';
import { webviewPageHtml } from '../webviewPage';
import type { UrlKind } from '../../core/render/sanitize';
import type { CheckResult } from '../../core/check/types';
import type {
  FromPreviewMessage,
  PreviewMode,
  PreviewProbe,
  PreviewStateInfo,
  ToPreviewMessage,
} from '../../shared/previewMessages';

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

let panelCount = 0;
/** How long a visible preview page may take to start before it is loaded again. */
const READY_TIMEOUT_MS = 6000;
/** How long a visible, started page may take to apply a full render before it is sent again. */
const RENDER_TIMEOUT_MS = 5000;

/**
 * Integration-test hooks: scripts that replace the preview script for the next page loads (one each, e.g. a missing
 * file, or a script that never says `ready`), and the wait before a page counts as stalled.
 */
export const previewTestHooks: { nextPageScripts: vscode.Uri[]; readyTimeoutMs: number; dropRenders: number; renderTimeoutMs: number } = {
  nextPageScripts: [],
  readyTimeoutMs: READY_TIMEOUT_MS,
  /** Full renders to lose on the way to the page (as if the message never arrived). */
  dropRenders: 0,
  renderTimeoutMs: RENDER_TIMEOUT_MS,
};

export class PreviewPanel implements vscode.Disposable {
  readonly #panel: vscode.WebviewPanel;
  readonly #extensionUri: vscode.Uri;
  readonly #events: PreviewPanelEvents;
  readonly #renderer: DocumentRenderer;
  readonly #disposables: vscode.Disposable[] = [];
  #doc: vscode.TextDocument | undefined;
  #locked: boolean;
  #ready = false;
  /** Version of the last message sent to the webview (updates are based on it). */
  #sentVersion = 0;
  #pendingTimer: ReturnType<typeof setTimeout> | undefined;
  #lastStats: RenderStats | undefined;
  /** Time until which editor scroll events are echoes of a preview scroll (not forwarded back). */
  #suppressEditorScrollUntil = 0;
  #probeId = 0;
  readonly #probes = new Map<number, (p: PreviewProbe) => void>();
  #disposed = false;
  #initialLine: number | undefined;
  /** Names this panel in the log. */
  readonly #id = ++panelCount;
  /** Fires when a visible webview has not said `ready` in time after its page was set (see #watchReady). */
  #readyTimer: ReturnType<typeof setTimeout> | undefined;
  #reloads = 0;
  /** When the current page was set, and whether its frame has run the page's first script. */
  #pageSetAt = 0;
  #pageLoading = false;
  /** The full render the page has not confirmed yet (see #watchRendered), and how often it was sent again. */
  #renderTimer: ReturnType<typeof setTimeout> | undefined;
  #renderResends = 0;
  /** Local image files the shown document refers to (found or not): a change to one re-renders the preview. */
  readonly #imageFiles = new Set<string>();
  #imageTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    events: PreviewPanelEvents,
    opts: { doc?: vscode.TextDocument; locked?: boolean; mode?: PreviewMode; line?: number },
  ) {
    this.#panel = panel;
    this.#extensionUri = extensionUri;
    this.#events = events;
    this.#locked = opts.locked ?? false;
    this.#renderer = new DocumentRenderer({ mode: opts.mode ?? readMode() });
    this.#doc = opts.doc;
    this.#initialLine = opts.line;
    log.debug(`preview ${this.#id}: created for ${opts.doc ? vscode.workspace.asRelativePath(opts.doc.uri) : 'no document'}`);
    this.#configureWebview();
    this.#disposables.push(
      panel.onDidDispose(() => this.dispose()),
      // A page that was hidden when its wait ran out is watched again once it is shown.
      panel.onDidChangeViewState(() => {
        if (panel.visible && !this.#ready && !this.#readyTimer && !this.#disposed) this.#watchReady();
      }),
      panel.webview.onDidReceiveMessage((m: FromPreviewMessage) => {
        this.#onMessage(m).catch((e: unknown) => log.error(`preview ${this.#id}: handling ${m.type} failed`, e));
      }),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document === this.#doc && e.contentChanges.length > 0) this.#scheduleUpdate();
      }),
      vscode.window.onDidChangeActiveTextEditor((ed) => {
        if (ed && !this.#locked && isMarkdown(ed.document) && ed.document !== this.#doc) this.show(ed.document);
      }),
      vscode.window.onDidChangeTextEditorVisibleRanges((e) => this.#onEditorScroll(e)),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(`${SETTINGS}.allowRemoteImages`)) {
          this.#configureWebview();
        }
      }),
      vscode.workspace.onDidCloseTextDocument((d) => {
        if (d === this.#doc && this.#locked) this.#panel.title = `[Closed] ${path.basename(d.uri.path)}`;
      }),
    );
    // A figure written again (e.g. "Save as SVG" from the plot panel) or created after the writeup linked it.
    const images = vscode.workspace.createFileSystemWatcher(`**/*.{${Object.keys(IMAGE_TYPES).join(',')}}`);
    this.#disposables.push(images, images.onDidChange((u) => this.#onImageFile(u)), images.onDidCreate((u) => this.#onImageFile(u)), images.onDidDelete((u) => this.#onImageFile(u)));
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
      this.#imageFiles.clear();
      // A new document may live in another folder: reload the page with resource roots that include it. The
      // webview's `ready` then triggers the full render at this line.
      this.#renderer.reset();
      this.#initialLine = line ?? this.#editorTopLine(doc);
      this.#configureWebview();
      return;
    }
    if (this.#ready) this.#sendFull(line ?? this.#editorTopLine(doc));
  }

  setMode(mode: PreviewMode): void {
    if (mode === this.#renderer.mode) return;
    this.#renderer.setMode(mode);
    if (this.#ready) this.#sendFull();
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

  /** Ask the webview what it shows (test hook and diagnostics). */
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
      this.#post({ type: 'probe', id });
    });
  }

  /** Handle a message as if the webview had sent it (integration tests drive clicks this way). */
  async handleMessage(m: FromPreviewMessage): Promise<void> {
    await this.#onMessage(m);
  }

  // ------------------------------------------------------------------------------------------------------------

  #info(): PreviewStateInfo {
    return {
      source: this.#doc?.uri.toString() ?? '',
      title: this.#doc ? path.basename(this.#doc.uri.path) : 'No Markdown document',
      mode: this.#renderer.mode,
      locked: this.#locked,
    };
  }

  #updateTitle(): void {
    const name = this.#doc ? path.basename(this.#doc.uri.path) : 'Preview';
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
    webview.options = { enableScripts: true, enableForms: false, localResourceRoots: this.#resourceRoots() };
    const docDir = this.#doc ? vscode.Uri.joinPath(this.#doc.uri, '..') : undefined;
    const folder = this.#doc ? vscode.workspace.getWorkspaceFolder(this.#doc.uri)?.uri : undefined;
    this.#renderer.setUrlPolicy(
      (url, kind) => this.#rewriteUrl(url, kind, docDir, folder, remote),
      `${docDir?.toString() ?? ''}|${remote}`,
    );
    const override = previewTestHooks.nextPageScripts.shift();
    this.#ready = false;
    this.#pageLoading = false;
    this.#pageSetAt = Date.now();
    log.debug(`preview ${this.#id}: loading the page`);
    this.#watchReady();
    webview.html = webviewPageHtml(webview, this.#extensionUri, {
      kind: 'preview',
      settings: { source: this.#doc?.uri.toString() ?? '' },
      allowRemoteImages: remote,
      script: override,
    });
  }

  /**
   * A webview page that never starts leaves an empty preview. If a visible frame has not even run the page's first
   * script within READY_TIMEOUT_MS, the panel is replaced by a new one (a new frame: in VS Code for the Web 1.100
   * a frame can wait for its resource loader until another webview is created). If the frame runs the page but the
   * preview script is not ready within twice that (a busy machine), or the script failed to load, the page is set
   * again, and if that one does not start either, the panel is replaced. The log says so each time. A page that is
   * hidden when its time runs out is watched again once it is shown: VS Code loads hidden webviews lazily.
   */
  #watchReady(): void {
    if (this.#readyTimer) clearTimeout(this.#readyTimer);
    const waitMs = previewTestHooks.readyTimeoutMs;
    this.#readyTimer = setTimeout(() => this.#readyDeadline(waitMs), waitMs);
  }

  #readyDeadline(waitMs: number): void {
    this.#readyTimer = undefined;
    if (this.#disposed || this.#ready) return;
    if (!this.#panel.visible) {
      log.debug(`preview ${this.#id}: hidden before its page started; watching it again when it is shown`);
      return;
    }
    const waited = Date.now() - this.#pageSetAt;
    if (this.#pageLoading && waited < 2 * waitMs) {
      log.debug(`preview ${this.#id}: the page runs but its script has not started after ${(waited / 1000).toFixed(1)} s; waiting longer`);
      this.#readyTimer = setTimeout(() => this.#readyDeadline(waitMs), 2 * waitMs - waited);
      return;
    }
    const within = `the page did not start within ${(waited / 1000).toFixed(1)} s`;
    if (this.#pageLoading) this.#pageFailed(`${within} (its frame ran the page, but the preview script never said ready)`);
    // Setting the page again cannot help a frame that never ran it (VS Code puts a page into a frame only once the
    // frame's resource loader is ready): only a new frame can.
    else this.#pageFailed(`${within} (its frame never ran the page)`, true);
  }

  #pageFailed(why: string, newFrame = false): void {
    if (this.#readyTimer) clearTimeout(this.#readyTimer);
    this.#readyTimer = undefined;
    this.#reloads++;
    if (newFrame) {
      log.warn(`preview ${this.#id}: ${why}; replacing the panel`);
      this.#events.stalled();
    } else if (this.#reloads === 1) {
      log.warn(`preview ${this.#id}: ${why}; loading it again`);
      this.#configureWebview();
    } else {
      log.warn(`preview ${this.#id}: ${why}, after it was loaded again; replacing the panel`);
      this.#events.stalled();
    }
  }

  #rewriteUrl(url: string, kind: UrlKind, docDir: vscode.Uri | undefined, folder: vscode.Uri | undefined, remote: boolean): string | null {
    if (kind !== 'image') return url;
    const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(url);
    if (m || url.startsWith('//')) {
      const scheme = m ? m[1].toLowerCase() : 'https';
      if (scheme === 'https' || scheme === 'http') return remote ? (url.startsWith('//') ? `https:${url}` : url) : null;
      return null;
    }
    if (!docDir) return null;
    // Local image: resolved against the document's folder (or the workspace folder for "/…", as GitHub
    // resolves it against the repository root), then carried in the page as a data: URI (see imageDataUri).
    const clean = url.split(/[?#]/)[0];
    let decoded: string;
    try {
      decoded = decodeURIComponent(clean);
    } catch {
      decoded = clean;
    }
    const base = decoded.startsWith('/') ? (folder ?? docDir) : docDir;
    const target = vscode.Uri.joinPath(base, decoded.replace(/^\/+/, ''));
    if (target.scheme !== 'file') return this.#panel.webview.asWebviewUri(target).toString();
    // Only files the page could load anyway (its local resource roots); the image is carried in the page.
    const roots = this.#resourceRoots().filter((r) => r.scheme === 'file').map((r) => r.fsPath);
    const file = target.fsPath;
    this.#imageFiles.add(file);
    if (!roots.some((r) => file === r || file.startsWith(r.endsWith(path.sep) ? r : r + path.sep))) return null;
    const data = imageDataUri(file);
    if (data === 'too-large') return this.#panel.webview.asWebviewUri(target).toString();
    return data ?? null;
  }

  #onImageFile(uri: vscode.Uri): void {
    if (this.#disposed || !this.#imageFiles.has(uri.fsPath)) return;
    if (this.#imageTimer) clearTimeout(this.#imageTimer);
    // One render for a burst of writes (an image is often written in several steps).
    this.#imageTimer = setTimeout(() => {
      this.#imageTimer = undefined;
      if (this.#disposed) return;
      log.debug(`preview ${this.#id}: ${vscode.workspace.asRelativePath(uri)} changed on disk; rendering again`);
      forgetImage(uri.fsPath);
      this.#renderer.invalidateHtml();
      if (this.#ready && this.#doc) this.#sendFull(this.#editorTopLine(this.#doc));
    }, 150);
  }

  #post(m: ToPreviewMessage): void {
    if (this.#disposed) return;
    if (m.type === 'render' && previewTestHooks.dropRenders > 0) {
      previewTestHooks.dropRenders--;
      log.trace(`preview ${this.#id}: render v${m.version} dropped (test hook)`);
      return;
    }
    if (m.type === 'render' || m.type === 'update') log.trace(`preview ${this.#id}: ${m.type} v${m.version} sent`);
    this.#panel.webview.postMessage(m).then(
      (delivered) => {
        if (!delivered && !this.#disposed) log.debug(`preview ${this.#id}: ${m.type} not delivered (the webview is not live)`);
      },
      (e: unknown) => log.debug(`preview ${this.#id}: posting ${m.type} failed: ${e instanceof Error ? e.message : String(e)}`),
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
    this.#watchRendered(u.version);
  }

  /**
   * A full render the page never confirms (a message lost between the extension host and a frame that has started)
   * would leave the preview stale until the next full render: a visible page gets it again, twice at most in a row.
   * Updates need no watch: one built on a version the page lacks makes the page ask for a full render (`resync`).
   */
  #watchRendered(version: number): void {
    if (this.#renderTimer) clearTimeout(this.#renderTimer);
    const waitMs = previewTestHooks.renderTimeoutMs;
    this.#renderTimer = setTimeout(() => {
      this.#renderTimer = undefined;
      if (this.#disposed || !this.#ready || !this.#panel.visible || this.#sentVersion !== version) return;
      if (this.#renderResends >= 2) {
        log.warn(`preview ${this.#id}: render v${version} still not applied after it was sent again twice`);
        return;
      }
      this.#renderResends++;
      log.warn(`preview ${this.#id}: render v${version} was not applied within ${waitMs / 1000} s; sending it again`);
      this.#sendFull();
    }, waitMs);
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
    if (!this.#ready || !this.#doc || this.#disposed) return;
    const base = this.#sentVersion;
    const u = this.#renderer.update(this.#doc.getText());
    this.#lastStats = u.stats;
    this.#sentVersion = u.version;
    if (!u.splice) {
      this.#post({ type: 'render', version: u.version, info: this.#info(), blocks: u.blocks });
      return;
    }
    this.#post({ type: 'update', version: u.version, baseVersion: base, splices: [u.splice] });
  }

  #editorTopLine(doc: vscode.TextDocument): number | undefined {
    const ed = vscode.window.visibleTextEditors.find((e) => e.document === doc);
    return ed?.visibleRanges[0]?.start.line;
  }

  #onEditorScroll(e: vscode.TextEditorVisibleRangesChangeEvent): void {
    if (e.textEditor.document !== this.#doc || !this.#ready) return;
    if (Date.now() < this.#suppressEditorScrollUntil) return;
    const top = e.visibleRanges[0]?.start.line;
    if (top === undefined) return;
    this.#post({ type: 'scrollToLine', line: top });
  }

  #textEditor(): vscode.TextEditor | undefined {
    const doc = this.#doc;
    if (!doc) return undefined;
    return vscode.window.visibleTextEditors.find((e) => e.document === doc);
  }

  async #revealInEditor(line: number, character?: number): Promise<void> {
    const doc = this.#doc;
    if (!doc) return;
    const pos = new vscode.Position(Math.max(0, Math.min(line, doc.lineCount - 1)), Math.max(0, character ?? 0));
    const existing = this.#textEditor();
    const editor = await vscode.window.showTextDocument(doc, {
      viewColumn: existing?.viewColumn ?? vscode.ViewColumn.One,
      preserveFocus: false,
      preview: false,
    });
    editor.selection = new vscode.Selection(pos, pos);
    editor.revealRange(new vscode.Range(pos, pos), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  /** A check of the shown document finished (whoever started it): its card shows the verdict. */
  showCheckResult(uri: vscode.Uri, content: string, result: CheckResult): void {
    if (this.#disposed || this.#doc?.uri.toString() !== uri.toString()) return;
    this.#renderer.setCheckResult(content, result);
    if (this.#ready) this.#sendUpdate();
  }

  async #onMessage(m: FromPreviewMessage): Promise<void> {
    this.#events.message(m);
    switch (m.type) {
      case 'loading':
        this.#pageLoading = true;
        log.trace(`preview ${this.#id}: the page runs (${Date.now() - this.#pageSetAt} ms after it was set)`);
        break;
      case 'scriptFailed':
        if (this.#ready || this.#disposed) break;
        this.#pageFailed(`the preview script did not load (${m.src})`);
        break;
      case 'ready':
        log.debug(`preview ${this.#id}: webview ready ${Date.now() - this.#pageSetAt} ms after its page was set`);
        if (this.#readyTimer) clearTimeout(this.#readyTimer);
        this.#readyTimer = undefined;
        this.#reloads = 0; // a later page that stalls is first loaded again, too
        this.#ready = true;
        this.#updateTitle();
        this.#sendFull(this.#initialLine ?? (this.#doc ? this.#editorTopLine(this.#doc) : undefined));
        this.#initialLine = undefined;
        break;
      case 'rendered':
        if (this.#renderTimer && m.version >= this.#sentVersion) {
          clearTimeout(this.#renderTimer);
          this.#renderTimer = undefined;
        }
        this.#renderResends = 0;
        log.trace(`preview ${this.#id}: webview rendered v${m.version} (${m.blockCount} blocks, ${m.replaced} replaced)`);
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
        log.debug(`preview ${this.#id}: webview asked for a full render`);
        if (this.#ready) this.#sendFull();
        break;
      case 'error':
        log.error(`preview ${this.#id}: webview script error: ${m.message}`);
        break;
      case 'setMode':
        this.setMode(m.mode === 'vscode' ? 'vscode' : 'github');
        break;
      case 'toggleLock':
        this.setLocked(!this.#locked);
        break;
      case 'didScroll': {
        const ed = this.#textEditor();
        if (!ed) break;
        const line = Math.max(0, Math.floor(m.line));
        this.#suppressEditorScrollUntil = Date.now() + 200;
        ed.revealRange(new vscode.Range(line, 0, line, 0), vscode.TextEditorRevealType.AtTop);
        break;
      }
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
      case 'probeResult': {
        const done = this.#probes.get(m.probe.id);
        this.#probes.delete(m.probe.id);
        done?.(m.probe);
        break;
      }
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
    log.debug(`preview ${this.#id}: disposed`);
    if (this.#readyTimer) clearTimeout(this.#readyTimer);
    if (this.#renderTimer) clearTimeout(this.#renderTimer);
    if (this.#imageTimer) clearTimeout(this.#imageTimer);
    if (this.#pendingTimer) clearTimeout(this.#pendingTimer);
    for (const d of this.#disposables) d.dispose();
    this.#panel.dispose();
    this.#probes.clear();
    this.#events.disposed();
  }
}
