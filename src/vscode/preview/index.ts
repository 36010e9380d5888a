// Registers the preview feature: commands (open, open to the side, toggle lock, export HTML), the panel
// serializer (restores the preview after a reload) and, on desktop, the formula hover. Returns a test API that
// integration tests await instead of sleeping. What depends on the platform (Node on desktop, a web worker in VS Code
// for the Web) comes in as a PreviewHost: src/vscode/preview/desktop.ts and src/web/preview.ts.
import * as vscode from 'vscode';
import { log } from '../log';
import { guarded } from '../guarded';
import type { CheckResult } from '../../core/check/types';
import type { FromPreviewMessage, PreviewMode, PreviewProbe } from '../../shared/previewMessages';
import type { CheckFinished } from '../api';
import type { PanelDeps, PersistedPreviewState, PreviewPanel, PreviewPlatform, PreviewRenderedEvent, PreviewTypesetter } from './panel';
import type { ToPreviewMessage } from '../../shared/previewMessages';
import { uriBaseName } from '../uriName';

/** View type of the preview panel (also in package.json activationEvents). */
export const PREVIEW_VIEW_TYPE = 'mathWriteup.preview';

type PanelModule = { PreviewPanel: typeof import('./panel').PreviewPanel; PRODUCTION_DEPS: typeof import('./panel').PRODUCTION_DEPS };

/** What the preview's commands need from the platform. */
export interface PreviewHost {
  /** The panel module (desktop: it pulls in markdown-it, KaTeX and the scanner, so it is loaded on first use). */
  panelModule(): PanelModule;
  /** GitHub mode's MathJax typesetting (one for every panel, started on first use) and how to stop it. */
  startTypesetter(): { typesetter: PreviewTypesetter; dispose(): void };
  platform: PreviewPlatform;
  /** Writes the document as a standalone HTML page; undefined where Export HTML is not available (it says so). */
  exportHtml?(doc: vscode.TextDocument, mode: PreviewMode, out: vscode.Uri): Promise<void>;
  /** The formula hover, when the preview provides it (desktop). */
  hover?: vscode.HoverProvider;
}

export const PreviewCommands = {
  open: 'mathWriteup.preview.open',
  openToSide: 'mathWriteup.preview.openToSide',
  toggleLock: 'mathWriteup.preview.toggleLock',
  exportHtml: 'mathWriteup.preview.exportHtml',
  setMode: 'mathWriteup.preview.setMode',
} as const;

/** What integration tests (and the extension's API, as `api.preview`) can observe and drive. */
export interface PreviewTestApi {
  /** Fires after the webview applied a render or an update (DOM replaced). */
  readonly onDidRender: vscode.Event<PreviewRenderedEvent>;
  /** Every message the webview sent. */
  readonly onDidReceiveMessage: vscode.Event<FromPreviewMessage>;
  /** A check result the open preview's card now shows (from its Run button, a CodeLens or "Run all checks"). */
  readonly onDidFinishCheck: vscode.Event<{ uri: vscode.Uri; results: CheckResult[] }>;
  /** The open preview, if any. */
  current(): { source: string; mode: PreviewMode; locked: boolean; version: number; panel: vscode.WebviewPanel } | undefined;
  /** Ask the webview what it shows (KaTeX count, near misses, check cards, XSS sentinels, CSP violations). */
  probe(): Promise<PreviewProbe>;
  /** Switch the mode as the toolbar buttons do. */
  setMode(mode: PreviewMode): void;
  /** Deliver a message as if the webview had sent it (clicks: runCheck, revealLine). */
  simulateMessage(m: FromPreviewMessage): Promise<void>;
  /** Load the next pages with these scripts instead of the preview's (one each); a page stalls after `readyTimeoutMs`. */
  simulatePageFailures(scripts: vscode.Uri[], readyTimeoutMs: number): Promise<void>;
  /** Lose the next `count` full renders on their way to the page; a render is sent again after `renderTimeoutMs`. */
  simulateLostRenders(count: number, renderTimeoutMs: number): Promise<void>;
}

/** What the preview uses from the rest of the extension (one controller per job). */
export interface PreviewServices {
  /** The check controller: the card's Run goes through it, and every finished check reaches the open card. */
  checks: {
    run(doc: vscode.TextDocument, line?: number): Promise<CheckResult[] | undefined>;
    readonly onDidFinish: vscode.Event<CheckFinished>;
  };
}

