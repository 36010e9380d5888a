// The preview's webview page: every script carries the page's nonce and the CSP allows nothing else; the fixed
// bootstrap reports that the page runs and a preview script that fails to load; settings stay inside an attribute.
import * as assert from 'node:assert';
import { BOOTSTRAP, buildWebviewPage, previewCsp } from '../../src/core/render/page';

const opts = {
  nonce: 'bm9uY2Utb2YtdGhlLXRlc3Q=',
  cspSource: 'https://file+.vscode-resource.vscode-cdn.net',
  scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview/preview.js',
  katexCssUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/katex/katex.min.css',
  previewCssUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/media/preview.css',
  allowRemoteImages: false,
  settings: { source: 'file:///tmp/"><script>alert(1)</script>.md' },
};

describe('preview webview page', () => {
  const html = buildWebviewPage(opts);

  it('scripts run only with the nonce: the bootstrap, then the preview script', () => {
    const scripts = [...html.matchAll(/<script\b([^>]*)>/g)].map((m) => m[1]);
    assert.deepStrictEqual(scripts, [` nonce="${opts.nonce}"`, ` nonce="${opts.nonce}" src="${opts.scriptUri}" async`]);
    const csp = previewCsp(opts);
    assert.match(csp, new RegExp(`script-src 'nonce-${opts.nonce.replace(/[+/=]/g, '\\$&')}'(;|$)`));
    assert.doesNotMatch(csp, /unsafe-eval|script-src[^;]*unsafe-inline/);
  });

  it('the bootstrap is fixed text that hands over the VS Code API and reports loading and a failed script', () => {
    assert.ok(html.includes(`<script nonce="${opts.nonce}">${BOOTSTRAP}</script>`));
    // Before the stylesheets (a stylesheet still loading holds back the scripts after it), after the CSP.
    const at = html.indexOf(BOOTSTRAP);
    assert.ok(html.indexOf('Content-Security-Policy') < at && at < html.indexOf('<link rel="stylesheet"'));
    assert.match(BOOTSTRAP, /window\.mwVsCodeApi=api/);
    assert.match(BOOTSTRAP, /postMessage\(\{type:"loading"\}\)/);
    assert.match(BOOTSTRAP, /tagName==="SCRIPT"\)\{api\.postMessage\(\{type:"scriptFailed"/);
    assert.doesNotMatch(BOOTSTRAP, /<\/|eval|Function\(/);
    assert.strictEqual(buildWebviewPage({ ...opts, settings: { source: 'other' }, nonce: 'x' }).includes(BOOTSTRAP), true);
  });

  it('a hostile document path stays inside the settings attribute', () => {
    assert.strictEqual(html.match(/<script/g)?.length, 2);
    assert.match(html, /data-settings="\{&quot;source&quot;:&quot;file:\/\/\/tmp\/\\&quot;&gt;&lt;script&gt;alert\(1\)&lt;\/script&gt;\.md&quot;\}"/);
  });
});
