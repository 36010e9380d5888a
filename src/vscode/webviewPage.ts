// The one builder of the extension's webview pages (preview and plot panel): a fresh nonce per page, the page's
// script and stylesheets carried in the page (desktop: see carriedAssets) or linked through webview URIs (the web
// extension, or when they cannot be read), and the CSP of its kind (src/core/render/page.ts). No Node here: the web
// extension's preview uses it too.
import * as vscode from 'vscode';
import { buildWebviewPage, type PageScript, type PageStyle, type WebviewPageKind } from '../core/render/page';
import type { PageAssets } from '../node/assets';

/** A fresh nonce (Web Crypto: the same in Node and in a web worker). */
function nonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes));
}

/** Files a page links when its assets cannot be carried (paths under the extension). */
const LINKED: Record<WebviewPageKind, { script: string[]; styles: string[][] }> = {
  preview: { script: ['dist', 'webview', 'preview.js'], styles: [['dist', 'katex', 'katex.min.css'], ['media', 'preview.css']] },
  plot: { script: ['dist', 'webview', 'plot.js'], styles: [['dist', 'webview', 'uPlot.min.css'], ['media', 'plot.css']] },
};

export interface PageRequest {
  kind: WebviewPageKind;
  /** Initial settings for the page's script (the plot page also gets the nonce for Lit's <style> fallback). */
  settings: Record<string, unknown>;
  allowRemoteImages?: boolean;
  /** A script to load instead of the page's own (a test's failing page; see the preview's page supervisor). */
  script?: vscode.Uri;
}

/** The page's HTML; `carried`: its script and stylesheets as text, or undefined to link them. */
export function webviewPageHtml(webview: vscode.Webview, extensionUri: vscode.Uri, req: PageRequest, carried: PageAssets | undefined): string {
  const nonceValue = nonce();
  const asset = (p: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...p)).toString();
  const linked = LINKED[req.kind];
  const script: PageScript = req.script
    ? { src: webview.asWebviewUri(req.script).toString() }
    : carried ? { text: carried.script } : { src: asset(linked.script) };
  const styles: PageStyle[] = carried ? carried.styles.map((text) => ({ text })) : linked.styles.map((p) => ({ href: asset(p) }));
  return buildWebviewPage({
    kind: req.kind,
    nonce: nonceValue,
    cspSource: webview.cspSource,
    script,
    styles,
    allowRemoteImages: req.allowRemoteImages,
    settings: req.kind === 'plot' ? { ...req.settings, nonce: nonceValue } : req.settings,
  });
}
