// Finds the cause of a near miss: a formula VS Code's preview renders that GitHub does not render, or renders
// differently. The cause is typed data (causes.ts: what GitHub does to which characters); the lint rule that owns
// the cause words it for the reader.
import { canPrecedeOpener } from './dollars';
import type { NearMissCause, PairedDelimiter } from './causes';
import type { DetailedScan, GithubMath, InlineTokenInfo, NearMiss, UnrenderedFormula, VscodeMath } from './types';

const normTex = (s: string): string => s.replace(/\s+/g, ' ').trim();

export function diagnose(scan: DetailedScan, v: VscodeMath, g: GithubMath | undefined): NearMiss | undefined {
  const miss = firstCause(scan, v, g);
  if (!miss) return undefined;
  const also = maskedCauses(scan, v, miss.cause);
  if (also.length > 0) miss.also = also;
  return miss;
}

/** Causes that stop GitHub short of the formula's escapes: fixing them lets GitHub render it, escapes and all. */
const DELIMITER_CAUSES = new Set<NearMissCause['kind']>([
  'display-inline', 'text-before-open', 'text-after-close', 'space-after-open', 'space-before-close', 'text-before-display',
  'display-not-alone', 'adjacent-formulas', 'emphasis-pairs', 'strikethrough',
]);

/**
 * What else breaks the formula besides its first cause: the other `$` rules it fails as written (from the scan's
 * written formulas), and the escapes Markdown eats once GitHub renders it.
 */
function maskedCauses(scan: DetailedScan, v: VscodeMath, first: NearMissCause): NearMissCause[] {
  if (!DELIMITER_CAUSES.has(first.kind)) return [];
  const out: NearMissCause[] = [];
  const written = indexes(scan).unrendered.get(v.start);
  if (written && written.end === v.end) {
    for (const c of written.causes) {
      const cause: NearMissCause | undefined =
        c === 'text-before-opener' ? { kind: 'text-before-open', char: scan.text[v.start - 1] }
          : c === 'text-after-closer' ? { kind: 'text-after-close', char: scan.text[v.end] }
            : c === 'space-after-opener' ? { kind: 'space-after-open' }
              : c === 'space-before-closer' ? { kind: 'space-before-close' }
                : undefined;
      if (!cause || cause.kind === first.kind) continue;
      // One rule (MW002) trims both sides; a `$$` on its own line is not padding.
      const spacing = (k: string) => k === 'space-after-open' || k === 'space-before-close' || k === 'text-before-display' || k === 'display-not-alone';
      if (spacing(cause.kind) && spacing(first.kind)) continue;
      if (spacing(cause.kind) && v.syntax === 'double-dollar' && /^\$\$[ \t]*\r?\n/.test(scan.text.slice(v.start))) continue;
      out.push(cause);
    }
  }
  const damage = escapeDamage(scan.text.slice(v.bodyStart, v.bodyEnd), v, v.bodyStart);
  if (damage) out.push(damage);
  return out;
}

/**
 * The first escape of a body that GitHub's Markdown pass damages (`\{` → `{`, a `\\` row break mid-line), or
 * undefined when there is none or every escape is written for GitHub. A `\\` ending a line of a display formula
 * and `\$` (MW011's business) are not damage here.
 */
export function escapeDamage(body: string, v: Pick<VscodeMath, 'display' | 'syntax'>, bodyStart: number): NearMissCause | undefined {
  if (escapesWrittenForGithub(body, v.display)) return undefined;
  const double = v.syntax === 'double-dollar';
  const mid = double ? /\\\\[ \t]*[^\s\\]/.exec(body) : null;
  if (mid) return { kind: 'row-break-mid-line', at: { start: bodyStart + mid.index, end: bodyStart + mid.index + 2 } };
  const re = /\\([!-/:-@[-`{-~])/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(body))) {
    if (m[1] === '$') continue;
    if (m[1] === '\\' && body.startsWith('\\\\', m.index + 2)) {
      re.lastIndex = m.index + 4; // `\\\\` reaches GitHub as the row break `\\`
      continue;
    }
    if (m[1] === '\\' && double && /^[ \t]*(\r?\n|$)/.test(body.slice(m.index + 2))) continue;
    const at = bodyStart + m.index;
    const sequences = [...new Set(body.match(/\\[!-/:-@[-`{-~]/g) ?? [])].filter((x) => x !== '\\$' && !(double && x === '\\\\'));
    return { kind: 'escape-eaten', sequence: m[0], sequences, at: { start: at, end: at + m[0].length } };
  }
  return undefined;
}

