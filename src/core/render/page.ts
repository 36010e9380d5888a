// HTML pages around rendered blocks: the webview page (strict CSP with a nonce) and the self-contained export.
import { escapeAttr, escapeHtml } from './escape';
import type { RenderedBlock } from './document';

/** A page asset: linked through a webview URI, or carried in the page itself. */
export type PageScript = { src: string } | { text: string };
export type PageStyle = { href: string } | { text: string };

/** The two webview pages of the extension. Both are built by buildWebviewPage: one CSP per kind, nonce, assets. */
export type WebviewPageKind = 'preview' | 'plot';

export interface WebviewPageOptions {
  /** Which page (default 'preview'). */
  kind?: WebviewPageKind;
  nonce: string;
  /** The webview's `cspSource` (origin of resources loaded through webview URIs). */
  cspSource: string;
  /** The page's script. Carried in the page, it needs no request through the webview's resource loader. */
  script: PageScript;
  /** Its stylesheets (the preview: KaTeX's, carried with its fonts as data: URIs, then the preview's). */
  styles: readonly PageStyle[];
  /** Preview only: http(s) images allowed. */
  allowRemoteImages?: boolean;
  /** Initial settings for the script, stored as escaped JSON in the `data-settings` attribute of the data element. */
  settings: Record<string, unknown>;
}

/** Content Security Policy of the preview webview. */
export function previewCsp(o: Pick<WebviewPageOptions, 'nonce' | 'cspSource' | 'allowRemoteImages'>): string {
  return [
    "default-src 'none'",
    // Scripts only with the page's nonce: nothing in the writeup can run, inline handlers included.
    `script-src 'nonce-${o.nonce}'`,
    // 'unsafe-inline' for styles is needed because KaTeX's HTML output positions glyphs with inline style
    // attributes (without it formulas collapse), and it also admits the page's own <style> elements. The
    // writeup's own style attributes and <style> elements never reach the page: the sanitizer drops them.
    `style-src ${o.cspSource} 'unsafe-inline'`,
    // data: for KaTeX's fonts carried in the page.
    `font-src ${o.cspSource} data:`,
    `img-src ${o.cspSource} data:${o.allowRemoteImages ? ' https:' : ''}`,
    "connect-src 'none'",
    "frame-src 'none'",
    "form-action 'none'",
    "base-uri 'none'",
  ].join('; ');
}

/**
 * Content Security Policy of the plot panel: styles only with the nonce (the page's own <style> elements, and Lit's
 * fallback, which gets the nonce from the settings). uPlot and the elements set styles through the CSSOM, which CSP
 * does not block, so no 'unsafe-inline' is needed.
 */
export function plotCsp(o: Pick<WebviewPageOptions, 'nonce' | 'cspSource'>): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${o.nonce}'`,
    `style-src ${o.cspSource} 'nonce-${o.nonce}'`,
    `font-src ${o.cspSource}`,
    `img-src ${o.cspSource} data:`,
    "connect-src 'none'",
    "frame-src 'none'",
    "form-action 'none'",
    "base-uri 'none'",
  ].join('; ');
}

/**
 * Whether a script can be carried inside a <script> element as it is: the HTML parser ends the element at
 * `</script` and treats `<!--` specially inside it, whatever the JavaScript means.
 */
export function canInlineScript(text: string): boolean {
  return !/<\/script|<!--/i.test(text);
}

/** A <script> element carrying `text` (refused when the text would end the element early). */
export function inlineScript(text: string, nonce: string): string {
  if (!canInlineScript(text)) throw new Error('the script contains </script or <!-- and cannot be carried in the page');
  return `<script nonce="${escapeAttr(nonce)}">\n${text}\n</script>`;
}

/** A <style> element carrying `css` (a `</style` inside it cannot end the element). */
export function inlineStyle(css: string, nonce?: string): string {
  return `<style${nonce ? ` nonce="${escapeAttr(nonce)}"` : ''}>\n${css.replace(/<\/style/gi, '<\\/style')}\n</style>`;
}

/**
 * The page's first script (inline, allowed by the nonce like the preview script), placed before the stylesheets so
 * that a slow stylesheet cannot hold it back. It takes the one VS Code API object the page may acquire and leaves it
 * for the preview script, says `loading` (the frame runs this page), and reports a preview script that fails to
 * load, so the extension can tell a page that never ran from one whose script is missing, and reload it at once.
 * Fixed text: nothing from the writeup or the settings goes into it.
 *
 * A linked preview script is `async` (at the end of the body, so the elements it uses exist): a stylesheet that
 * is slow to arrive delays only the look of the formulas, never the page's start.
 */