export function activatePreview(
  context: vscode.ExtensionContext,
  services: PreviewServices,
  host: PreviewHost,
): { dispose(): void; api: PreviewTestApi } {
  const loadPanel = async (): Promise<PanelModule> => host.panelModule();
  const onDidRender = new vscode.EventEmitter<PreviewRenderedEvent>();
  const onDidReceiveMessage = new vscode.EventEmitter<FromPreviewMessage>();
  const onDidFinishCheck = new vscode.EventEmitter<{ uri: vscode.Uri; results: CheckResult[] }>();
  let current: PreviewPanel | undefined;
  // What panels depend on that tests replace: production values until a test asks for failures (testDeps below).
  let test: PanelDeps | undefined;
  const deps = (): PanelDeps => test ?? host.panelModule().PRODUCTION_DEPS;
  // GitHub mode's MathJax: one worker and one store of typeset formulas for every panel (started on first use).
  let typesetter: PreviewTypesetter | undefined;
  const typeset = (): PreviewTypesetter => {
    if (!typesetter) {
      const started = host.startTypesetter();
      typesetter = started.typesetter;
      disposeTypesetter = () => started.dispose();
    }
    return typesetter;
  };
  let disposeTypesetter = (): void => undefined;

  const events = (): ConstructorParameters<typeof PreviewPanel>[2] => {
    const ev = {
      rendered: (e: PreviewRenderedEvent) => onDidRender.fire(e),
      message: (m: FromPreviewMessage) => onDidReceiveMessage.fire(m),
      runCheck: (doc: vscode.TextDocument, line: number) => services.checks.run(doc, line),
      disposed: () => {
        if (current && ev === currentEvents) current = undefined;
      },
      stalled: () => {
        if (current && ev === currentEvents) void replace(current);
      },
    };
    currentEvents = ev;
    return ev;
  };
  let currentEvents: object | undefined;

  const activeMarkdown = (uri?: vscode.Uri | string): vscode.TextDocument | undefined => {
    if (uri) {
      const s = typeof uri === 'string' ? uri : uri.toString();
      const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === s);
      if (doc) return doc;
    }
    const ed = vscode.window.activeTextEditor;
    if (ed && ed.document.languageId === 'markdown') return ed.document;
    return current?.document ?? vscode.window.visibleTextEditors.find((e) => e.document.languageId === 'markdown')?.document;
  };

  const open = async (toSide: boolean, uri?: vscode.Uri | string): Promise<vscode.WebviewPanel | undefined> => {
    let doc = activeMarkdown(uri);
    if (!doc && uri) doc = await vscode.workspace.openTextDocument(typeof uri === 'string' ? vscode.Uri.parse(uri) : uri);
    if (!doc) {
      void vscode.window.showInformationMessage('Math Writeup: open a Markdown file to preview it.');
      return undefined;
    }
    const column = toSide ? vscode.ViewColumn.Beside : vscode.ViewColumn.Active;
    if (current) {
      log.debug(`preview: showing ${vscode.workspace.asRelativePath(doc.uri)} in the open preview`);
      try {
        current.reveal(column, toSide);
        current.show(doc);
        return current.panel;
      } catch (e) {
        // The panel was closed and its dispose event has not arrived yet: open a new one.
        log.debug(`preview: the open preview is gone (${e instanceof Error ? e.message : String(e)}); opening a new one`);
        current.dispose();
        current = undefined;
      }
    }
    const panel = vscode.window.createWebviewPanel(
      PREVIEW_VIEW_TYPE,
      `Math Writeup: ${uriBaseName(doc.uri)}`,
      { viewColumn: column, preserveFocus: toSide },
      { enableScripts: true, enableForms: false, localResourceRoots: [] },
    );
    const { PreviewPanel: Panel } = await loadPanel();
    current = new Panel(panel, context.extensionUri, events(), { platform: host.platform, doc, deps, typesetter: typeset() });
    return panel;
  };

  /** A new panel in place of one whose page never started (same column, document, mode and lock). */
  const replace = async (old: PreviewPanel): Promise<void> => {
    const panel = vscode.window.createWebviewPanel(
      PREVIEW_VIEW_TYPE,
      old.panel.title,
      { viewColumn: old.panel.viewColumn ?? vscode.ViewColumn.Beside, preserveFocus: true },
      { enableScripts: true, enableForms: false, localResourceRoots: [] },
    );
    const { PreviewPanel: Panel } = await loadPanel();
    const next = new Panel(panel, context.extensionUri, events(), { platform: host.platform, doc: old.document, mode: old.mode, locked: old.locked, deps, typesetter: typeset() });
    current = next;
    old.dispose();
  };

  const exportHtml = async (uri?: vscode.Uri | string, target?: vscode.Uri | string): Promise<vscode.Uri | undefined> => {
    if (!host.exportHtml) {
      void vscode.window.showInformationMessage('Math Writeup: Export HTML runs in desktop VS Code.');
      return undefined;
    }
    const doc = activeMarkdown(uri);
    if (!doc) {
      void vscode.window.showInformationMessage('Math Writeup: open a Markdown file to export it.');
      return undefined;
    }
    let out: vscode.Uri | undefined =
      typeof target === 'string' ? vscode.Uri.file(target) : target instanceof vscode.Uri ? target : undefined;
    if (!out) {
      const defaultUri = doc.uri.with({ path: doc.uri.path.replace(/\.(md|markdown)$/i, '') + '.html' });
      out = await vscode.window.showSaveDialog({ defaultUri, filters: { HTML: ['html'] }, saveLabel: 'Export HTML' });
      if (!out) return undefined;
    }
    const mode = current?.document === doc ? current.mode : (vscode.workspace.getConfiguration('mathWriteup.preview').get<string>('mode') === 'vscode' ? 'vscode' : 'github');
    await host.exportHtml(doc, mode, out);
    if (!target) void vscode.window.showInformationMessage(`Math Writeup: exported ${uriBaseName(out)}.`);
    return out;
  };


  const disposables: vscode.Disposable[] = [
    onDidRender,
    onDidReceiveMessage,
    onDidFinishCheck,
    services.checks.onDidFinish((e) => {
      if (!current || current.document?.uri.toString() !== e.uri.toString()) return;
      current.showCheckResult(e.uri, e.content, e.result);
      onDidFinishCheck.fire({ uri: e.uri, results: [e.result] });
    }),
    vscode.commands.registerCommand(PreviewCommands.open, guarded((uri?: vscode.Uri | string) => open(false, uri))),
    vscode.commands.registerCommand(PreviewCommands.openToSide, guarded((uri?: vscode.Uri | string) => open(true, uri))),
    vscode.commands.registerCommand(PreviewCommands.toggleLock, () => {
      if (!current) return false;
      current.setLocked(!current.locked);
      return current.locked;
    }),
    vscode.commands.registerCommand(PreviewCommands.setMode, (mode: PreviewMode) => {
      current?.setMode(mode === 'vscode' ? 'vscode' : 'github');
    }),
    vscode.commands.registerCommand(PreviewCommands.exportHtml, guarded(exportHtml)),
    ...(host.hover ? [vscode.languages.registerHoverProvider({ language: 'markdown' }, host.hover)] : []),
    vscode.window.registerWebviewPanelSerializer(PREVIEW_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel: vscode.WebviewPanel, state: unknown) => {
        const s = (state ?? {}) as PersistedPreviewState;
        let doc: vscode.TextDocument | undefined;
        if (typeof s.source === 'string' && s.source) {
          try {
            doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(s.source));
          } catch {
            doc = undefined;
          }
        }
        const { PreviewPanel: Panel } = await loadPanel();
        current?.dispose();
        current = new Panel(panel, context.extensionUri, events(), {
          platform: host.platform,
          doc: doc ?? activeMarkdown(),
          mode: s.mode === 'vscode' ? 'vscode' : s.mode === 'github' ? 'github' : undefined,
          line: typeof s.line === 'number' ? s.line : undefined,
          locked: s.locked === true,
          deps,
          typesetter: typeset(),
        });
      },
    }),
    { dispose: () => current?.dispose() },
    { dispose: () => disposeTypesetter() },
  ];

  const api: PreviewTestApi = {
    onDidRender: onDidRender.event,
    onDidReceiveMessage: onDidReceiveMessage.event,
    onDidFinishCheck: onDidFinishCheck.event,
    current: () =>
      current && {
        source: current.document?.uri.toString() ?? '',
        mode: current.mode,
        locked: current.locked,
        version: current.version,
        panel: current.panel,
      },
    probe: () => {
      if (!current) return Promise.reject(new Error('no preview is open'));
      return current.probe();
    },
    setMode: (mode) => current?.setMode(mode),
    simulatePageFailures: async (scripts, readyTimeoutMs) => {
      test = testDeps(test ?? (await loadPanel()).PRODUCTION_DEPS, { scripts: [...scripts], readyTimeoutMs });
    },
    simulateLostRenders: async (count, renderTimeoutMs) => {
      test = testDeps(test ?? (await loadPanel()).PRODUCTION_DEPS, { dropRenders: count, renderTimeoutMs });
    },
    simulateMessage: async (m) => {
      if (!current) throw new Error('no preview is open');
      await current.handleMessage(m);
    },
  };

  return {
    api,
    dispose: () => {
      for (const d of disposables) d.dispose();
    },
  };
}

/**
 * The panel dependencies of a test that simulates failures: scripts for the next pages (one each), shorter waits,
 * and full renders lost on their way to the page. Built only when a test asks; production panels never see it.
 */
function testDeps(
  base: PanelDeps,
  o: { scripts?: vscode.Uri[]; readyTimeoutMs?: number; dropRenders?: number; renderTimeoutMs?: number },
): PanelDeps {
  const scripts = o.scripts;
  let drop = o.dropRenders;
  return {
    timing: { readyTimeoutMs: o.readyTimeoutMs ?? base.timing.readyTimeoutMs, renderTimeoutMs: o.renderTimeoutMs ?? base.timing.renderTimeoutMs },
    nextPageScript: scripts ? () => scripts.shift() : () => base.nextPageScript(),
    deliver: drop === undefined
      ? (w, m) => base.deliver(w, m)
      : (w: vscode.Webview, m: ToPreviewMessage) => {
        if (m.type === 'render' && drop !== undefined && drop > 0) {
          drop--;
          log.trace(`preview: render v${m.version} lost on its way to the page (simulated by a test)`);
          return Promise.resolve(true);
        }
        return base.deliver(w, m);
      },
  };
}