function firstCause(scan: DetailedScan, v: VscodeMath, g: GithubMath | undefined): NearMiss | undefined {
  const mk = (cause: NearMissCause, github?: GithubMath): NearMiss => ({
    cause,
    start: v.start,
    end: v.end,
    range: v.range,
    vscode: v,
    github,
  });

  // VS Code runs an unclosed `$$` on to the end of the document: that is the problem, whatever GitHub makes of it.
  if (v.syntax === 'double-dollar' && !(v.end - v.start >= 4 && scan.text.startsWith('$$', v.end - 2))) {
    return mk({ kind: 'unclosed-display' }, g);
  }
  if (g) {
    if (v.display === g.display && normTex(v.tex) === normTex(g.tex)) return undefined;
    if (g.start !== v.start || g.end !== v.end) {
      if (/\\\$/.test(scan.text.slice(v.bodyStart, v.bodyEnd))) {
        return mk({ kind: 'escaped-dollar' }, g);
      }
    }
    if (g.start === v.start && g.end === v.end || (v.display && !g.display)) {
      if (v.display && !g.display) {
        if (g.context.inList) return mk({ kind: 'display-inline', reason: 'list' }, g);
        if (g.context.inHeading) return mk({ kind: 'display-inline', reason: 'heading' }, g);
        if (g.context.inTable) return mk({ kind: 'display-inline', reason: 'table' }, g);
        const after = scan.text.slice(v.end, scan.text.indexOf('\n', v.end) < 0 ? undefined : scan.text.indexOf('\n', v.end));
        if (after.trim() !== '') return mk({ kind: 'display-inline', reason: 'text-after' }, g);
        return mk({ kind: 'display-inline', reason: 'shares-paragraph' }, g);
      }
      if (normTex(v.tex) !== normTex(g.tex)) return damaged(scan, v, g, mk);
      return undefined;
    }
    return mk({ kind: 'paired-differently' }, g);
  }

  const block = blockAt(scan, v.start);
  if (block?.inFootnote) return mk({ kind: 'in-footnote' });
  if (block?.suppressedBy !== undefined) {
    const at = block.suppressedBy;
    return mk({ kind: 'html-suppressed', tag: { start: at, end: at + 3 }, line: scan.lines.positionAt(at).line });
  }
  if (containedIn(indexes(scan).html, v.start, v.end)) {
    return mk({ kind: 'in-html-block' });
  }
  if (containedIn(indexes(scan).code, v.start, v.end)) {
    return mk({ kind: 'in-code' });
  }

  const toks = block ? tokensOf(scan, block) : [];
  const inside = toks.filter((t) => t.start >= v.start && t.end <= v.end && t.type !== 'text' && t.type !== 'text_special' && t.type !== 'softbreak');
  const enclosing = enclosingSpans(toks);
  const within = (types: string[]): boolean => enclosing.some((s) => types.includes(s.type) && s.start <= v.start && v.end <= s.end);

  if (within(['link'])) return mk({ kind: 'in-link' });
  const em = enclosing.find((e) => e.type === 'em' && e.start <= v.start && v.end <= e.end);
  if (em) {
    const open = paired(scan, em.start, em.markup.length, v.start);
    const close = paired(scan, em.end - em.markup.length, em.markup.length, v.start);
    return mk({ kind: 'in-emphasis', markup: em.markup, open, close });
  }
  if (within(['rawhtml'])) return mk({ kind: 'in-raw-html' });

  const html = inside.find((t) => t.type === 'html_inline');
  if (html) return mk({ kind: 'html-tag', html: html.content, at: { start: html.start, end: html.end } });
  const link = inside.find((t) => t.type === 'link_open' || t.type === 'image');
  if (link) return mk({ kind: 'link-syntax' });
  const emph = inside.find((t) => /^(em|strong)_(open|close)$/.test(t.type)) ?? crossing(toks, v, /^(em|strong)_(open|close)$/);
  if (emph) {
    const other = partner(toks, emph) ?? emph;
    const [o, c] = emph.start <= other.start ? [emph, other] : [other, emph];
    const open = paired(scan, o.start, o.end - o.start, v.start);
    const close = paired(scan, c.start, c.end - c.start, v.start);
    return mk({ kind: 'emphasis-pairs', markup: emph.markup, open, close });
  }
  const strike = inside.find((t) => t.type === 's_open' || t.type === 's_close') ?? crossing(toks, v, /^s_(open|close)$/);
  if (strike) return mk({ kind: 'strikethrough' });
  const code = inside.find((t) => t.type === 'code_inline') ?? crossing(toks, v, /^code_inline$/);
  if (code) return mk({ kind: 'code-span' });
  const br = inside.find((t) => t.type === 'hardbreak');
  if (br) return mk({ kind: 'hard-break' });

  const src = scan.text;
  const afterClose = src[v.end];
  if (afterClose !== undefined && /[A-Za-z0-9_]/.test(afterClose)) {
    return mk({ kind: 'text-after-close', char: afterClose });
  }
  if (v.display && v.syntax === 'double-dollar') {
    const body = src.slice(v.start, v.end);
    if (/\n[ \t]*\r?\n/.test(body)) return mk({ kind: 'blank-line-in-display' });
    const list = listMarkerLine(body);
    if (list) return mk({ kind: 'list-in-display', marker: list.marker, at: { start: v.start + list.at, end: v.start + list.at + 1 } });
    const lineStart = src.lastIndexOf('\n', v.start - 1) + 1;
    // Text touching the opening `$$` is the cause below (text-before-open), not the text around it.
    const glued = v.start > lineStart && !canPrecedeOpener(src[v.start - 1]) && src[v.start - 1] !== '$';
    if (!glued && (src.slice(lineStart, v.start).trim() !== '' || /^\$\$[ \t]/.test(body))) {
      return mk({ kind: 'display-not-alone' });
    }
  }

  // Delimiter rules on the text as GitHub sees it.
  const before = v.start > 0 ? src[v.start - 1] : undefined;
  const runStart = v.start === 0 || toks.some((t) => t.end === v.start && t.type !== 'text' && t.type !== 'softbreak' && t.type !== 'text_special') || src[v.start - 1] === '\n';
  if (!runStart && before !== undefined && !canPrecedeOpener(before) && !(before === '$')) {
    return mk({ kind: 'text-before-open', char: before });
  }
  if (before === '$') return mk({ kind: 'adjacent-formulas' });
  const d = v.syntax === 'double-dollar' ? 2 : 1;
  const first = src[v.start + d];
  if (v.syntax === 'double-dollar' && (first === '\n' || first === '\r')) {
    // `$$` on a line of its own, right after a line of text: the paragraph of the text swallows it.
    const lineStart = src.lastIndexOf('\n', v.start - 1) + 1;
    const prevStart = lineStart > 0 ? src.lastIndexOf('\n', lineStart - 2) + 1 : -1;
    if (lineStart === v.start && prevStart >= 0 && src.slice(prevStart, lineStart).trim() !== '') {
      return mk({ kind: 'text-before-display' });
    }
  }
  if (first === ' ' || first === '\t' || first === '\n') return mk({ kind: 'space-after-open' });
  const last = src[v.end - d - 1];
  const after = src[v.end];
  if (last === ' ' && (after === undefined || after === ' ' || after === '\n' || after === '\r')) {
    return mk({ kind: 'space-before-close' });
  }
  if (/\\\$/.test(src.slice(v.bodyStart, v.bodyEnd))) {
    return mk({ kind: 'escaped-dollar' });
  }
  return mk({ kind: 'stray-dollar' });
}