export const BOOTSTRAP =
  '(function(){var api=acquireVsCodeApi();window.mwVsCodeApi=api;api.postMessage({type:"loading"});' +
  'window.addEventListener("error",function(e){var t=e.target;' +
  'if(t&&t.tagName==="SCRIPT"){api.postMessage({type:"scriptFailed",src:String(t.src)});}},true);})();';

const PREVIEW_BODY = `<div id="mw-toolbar" role="toolbar" aria-label="Preview">
  <span id="mw-title"></span>
  <button type="button" data-mode="github" title="Show what github.com renders">GitHub</button>
  <button type="button" data-mode="vscode" title="Show what VS Code's built-in preview renders">VS Code</button>
  <button type="button" id="mw-lock" title="Lock the preview to this document">Follows editor</button>
</div>
<main id="mw-content" class="markdown-body"></main>`;

const PLOT_BODY = '<main id="root"><p id="empty" class="empty">Run a check with a <code>plot:</code> line, then choose “Show plot”.</p></main>';

const PAGES: Record<WebviewPageKind, { title: string; dataId: string; body: string; csp: (o: WebviewPageOptions) => string; bootstrap: boolean }> = {
  preview: { title: 'Math Writeup Preview', dataId: 'mw-preview-data', body: PREVIEW_BODY, csp: previewCsp, bootstrap: true },
  plot: { title: 'Math Writeup plot', dataId: 'plot-data', body: PLOT_BODY, csp: plotCsp, bootstrap: false },
};

/**
 * The HTML of a webview page (the preview or the plot panel): its CSP with the nonce, the settings as escaped JSON
 * in one attribute, the stylesheets (nonce'd) and the script, carried in the page or linked. The preview's script
 * is `async` when linked and is preceded by the BOOTSTRAP script.
 */
export function buildWebviewPage(o: WebviewPageOptions): string {
  const page = PAGES[o.kind ?? 'preview'];
  const nonce = escapeAttr(o.nonce);
  const styles = o.styles
    .map((st) => ('href' in st ? `<link rel="stylesheet" nonce="${nonce}" href="${escapeAttr(st.href)}">` : inlineStyle(st.text, o.nonce)))
    .join('\n');
  const script = 'src' in o.script
    ? `<script nonce="${nonce}" src="${escapeAttr(o.script.src)}"${page.bootstrap ? ' async' : ''}></script>`
    : inlineScript(o.script.text, o.nonce);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttr(page.csp(o))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<meta id="${page.dataId}" data-settings="${escapeAttr(JSON.stringify(o.settings))}">
${page.bootstrap ? `<script nonce="${nonce}">${BOOTSTRAP}</script>\n` : ''}${styles}
<title>${page.title}</title>
</head>
<body>
${page.body}
${script}
</body>
</html>`;
}

export interface StandalonePageOptions {
  title: string;
  blocks: readonly RenderedBlock[];
  /** Stylesheets to inline (KaTeX CSS with fonts already inlined or pointing beside the file, preview CSS). */
  css: readonly string[];
  mode: 'github' | 'vscode';
}

/** A self-contained HTML file of the preview (no scripts). */
export function buildStandalonePage(o: StandalonePageOptions): string {
  return [...standalonePageParts(o)].join('');
}

/**
 * The same page as pieces (head, one per block, tail), for writing a very large page without building one string
 * (V8 strings stop at about 512 MB). `blocks` may be produced lazily (the command line renders chunk by chunk while
 * it writes), so the page never needs to be in memory at once.
 */
export function* standalonePageParts(o: Omit<StandalonePageOptions, 'blocks'> & { blocks: Iterable<RenderedBlock> }): Generator<string> {
  const csp = "default-src 'none'; style-src 'unsafe-inline'; font-src data: 'self'; img-src data: 'self' https: http:";
  yield `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttr(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<meta name="generator" content="Math Writeup (${o.mode} mode)">
<title>${escapeHtml(o.title)}</title>
${o.css.map((c) => inlineStyle(c)).join('\n')}
</head>
<body class="mw-export" data-mode="${o.mode}">
<main class="markdown-body">
`;
  let i = 0;
  for (const b of o.blocks) yield `${i++ > 0 ? '\n' : ''}<div class="mw-block" data-line="${b.line}" data-end-line="${b.endLine}">${b.html}</div>`;
  yield `
</main>
</body>
</html>
`;
}
