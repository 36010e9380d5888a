// The preview's sanitizer and URL policy, alone and through the whole renderer on the XSS corpus that the
// integration test also renders in the real webview.
import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { decodeEntities, isSafeUrl, sanitizeHtml, urlScheme } from '../../src/core/render/sanitize';
import { renderDocument } from '../../src/core/render/document';

const CORPUS = path.resolve(__dirname, '../../../test/integration/workspace/preview/xss-corpus.md');

const FORBIDDEN_TAGS = [
  'script', 'iframe', 'object', 'embed', 'form', 'input', 'button', 'style', 'link', 'meta', 'base', 'svg', 'math',
  'textarea', 'select', 'frameset', 'frame', 'template', 'noscript', 'video', 'audio', 'marquee', 'keygen', 'isindex',
  'title', 'body', 'html',
];

/** Every way the corpus tries to run script, looked for in the rendered HTML. Returns the problems found. */
function unsafeParts(html: string): string[] {
  const problems: string[] = [];
  const tagRe = /<([a-zA-Z][^\s/>]*)([^>]*)>/g;
  let m: RegExpExecArray | null;
  while ((m = tagRe.exec(html))) {
    const tag = m[1].toLowerCase();
    const attrs = m[2];
    if (FORBIDDEN_TAGS.includes(tag)) problems.push(`<${tag}> element`);
    const attrRe = /([^\s"'=/>]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g;
    let a: RegExpExecArray | null;
    while ((a = attrRe.exec(attrs))) {
      const name = a[1].toLowerCase();
      const value = decodeEntities(a[2] ?? a[3] ?? a[4] ?? '');
      if (name.startsWith('on')) problems.push(`event handler ${name} on <${tag}>`);
      if (['href', 'src', 'action', 'formaction', 'data', 'background', 'xlink:href', 'srcdoc', 'longdesc', 'cite'].includes(name)) {
        const scheme = urlScheme(value);
        if (scheme && !['http', 'https', 'mailto'].includes(scheme)) problems.push(`${name}="${value}" on <${tag}>`);
      }
      if (name === 'style' && /url\(|expression|behavior|javascript/i.test(value)) problems.push(`style="${value}"`);
      if (name === 'id' && value === 'mw-xss-sentinel') problems.push('unprefixed sentinel id');
      if (name === 'id' && value === 'mw-content') problems.push('id clobbering the preview container');
    }
  }
  return problems;
}

describe('preview sanitizer', () => {
  it('keeps GitHub-allowed markup and attributes', () => {
    assert.strictEqual(
      sanitizeHtml('<details open><summary>More</summary><b title="t">bold</b> <sup>2</sup></details>'),
      '<details open=""><summary>More</summary><b title="t">bold</b> <sup>2</sup></details>',
    );
    assert.strictEqual(sanitizeHtml('<a href="https://example.com/x?a=1&amp;b=2">x</a>'), '<a href="https://example.com/x?a=1&amp;b=2">x</a>');
    assert.strictEqual(sanitizeHtml('<img src="fig.png" alt="A figure" width="200">'), '<img src="fig.png" alt="A figure" width="200">');
  });

  it('drops scripts with their content, event handlers, styles and unknown elements', () => {
    assert.strictEqual(sanitizeHtml('a<script>alert(1)</script>b'), 'ab');
    assert.strictEqual(sanitizeHtml('<div onclick="x()" style="color:red" class="c">t</div>'), '<div>t</div>');
    assert.strictEqual(sanitizeHtml('<custom-el x="1">kept text</custom-el>'), 'kept text');
    assert.strictEqual(sanitizeHtml('<iframe src="https://e.com">inside</iframe>after'), 'after');
    assert.strictEqual(sanitizeHtml('<!-- comment --><p>x</p>'), '<p>x</p>');
  });

  it('refuses javascript:, vbscript: and data: URLs however they are spelled', () => {
    for (const href of ['javascript:x', 'JAVASCRIPT:x', ' javascript:x', 'java\tscript:x', 'jav&#x61;script:x', 'jav&#97;script:x', 'javascript&colon;x', 'vbscript:x', 'data:text/html,x']) {
      assert.strictEqual(isSafeUrl(href, 'link'), false, href);
      assert.strictEqual(sanitizeHtml(`<a href="${href}">x</a>`), '<a>x</a>', href);
    }
    assert.strictEqual(isSafeUrl('figures/a.svg', 'image'), true);
    assert.strictEqual(isSafeUrl('mailto:a@b.c', 'image'), false);
  });

  it('prefixes ids and names like GitHub so a writeup cannot clobber the page', () => {
    assert.strictEqual(sanitizeHtml('<h2 id="intro">x</h2>'), '<h2 id="user-content-intro">x</h2>');
    assert.strictEqual(sanitizeHtml('<a name="top"></a>'), '<a name="user-content-top"></a>');
  });

  it('lets the URL policy rewrite or refuse image sources', () => {
    const html = sanitizeHtml('<img src="a.png" alt="local"><img src="https://x.org/b.png" alt="remote">', {
      rewriteUrl: (u) => (u.startsWith('https:') ? null : `vscode-resource:/doc/${u}`),
    });
    assert.strictEqual(html, '<img src="vscode-resource:/doc/a.png" alt="local"><span class="mw-img-blocked" title="Image not shown">remote</span>');
  });

  it('renders every payload of the XSS corpus harmlessly, in both modes', () => {
    const text = fs.readFileSync(CORPUS, 'utf8');
    const payloads = text.split('\n').filter((l) => /^Payload \d+:$/.test(l)).length;
    assert.ok(payloads >= 50, `the corpus has ${payloads} payloads`);
    for (const mode of ['github', 'vscode'] as const) {
      const html = renderDocument(text, { mode, rewriteUrl: (u, kind) => (kind === 'image' && /^https?:/i.test(u) ? null : u) })
        .map((b) => b.html)
        .join('\n');
      assert.deepStrictEqual(unsafeParts(html), [], `${mode} mode`);
      assert.match(html, /End of corpus <span class="(mw-math|katex)/, `${mode}: the document after the payloads still renders`);
      assert.match(html, /static sentinel id must be prefixed/);
    }
  });

  it('each payload alone is harmless too (no payload hides behind another)', () => {
    const text = fs.readFileSync(CORPUS, 'utf8');
    const chunks = text.split(/^Payload \d+:$/m).slice(1);
    for (const chunk of chunks) {
      for (const mode of ['github', 'vscode'] as const) {
        const html = renderDocument(chunk.trim(), { mode }).map((b) => b.html).join('\n');
        assert.deepStrictEqual(unsafeParts(html), [], `${mode}: ${chunk.trim()}`);
      }
    }
  });
});
