// Allowlist sanitizer for the raw HTML a writeup contains (markdown-it `html_block` / `html_inline` tokens).
// Pure string processing, no DOM: the fragment is tokenized into text, tags and comments, and only tags and
// attributes on GitHub's allowlist survive (the list follows GitHub's html-pipeline sanitization filter: no
// scripts, styles, event handlers, iframes, forms, `javascript:` URLs; `id`/`name` get GitHub's `user-content-`
// prefix so a writeup cannot clobber the page's own elements). Style attributes are always dropped: the only
// inline styles in the preview are the ones KaTeX produces, which never pass through here.
import { escapeAttr } from './escape';

export type UrlKind = 'link' | 'image' | 'cite';

export interface SanitizeOptions {
  /**
   * Rewrite or refuse a URL that passed the protocol check (e.g. resolve a local image to a webview URI, block
   * remote images). Return `null` to drop the attribute.
   */
  rewriteUrl?: (url: string, kind: UrlKind) => string | null;
}

/** Elements GitHub keeps. Anything else loses its tags (the text inside stays, escaped). */
const ALLOWED_ELEMENTS = new Set([
  'a', 'abbr', 'b', 'bdo', 'blockquote', 'br', 'caption', 'cite', 'code', 'dd', 'del', 'details', 'dfn', 'div', 'dl',
  'dt', 'em', 'figcaption', 'figure', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'i', 'img', 'ins', 'kbd', 'li',
  'mark', 'ol', 'p', 'picture', 'pre', 'q', 'rp', 'rt', 'ruby', 's', 'samp', 'small', 'source', 'span', 'strike',
  'strong', 'sub', 'summary', 'sup', 'table', 'tbody', 'td', 'tfoot', 'th', 'thead', 'time', 'tr', 'tt', 'ul',
  'var', 'wbr',
]);

/** Elements whose content is dropped together with the tags (raw text, embedded documents, forms). */
const DROP_WITH_CONTENT = new Set([
  'script', 'style', 'textarea', 'title', 'xmp', 'iframe', 'noembed', 'noframes', 'noscript', 'plaintext',
  'object', 'embed', 'applet', 'template', 'svg', 'math', 'select', 'frameset', 'frame',
]);

const VOID_ELEMENTS = new Set(['br', 'hr', 'img', 'wbr', 'source']);

/** Attributes allowed on every allowed element. */
const GLOBAL_ATTRS = new Set([
  'abbr', 'accept', 'accept-charset', 'accesskey', 'align', 'alt', 'aria-describedby', 'aria-hidden', 'aria-label',
  'aria-labelledby', 'axis', 'border', 'cellpadding', 'cellspacing', 'char', 'charoff', 'charset', 'checked', 'clear',
  'cols', 'colspan', 'color', 'compact', 'coords', 'datetime', 'dir', 'disabled', 'headers', 'height', 'hreflang',
  'hspace', 'ismap', 'itemprop', 'label', 'lang', 'maxlength', 'media', 'multiple', 'nohref', 'noshade', 'nowrap',
  'open', 'prompt', 'readonly', 'rel', 'rev', 'role', 'rows', 'rowspan', 'rules', 'scope', 'selected', 'shape', 'size',
  'span', 'start', 'summary', 'tabindex', 'title', 'type', 'usemap', 'valign', 'value', 'vspace', 'width',
]);

/** URL-valued attributes per element, with the kind of URL. */
const URL_ATTRS: Record<string, Record<string, UrlKind>> = {
  a: { href: 'link' },
  img: { src: 'image', longdesc: 'link' },
  source: { srcset: 'image' },
  blockquote: { cite: 'cite' },
  del: { cite: 'cite' },
  ins: { cite: 'cite' },
  q: { cite: 'cite' },
};

const ELEMENT_ATTRS: Record<string, Set<string>> = {
  div: new Set(['itemscope', 'itemtype']),
};

const ALLOWED_PROTOCOLS: Record<UrlKind, Set<string>> = {
  link: new Set(['http', 'https', 'mailto']),
  image: new Set(['http', 'https']),
  cite: new Set(['http', 'https']),
};

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0', colon: ':', tab: '\t', newline: '\n',
  sol: '/', lpar: '(', rpar: ')', period: '.', comma: ',', semi: ';', excl: '!', num: '#', equals: '=',
};