/**
 * The first line after the first of a multi-line `$$` formula that starts a bullet list on GitHub: `+`, `-` or `*`
 * (after up to three spaces, and any `>` of a blockquote) followed by a space and text. A list item may interrupt a
 * paragraph, so the formula's paragraph ends there. Offsets are relative to `written` (the formula, delimiters included).
 */
export function listMarkerLine(written: string): { marker: string; at: number } | undefined {
  const re = /\n((?:[ \t]*>)*[ \t]{0,3})([-+*])[ \t]+(?=\S)/g;
  const m = re.exec(written);
  if (!m) return undefined;
  return { marker: m[2], at: m.index + 1 + m[1].length };
}

/** ASCII punctuation: what Markdown lets a backslash escape. */
const PUNCT = /[!-/:-@[-`{-~]/;

/**
 * Are the Markdown escapes of this body written for GitHub? True when there is at least one and each of them gives
 * GitHub's MathJax what the author meant: `\\` before punctuation or another backslash (`\\{` → `\{`,
 * `\\\\` → `\\`), and `\_`, `\*` (an escaped subscript or star: `a\_{ij}` → `a_{ij}`). A lone `\{`, `\,`, `\|`
 * (whose backslash GitHub eats) or `\\` before a space or letter makes it false.
 */
export function escapesWrittenForGithub(body: string, display: boolean): boolean {
  let any = false;
  for (let i = 0; i < body.length; i++) {
    if (body[i] !== '\\') continue;
    const c = body[i + 1];
    if (c === undefined || !PUNCT.test(c)) {
      i++;
      continue;
    }
    if (c === '_' || c === '*') {
      any = true;
      i++;
      continue;
    }
    if (c !== '\\') return false;
    const x = body[i + 2];
    if (x === '\\' && body[i + 3] === '\\') {
      // `\\\\`: two escapes giving the row break `\\`
      any = true;
      i += 3;
      continue;
    }
    if (x !== undefined && x !== '\\' && PUNCT.test(x)) {
      // `\\{`: the escape gives `\`, which with the `{` after it is the control symbol `\{`
      any = true;
      i++;
      continue;
    }
    // `\\` at the end of a line of a display formula is a row break in both readings; elsewhere GitHub eats one.
    if (display && (x === undefined || x === '\n' || /^[ \t]*(\r?\n|$)/.test(body.slice(i + 2)))) {
      i++;
      continue;
    }
    return false;
  }
  return any;
}

function damaged(scan: DetailedScan, v: VscodeMath, g: GithubMath, mk: (cause: NearMissCause, github?: GithubMath) => NearMiss): NearMiss {
  const body = scan.text.slice(v.bodyStart, v.bodyEnd);
  if (escapesWrittenForGithub(body, v.display)) return mk({ kind: 'escaped-for-github' }, g);
  const esc = /\\([!-/:-@[-`{-~])/.exec(body);
  if (/\\\\(?![ \t]*\r?\n)/.test(body) && g.syntax !== 'dollar' && body.includes('\\\\')) {
    const mid = /\\\\[ \t]*[^\s\\]/.exec(body);
    if (mid) return mk({ kind: 'row-break-mid-line', at: { start: v.bodyStart + mid.index, end: v.bodyStart + mid.index + 2 } }, g);
  }
  if (esc) {
    const at = v.bodyStart + esc.index;
    const sequences = [...new Set(body.match(/\\[!-/:-@[-`{-~]/g) ?? [])];
    return mk({ kind: 'escape-eaten', sequence: esc[0], sequences, at: { start: at, end: at + esc[0].length } }, g);
  }
  if (/&(#\d+|#x[0-9a-f]+|[a-z][a-z0-9]*);/i.test(body)) return mk({ kind: 'entity-decoded' }, g);
  if (/<[A-Za-z/]/.test(body)) return mk({ kind: 'tag-dropped' }, g);
  return mk({ kind: 'tex-differs' }, g);
}

/** Per-scan indexes (built once, so diagnosing n near misses stays linear). */
interface ScanIndex {
  byBlock: Map<number, InlineTokenInfo[]>;
  blockIndex: Map<object, number>;
  /** Disjoint spans sorted by start. */
  code: { start: number; end: number }[];
  html: { start: number; end: number }[];
  /** The scan's unrendered written formulas by start. */
  unrendered: Map<number, UnrenderedFormula>;
}
const indexCache = new WeakMap<DetailedScan, ScanIndex>();

/** Is [start, end) inside one of the sorted, disjoint spans? */
function containedIn(spans: { start: number; end: number }[], start: number, end: number): boolean {
  let lo = 0;
  let hi = spans.length - 1;
  let best = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (spans[mid].start <= start) {
      best = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return best >= 0 && end <= spans[best].end;
}

function indexes(scan: DetailedScan): ScanIndex {
  let ix = indexCache.get(scan);
  if (!ix) {
    const byBlock = new Map<number, InlineTokenInfo[]>();
    for (const t of scan.tokens) {
      const list = byBlock.get(t.block);
      if (list) list.push(t);
      else byBlock.set(t.block, [t]);
    }
    const blockIndex = new Map<object, number>();
    scan.blocks.forEach((b, i) => blockIndex.set(b, i));
    const sorted = (xs: { start: number; end: number }[]) => [...xs].sort((a, b) => a.start - b.start);
    const unrendered = new Map<number, UnrenderedFormula>();
    for (const u of scan.unrendered) unrendered.set(u.start, u);
    ix = { byBlock, blockIndex, code: sorted(scan.code), html: sorted(scan.htmlBlocks), unrendered };
    indexCache.set(scan, ix);
  }
  return ix;
}

function tokensOf(scan: DetailedScan, block: DetailedScan['blocks'][number]): InlineTokenInfo[] {
  const ix = indexes(scan);
  return ix.byBlock.get(ix.blockIndex.get(block) ?? -1) ?? [];
}

/** The inline block containing an offset (blocks are in document order and do not overlap). */
function blockAt(scan: DetailedScan, offset: number): DetailedScan['blocks'][number] | undefined {
  const bs = scan.blocks;
  let lo = 0;
  let hi = bs.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (bs[mid].end < offset) lo = mid + 1;
    else if (bs[mid].start > offset) hi = mid - 1;
    else return bs[mid];
  }
  return undefined;
}

interface Span {
  type: string;
  markup: string;
  start: number;
  end: number;
}

/** Spans of em/strong/link/raw-html regions reconstructed from open/close tokens. */
function enclosingSpans(toks: InlineTokenInfo[]): Span[] {
  const out: Span[] = [];
  const stack: { type: string; start: number; markup: string }[] = [];
  for (const t of toks) {
    const m = /^(em|strong|link|s)_(open|close)$/.exec(t.type);
    if (m) {
      if (m[2] === 'open') stack.push({ type: m[1], start: t.start, markup: t.markup });
      else {
        for (let k = stack.length - 1; k >= 0; k--) {
          if (stack[k].type === m[1]) {
            out.push({ type: m[1], markup: stack[k].markup, start: stack[k].start, end: t.end });
            stack.splice(k, 1);
            break;
          }
        }
      }
      continue;
    }
    if (t.type === 'html_inline') {
      const h = /^<\s*(\/?)\s*(b|a|em|code|pre)\b[^>]*>$/i.exec(t.content.trim());
      if (!h) continue;
      if (!h[1]) stack.push({ type: `html:${h[2].toLowerCase()}`, start: t.start, markup: '' });
      else {
        const name = `html:${h[2].toLowerCase()}`;
        for (let k = stack.length - 1; k >= 0; k--) {
          if (stack[k].type === name) {
            out.push({ type: 'rawhtml', markup: '', start: stack[k].start, end: t.end });
            stack.splice(k, 1);
            break;
          }
        }
      }
    }
  }
  return out;
}

/** A token of the given type that starts or ends inside the formula's span (emphasis pairing across formulas). */
function crossing(toks: InlineTokenInfo[], v: VscodeMath, type: RegExp): InlineTokenInfo | undefined {
  return toks.find((t) => type.test(t.type) && ((t.start > v.start && t.start < v.end) || (t.end > v.start && t.end < v.end)));
}

/** The token closing an `em_open`/`strong_open` (or opening a `*_close`): markdown-it nests them properly. */
function partner(toks: InlineTokenInfo[], t: InlineTokenInfo): InlineTokenInfo | undefined {
  const m = /^(em|strong)_(open|close)$/.exec(t.type);
  if (!m) return undefined;
  const i = toks.indexOf(t);
  const step = m[2] === 'open' ? 1 : -1;
  let depth = 0;
  for (let k = i + step; k >= 0 && k < toks.length; k += step) {
    if (toks[k].type === `${m[1]}_${m[2]}`) depth++;
    else if (toks[k].type === `${m[1]}_${m[2] === 'open' ? 'close' : 'open'}`) {
      if (depth === 0) return toks[k];
      depth--;
    }
  }
  return undefined;
}

/** An emphasis delimiter at [at, at + len): the formula VS Code renders around it (or its line), and where it is. */
function paired(scan: DetailedScan, at: number, len: number, ref: number): PairedDelimiter {
  const lineDelta = scan.lines.positionAt(at).line - scan.lines.positionAt(ref).line;
  const f = formulaAt(scan, at);
  if (f) {
    const quote = scan.text.slice(f.start, f.end);
    const ch = scan.text.slice(at, at + len);
    const body = scan.text.slice(f.bodyStart, f.bodyEnd);
    let nth = 0;
    let of = 0;
    for (let i = body.indexOf(ch); i >= 0; i = body.indexOf(ch, i + ch.length)) {
      if (body[i - 1] === '\\') continue;
      of++;
      if (f.bodyStart + i <= at) nth = of;
    }
    return { start: at, end: at + len, quote, quoteAt: at - f.start, inFormula: true, nth, of, lineDelta };
  }
  const ls = scan.text.lastIndexOf('\n', at - 1) + 1;
  const le = scan.text.indexOf('\n', at);
  const quote = scan.text.slice(ls, le < 0 ? undefined : le);
  return { start: at, end: at + len, quote, quoteAt: at - ls, inFormula: false, nth: 1, of: 1, lineDelta };
}

/** The VS Code formula whose body holds `at` (formulas are in document order and disjoint). */
function formulaAt(scan: DetailedScan, at: number): VscodeMath | undefined {
  const fs = scan.vscodeMath;
  let lo = 0;
  let hi = fs.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (fs[mid].end <= at) lo = mid + 1;
    else if (fs[mid].start > at) hi = mid - 1;
    else return fs[mid].bodyStart <= at && at < fs[mid].bodyEnd ? fs[mid] : undefined;
  }
  return undefined;
}
