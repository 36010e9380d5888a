// The plot panel: one webview showing the plots of the check last run (uPlot, themed like the editor), with
// "Save as SVG" (our SVG writer, src/core/plot/svg.ts) and "Save as PNG" (drawn by the webview from its canvas)
// writing figures/<slug>.<ext> next to the writeup and offering to insert the image link under the check block.
// Typed messages (src/shared/plotMessages.ts), `ready` handshake, strict CSP with a nonce, restored after a
// reload by a WebviewPanelSerializer.
import * as vscode from 'vscode';
import type { PlotSpec } from '../core/check/types';
import type { FromPlotMessage, PlotContent, PlotViewState, ToPlotMessage } from '../shared/plotMessages';
import type { PlotPanelEvent } from './api';
import { checkHost } from './lazy';
import { webviewPageHtml } from './webviewPage';
import { carriedAssets } from './carriedAssets';
import { figureSlug } from '../core/render/figureName';
import { safeWriteFile } from '../node/safeWrite';

export interface PlotPanelHost {
  extensionUri: vscode.Uri;
  fire(e: PlotPanelEvent): void;
  /** Fence line of the check block `content` belongs to, in the current text (undefined when it is gone). */
  locateCheck(doc: vscode.TextDocument, content: PlotContent): Promise<number | undefined>;
}

export interface SaveOptions {
  /** Which plot of the check (default 0). */
  plotIndex?: number;
  /** true: overwrite without asking; false: never overwrite; undefined: ask. */
  overwrite?: boolean;
  /** true: insert the image link; false: don't; undefined: offer it. */
  insertLink?: boolean;
}

function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return {
    enableScripts: true,
    enableForms: false,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
  };
}

/** File-name slug of a figure title (src/core/render/figureName.ts): "GD converges iff η < 1/σ²" → "gd-converges-iff-eta-lt-1-over-sigma2". */
export const slugify = (title: string): string => figureSlug(title);

/** Size of an exported figure in CSS pixels, SVG and PNG alike (the PNG has twice as many pixels each way). */
export const FIGURE_SIZE = { width: 720, height: 420 } as const;

export class PlotPanel implements vscode.Disposable {
  static readonly viewType = 'mathWriteup.plot';
  static current: PlotPanel | undefined;

  readonly #panel: vscode.WebviewPanel;
  readonly #host: PlotPanelHost;
  readonly #disposables: vscode.Disposable[] = [];
  #ready = false;
  #disposed = false;
  #content: PlotContent | undefined;
  #focus: number | undefined;
  #nextRequest = 1;
  readonly #pngWaiters = new Map<number, { resolve(dataUrl: string): void; reject(e: Error): void }>();

  /** Shows `content` in the panel, creating it (beside the editor) when needed. */
  static show(host: PlotPanelHost, content: PlotContent, focus?: number): PlotPanel {
    const cur = PlotPanel.current;
    if (cur) {
      cur.#panel.reveal(vscode.ViewColumn.Beside, true);
      cur.update(content, focus);
      return cur;
    }
    const panel = vscode.window.createWebviewPanel(
      PlotPanel.viewType,
      `Plot: ${content.title}`,
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      webviewOptions(host.extensionUri),
    );
    const p = new PlotPanel(panel, host, content);
    p.#focus = focus;
    PlotPanel.current = p;
    return p;
  }

  /** WebviewPanelSerializer: rebuilds the panel after a reload from the state the webview persisted. */
  static revive(host: PlotPanelHost, panel: vscode.WebviewPanel, state: unknown): PlotPanel {
    panel.webview.options = webviewOptions(host.extensionUri);
    const st = state as Partial<PlotViewState> | undefined;
    const content = st?.content && Array.isArray(st.content.plots) ? st.content : undefined;
    PlotPanel.current?.dispose();
    const p = new PlotPanel(panel, host, content);
    PlotPanel.current = p;
    return p;
  }