/** Decode the character references of an attribute value (numeric and the common named ones). */
export function decodeEntities(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(#[xX][0-9a-fA-F]+|#[0-9]+|[a-zA-Z][a-zA-Z0-9]*);?/g, (m, body: string) => {
    if (body[0] === '#') {
      const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      if (!Number.isFinite(code) || code <= 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return '\ufffd';
      return String.fromCodePoint(code);
    }
    const named = NAMED_ENTITIES[body.toLowerCase()];
    return named ?? m;
  });
}

/**
 * Scheme of a URL as a browser would see it (entities decoded, control characters and whitespace removed), or
 * undefined for a relative URL.
 */
export function urlScheme(raw: string): string | undefined {
  // eslint-disable-next-line no-control-regex
  const cleaned = decodeEntities(raw).replace(/[\u0000-\u0020\u007f-\u009f\u200b-\u200f\ufeff]/g, '');
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(cleaned);
  if (m) return m[1].toLowerCase();
  // "//host/x" is protocol-relative: treat as https so the remote-image policy applies.
  if (cleaned.startsWith('//') || cleaned.startsWith('\\\\') || cleaned.startsWith('/\\') || cleaned.startsWith('\\/')) return 'https';
  return undefined;
}

/** True when `url` may appear in an attribute of this kind (relative URLs always may). */
export function isSafeUrl(url: string, kind: UrlKind): boolean {
  const scheme = urlScheme(url);
  if (scheme === undefined) return true;
  return ALLOWED_PROTOCOLS[kind].has(scheme);
}

interface Attr {
  name: string;
  value: string;
}

type HtmlToken =
  | { kind: 'text'; text: string }
  | { kind: 'start'; name: string; attrs: Attr[] }
  | { kind: 'end'; name: string };

const NAME_CHAR = /[^\s/>\0]/;

/** Tokenizes an HTML fragment the way a browser's tokenizer reads tags (enough to decide what survives). */
function* tokenize(html: string): Generator<HtmlToken> {
  const n = html.length;
  let i = 0;
  let textStart = 0;
  const flushText = function* (end: number): Generator<HtmlToken> {
    if (end > textStart) yield { kind: 'text', text: html.slice(textStart, end) };
  };
  while (i < n) {
    const lt = html.indexOf('<', i);
    if (lt < 0) break;
    const next = html[lt + 1] ?? '';
    if (next === '!' || next === '?' || (next === '/' && !/[a-zA-Z]/.test(html[lt + 2] ?? ''))) {
      // Comment, doctype, CDATA, processing instruction or bogus comment: dropped entirely.
      yield* flushText(lt);
      let end: number;
      if (html.startsWith('<!--', lt)) {
        const close = html.indexOf('-->', lt + 4);
        end = close < 0 ? n : close + 3;
      } else {
        const close = html.indexOf('>', lt + 1);
        end = close < 0 ? n : close + 1;
      }
      i = textStart = end;
      continue;
    }
    const isEnd = next === '/';
    const nameStart = lt + (isEnd ? 2 : 1);
    if (!/[a-zA-Z]/.test(html[nameStart] ?? '')) {
      i = lt + 1; // a lone `<` is text
      continue;
    }
    let j = nameStart;
    while (j < n && NAME_CHAR.test(html[j])) j++;
    const name = html.slice(nameStart, j).toLowerCase();
    const attrs: Attr[] = [];
    // Attributes (for end tags they are parsed and ignored, as browsers do).
    let closed = false;
    while (j < n) {
      const c = html[j];
      if (c === '>') {
        closed = true;
        j++;
        break;
      }
      if (/[\s/]/.test(c)) {
        j++;
        continue;
      }
      let k = j;
      // The first character of an attribute name may be `=` (browsers treat it as part of the name).
      k++;
      while (k < n && !/[\s/>=]/.test(html[k])) k++;
      const attrName = html.slice(j, k).toLowerCase();
      let value = '';
      let m = k;
      while (m < n && /\s/.test(html[m])) m++;
      if (html[m] === '=') {
        m++;
        while (m < n && /\s/.test(html[m])) m++;
        const q = html[m];
        if (q === '"' || q === "'") {
          const close = html.indexOf(q, m + 1);
          if (close < 0) {
            j = n;
            break;
          }
          value = html.slice(m + 1, close);
          k = close + 1;
        } else {
          let e = m;
          while (e < n && !/[\s>]/.test(html[e])) e++;
          value = html.slice(m, e);
          k = e;
        }
      }
      attrs.push({ name: attrName, value });
      j = k;
    }
    if (!closed) {
      // An unterminated tag: the browser would swallow the rest as part of the tag; we drop it.
      yield* flushText(lt);
      i = textStart = n;
      break;
    }
    yield* flushText(lt);
    yield isEnd ? { kind: 'end', name } : { kind: 'start', name, attrs };
    i = textStart = j;
    if (!isEnd && DROP_WITH_CONTENT.has(name)) {
      // Skip to the matching end tag (raw text / foreign content is never shown).
      const re = new RegExp(`</${name}[\\s/>]`, 'ig');
      re.lastIndex = j;
      const m = re.exec(html);
      if (!m) {
        i = textStart = n;
        break;
      }
      const close = html.indexOf('>', m.index);
      i = textStart = close < 0 ? n : close + 1;
      yield { kind: 'end', name };
    }
  }
  yield* flushText(n);
}

