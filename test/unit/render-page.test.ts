// The preview's webview page: every script carries the page's nonce and the CSP allows nothing else; the fixed
// bootstrap reports that the page runs and a linked script that fails to load; the real page carries its script,
// stylesheets and fonts, so it makes no resource request; settings stay inside an attribute.
import * as assert from 'node:assert';
import { BOOTSTRAP, buildWebviewPage, canInlineScript, inlineScript, previewCsp } from '../../src/core/render/page';
import { plotPageAssets, previewPageAssets } from '../../src/node/assets';

const base = 'https://file+.vscode-resource.vscode-cdn.net/ext';
const linked = {
  nonce: 'bm9uY2Utb2YtdGhlLXRlc3Q=',
  cspSource: 'https://file+.vscode-resource.vscode-cdn.net',
  script: { src: `${base}/dist/webview/preview.js` },
  styles: [{ href: `${base}/dist/katex/katex.min.css` }, { href: `${base}/media/preview.css` }],
  allowRemoteImages: false,
  settings: { source: 'file:///tmp/"><script>alert(1)</script>.md' },
};

function scriptTags(html: string): string[] {
  return [...html.matchAll(/<script\b([^>]*)>/g)].map((m) => m[1]);
}

describe('preview webview page', () => {
  const html = buildWebviewPage(linked);

  it('scripts run only with the nonce: the bootstrap, then the (async) preview script', () => {
    assert.deepStrictEqual(scriptTags(html), [` nonce="${linked.nonce}"`, ` nonce="${linked.nonce}" src="${linked.script.src}" async`]);
    const csp = previewCsp(linked);
    assert.match(csp, new RegExp(`script-src 'nonce-${linked.nonce.replace(/[+/=]/g, '\\$&')}'(;|$)`));
    assert.doesNotMatch(csp, /unsafe-eval|script-src[^;]*unsafe-inline/);
    assert.match(csp, /font-src \S+ data:;/);
  });

  it('the bootstrap is fixed text, placed before the stylesheets, that hands over the API and reports loading and a failed script', () => {
    assert.ok(html.includes(`<script nonce="${linked.nonce}">${BOOTSTRAP}</script>`));
    // Before the stylesheets (a stylesheet still loading holds back the scripts after it), after the CSP.
    const at = html.indexOf(BOOTSTRAP);
    assert.ok(html.indexOf('Content-Security-Policy') < at && at < html.indexOf('<link rel="stylesheet"'));
    assert.match(BOOTSTRAP, /window\.mwVsCodeApi=api/);
    assert.match(BOOTSTRAP, /postMessage\(\{type:"loading"\}\)/);
    assert.match(BOOTSTRAP, /tagName==="SCRIPT"\)\{api\.postMessage\(\{type:"scriptFailed"/);
    assert.doesNotMatch(BOOTSTRAP, /<\/|eval|Function\(/);
  });

  it('a hostile document path stays inside the settings attribute', () => {
    assert.strictEqual(html.match(/<script/g)?.length, 2);
    assert.match(html, /data-settings="\{&quot;source&quot;:&quot;file:\/\/\/tmp\/\\&quot;&gt;&lt;script&gt;alert\(1\)&lt;\/script&gt;\.md&quot;\}"/);
  });

  it('the real page carries its script, stylesheets and fonts: no resource request at all', () => {
    const assets = previewPageAssets();
    const page = buildWebviewPage({ ...linked, script: { text: assets.script }, styles: assets.styles.map((text) => ({ text })) });
    assert.deepStrictEqual(scriptTags(page), [` nonce="${linked.nonce}"`, ` nonce="${linked.nonce}"`]);
    assert.doesNotMatch(page, /<link\b|\bsrc="|url\((?!data:)|sourceMappingURL/, 'nothing for the webview to fetch');
    const fonts = page.match(/src:url\(data:font\/woff2;base64,/g)?.length ?? 0;
    assert.ok(fonts >= 20, `KaTeX's fonts inline (${fonts})`);
    assert.ok(page.includes('mwVsCodeApi'), 'the preview script uses the API the bootstrap acquired');
    // The parser would end the script early at `</script` (or mis-read it after `<!--`): such text is refused.
    assert.strictEqual(canInlineScript('const s = "</script>";'), false);
    assert.strictEqual(canInlineScript('a <!-- b'), false);
    assert.throws(() => buildWebviewPage({ ...linked, script: { text: 'x("</SCRIPT>")' } }), /cannot be carried/);
    assert.throws(() => inlineScript('a <!-- b', 'n'), /cannot be carried/);
    // The plot panel's page carries its bundle the same way.
    const plot = plotPageAssets();
    assert.ok(canInlineScript(plot.script) && !/sourceMappingURL/.test(plot.script) && plot.styles.length === 2);
    // A stylesheet cannot end its element early either.
    assert.ok(buildWebviewPage({ ...linked, styles: [{ text: 'a{}</style><script>x</script>' }] }).includes('a{}<\\/style><script>x</script>'));
  });
});

describe('plot webview page (the same page builder)', () => {
  const html = buildWebviewPage({ ...linked, kind: 'plot', script: { src: `${base}/dist/webview/plot.js` }, styles: [{ text: '.x{}' }], settings: { nonce: linked.nonce, initial: null } });
  it('strict CSP: scripts and styles only with the nonce, no bootstrap, no inline styles allowed', () => {
    const csp = (/content="([^"]*)"/.exec(html)?.[1] ?? '').replace(/&#39;/g, "'").replace(/&#x27;/g, "'");
    assert.match(csp, /style-src \S+ 'nonce-/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    assert.doesNotMatch(html, /mwVsCodeApi/, 'the plot script acquires the API itself');
    assert.deepStrictEqual(scriptTags(html), [` nonce="${linked.nonce}" src="${base}/dist/webview/plot.js"`]);
    assert.ok(html.includes(`<style nonce="${linked.nonce}">`));
    assert.match(html, /<meta id="plot-data" data-settings="\{&quot;nonce&quot;/);
    assert.match(html, /<main id="root">/);
  });
});