  private constructor(panel: vscode.WebviewPanel, host: PlotPanelHost, content: PlotContent | undefined) {
    this.#panel = panel;
    this.#host = host;
    this.#content = content;
    panel.iconPath = vscode.Uri.joinPath(host.extensionUri, 'media', 'icon.png');
    this.#disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((m: FromPlotMessage) => this.#onMessage(m)),
    );
    panel.webview.html = this.#html();
  }

  get content(): PlotContent | undefined {
    return this.#content;
  }

  get panel(): vscode.WebviewPanel {
    return this.#panel;
  }

  update(content: PlotContent, focus?: number): void {
    this.#content = content;
    this.#focus = focus;
    this.#panel.title = `Plot: ${content.title}`;
    if (this.#ready) void this.#post({ type: 'show', content, focus });
  }

  #post(m: ToPlotMessage): Thenable<boolean> {
    return this.#panel.webview.postMessage(m);
  }

  #onMessage(m: FromPlotMessage): void {
    switch (m.type) {
      case 'ready':
        this.#ready = true;
        this.#host.fire({ kind: 'ready' });
        if (this.#content) void this.#post({ type: 'show', content: this.#content, focus: this.#focus });
        return;
      case 'rendered':
        this.#host.fire({ kind: 'rendered', info: m.info });
        return;
      case 'png': {
        const w = this.#pngWaiters.get(m.requestId);
        this.#pngWaiters.delete(m.requestId);
        if (m.error !== undefined) w?.reject(new Error(m.error));
        else w?.resolve(m.dataUrl);
        return;
      }
      case 'saveSvg':
        void this.saveSvg({ plotIndex: m.plotIndex }).catch((e: unknown) => this.#report(e));
        return;
      case 'savePng':
        void this.savePng({ plotIndex: m.plotIndex }).catch((e: unknown) => this.#report(e));
        return;
      case 'error':
        void vscode.window.showErrorMessage(`Math Writeup plot: ${m.message}`);
        return;
      default: {
        const never: never = m;
        void never;
      }
    }
  }

  #report(e: unknown): void {
    void vscode.window.showErrorMessage(`Math Writeup: ${e instanceof Error ? e.message : String(e)}`);
  }

  /**
   * Asks the webview for a PNG of one plot (data URL): the same figure as the SVG (our SVG writer, FIGURE_SIZE, its
   * light colours on an opaque background, readable in GitHub's light and dark themes), rasterised at 2× density.
   */
  requestPng(plotIndex: number, timeoutMs = 15000): Promise<string> {
    if (!this.#ready) return Promise.reject(new Error('the plot panel is not ready yet'));
    const requestId = this.#nextRequest++;
    return new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pngWaiters.delete(requestId);
        reject(new Error('the plot panel did not answer with a PNG'));
      }, timeoutMs);
      this.#pngWaiters.set(requestId, {
        resolve: (d) => {
          clearTimeout(timer);
          resolve(d);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      const { plot } = this.#pick(plotIndex);
      const svg = checkHost().renderPlotSvg(plot, { ...FIGURE_SIZE, theme: 'light' });
      void this.#post({ type: 'exportPng', requestId, plotIndex, svg, ...FIGURE_SIZE });
    });
  }

  /** Writes figures/<slug>.svg next to the writeup with our SVG writer; returns the file, or undefined if not saved. */
  async saveSvg(opts: SaveOptions = {}): Promise<vscode.Uri | undefined> {
    const { plot, index, content } = this.#pick(opts.plotIndex);
    const { renderPlotSvg } = checkHost();
    const svg = renderPlotSvg(plot, FIGURE_SIZE);
    return this.#write(content, index, 'svg', new TextEncoder().encode(svg), opts);
  }

  async savePng(opts: SaveOptions = {}): Promise<vscode.Uri | undefined> {
    const { index } = this.#pick(opts.plotIndex);
    const dataUrl = await this.requestPng(index);
    return this.#savePngData(index, dataUrl, opts);
  }

  async #savePngData(plotIndex: number, dataUrl: string, opts: SaveOptions): Promise<vscode.Uri | undefined> {
    const { index, content } = this.#pick(plotIndex);
    const m = /^data:image\/png;base64,([A-Za-z0-9+/=]+)$/.exec(dataUrl);
    if (!m) throw new Error('the plot panel sent an invalid PNG');
    return this.#write(content, index, 'png', Buffer.from(m[1], 'base64'), opts);
  }

  #pick(plotIndex = 0): { plot: PlotSpec; index: number; content: PlotContent } {
    const content = this.#content;
    if (!content || content.plots.length === 0) throw new Error('the plot panel shows no plot');
    const index = Math.min(Math.max(0, Math.trunc(plotIndex)), content.plots.length - 1);
    return { plot: content.plots[index], index, content };
  }

  async #write(content: PlotContent, index: number, ext: 'svg' | 'png', bytes: Uint8Array, opts: SaveOptions): Promise<vscode.Uri | undefined> {
    const docUri = vscode.Uri.parse(content.uri);
    const base = slugify(content.title) + (content.plots.length > 1 ? `-${index + 1}` : '');
    let target: vscode.Uri | undefined;
    if (docUri.scheme === 'untitled') {
      target = await vscode.window.showSaveDialog({ filters: { [ext.toUpperCase()]: [ext] }, saveLabel: `Save plot as ${ext.toUpperCase()}` });
      if (!target) return undefined;
    } else {
      target = vscode.Uri.joinPath(docUri, '..', 'figures', `${base}.${ext}`);
    }
    const rel = docUri.scheme === 'untitled' ? target.fsPath : `figures/${base}.${ext}`;
    if (await exists(target)) {
      let ok = opts.overwrite;
      if (ok === undefined) {
        const choice = await vscode.window.showWarningMessage(`${rel} already exists. Overwrite it?`, { modal: true }, 'Overwrite');
        ok = choice === 'Overwrite';
      }
      if (!ok) return undefined;
    }
    await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(target, '..'));
    if (target.scheme === 'file') await safeWriteFile(target.fsPath, bytes);
    else await vscode.workspace.fs.writeFile(target, bytes);
    this.#host.fire({ kind: 'saved', file: target, format: ext });
    if (docUri.scheme !== 'untitled') {
      let insert = opts.insertLink;
      if (insert === undefined) {
        const choice = await vscode.window.showInformationMessage(`Saved ${rel}.`, 'Insert image link');
        insert = choice === 'Insert image link';
      }
      if (insert) await this.#insertLink(docUri, content, rel);
    }
    return target;
  }

  /** Inserts `![title](figures/x.svg)` on the line after the check block (unless that line already has it). */
  async #insertLink(docUri: vscode.Uri, content: PlotContent, rel: string): Promise<void> {
    const doc = await vscode.workspace.openTextDocument(docUri);
    const fenceLine = await this.#host.locateCheck(doc, content);
    if (fenceLine === undefined) throw new Error(`the check "${content.title}" is no longer in ${vscode.workspace.asRelativePath(docUri)}`);
    const { findCheckFences } = checkHost();
    const version = doc.version;
    const fence = findCheckFences(doc.getText()).find((f) => f.line === fenceLine);
    if (!fence || doc.version !== version) return;
    const link = `![${content.title.replace(/[[\]]/g, '')}](${rel})`;
    const after = doc.positionAt(fence.end).line; // first line after the block
    for (let l = after; l < doc.lineCount && l <= after + 2; l++) if (doc.lineAt(l).text.trim() === link) return;
    const text = doc.getText();
    const edit = new vscode.WorkspaceEdit();
    if (fence.end >= text.length && !/\n$/.test(text)) {
      // The block closes on the last line, without a final newline.
      edit.insert(docUri, doc.positionAt(text.length), `\n\n${link}\n`);
    } else {
      edit.insert(docUri, new vscode.Position(after, 0), `\n${link}\n`);
    }
    if (doc.version !== version) return;
    await vscode.workspace.applyEdit(edit);
  }

  #html(): string {
    const initial: PlotViewState | undefined = this.#content ? { content: this.#content, hidden: {} } : undefined;
    return webviewPageHtml(this.#panel.webview, this.#host.extensionUri, { kind: 'plot', settings: { initial: initial ?? null } }, carriedAssets('plot'));
  }

  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    if (PlotPanel.current === this) PlotPanel.current = undefined;
    for (const w of this.#pngWaiters.values()) w.reject(new Error('the plot panel was closed'));
    this.#pngWaiters.clear();
    this.#panel.dispose();
    for (const d of this.#disposables) d.dispose();
    this.#disposables.length = 0;
  }
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}