function escapeText(s: string): string {
  return s.replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function sanitizeAttrs(tag: string, attrs: Attr[], options: SanitizeOptions): string {
  let out = '';
  const seen = new Set<string>();
  for (const a of attrs) {
    if (seen.has(a.name)) continue; // browsers keep the first occurrence
    seen.add(a.name);
    let value = decodeEntities(a.value);
    const urlKind = URL_ATTRS[tag]?.[a.name];
    if (urlKind) {
      if (a.name === 'srcset') {
        // Every candidate URL must be safe; rewrite each.
        const parts: string[] = [];
        let ok = true;
        for (const cand of value.split(',')) {
          const [u, ...desc] = cand.trim().split(/\s+/);
          if (!u) continue;
          const r = isSafeUrl(u, urlKind) ? (options.rewriteUrl ? options.rewriteUrl(u, urlKind) : u) : null;
          if (r === null) {
            ok = false;
            break;
          }
          parts.push([r, ...desc].join(' '));
        }
        if (!ok || parts.length === 0) continue;
        value = parts.join(', ');
      } else {
        if (!isSafeUrl(value, urlKind)) continue;
        const r = options.rewriteUrl ? options.rewriteUrl(value.trim(), urlKind) : value.trim();
        if (r === null) continue;
        value = r;
      }
    } else if (a.name === 'id' || a.name === 'name') {
      if (!value) continue;
      value = value.startsWith('user-content-') ? value : `user-content-${value}`;
    } else if (!GLOBAL_ATTRS.has(a.name) && !ELEMENT_ATTRS[tag]?.has(a.name)) {
      continue; // on*, style, class, formaction, srcdoc, xlink:href, data-* … are all dropped
    }
    out += ` ${a.name}="${escapeAttr(value)}"`;
  }
  return out;
}

/** Sanitizes one raw-HTML fragment of the writeup to GitHub's allowlist. */
export function sanitizeHtml(html: string, options: SanitizeOptions = {}): string {
  let out = '';
  for (const t of tokenize(html)) {
    if (t.kind === 'text') out += escapeText(t.text);
    else if (!ALLOWED_ELEMENTS.has(t.name)) continue;
    else if (t.kind === 'start') {
      const attrs = sanitizeAttrs(t.name, t.attrs, options);
      if (t.name === 'img' && !/ src="/.test(attrs)) {
        // An image whose source was refused keeps its alt text visible.
        const alt = t.attrs.find((a) => a.name === 'alt');
        out += `<span class="mw-img-blocked" title="Image not shown">${alt ? escapeAttr(decodeEntities(alt.value)) : '[image]'}</span>`;
        continue;
      }
      out += `<${t.name}${attrs}>`;
    } else if (!VOID_ELEMENTS.has(t.name)) out += `</${t.name}>`;
  }
  return out;
}
