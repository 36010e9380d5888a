// Explains a near miss: a formula VS Code's preview renders that GitHub does not render, or renders differently.
// Each explanation names the spec rule (github-math-rules.md) and says what GitHub will show.
import { canPrecedeOpener } from './dollars';
import { PORTABLE_ESCAPES } from '../tex/portable';
import type { DetailedScan, InlineTokenInfo } from './scanner';
import type { GithubMath, NearMiss, VscodeMath } from './types';

export function describeChar(c: string): string {
  const code = c.codePointAt(0) ?? 0;
  const hex = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  if (c === '\u00a0') return 'a no-break space (U+00A0)';
  if (c === '\u3000') return 'an ideographic space (U+3000)';
  if (/[\u3000-\u303f\uff00-\uffef]/.test(c)) return `the full-width character \`${c}\``;
  if (/[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]/.test(c)) return `the CJK character \`${c}\``;
  if (/[A-Za-z0-9]/.test(c)) return `the letter or digit \`${c}\``;
  if (code > 127) return `the character \`${c}\` (${hex})`;
  if (c === '`') return 'a backtick';
  return `\`${c}\``;
}

function show(s: string, max = 40): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

const normTex = (s: string): string => s.replace(/\s+/g, ' ').trim();

export function diagnose(scan: DetailedScan, v: VscodeMath, g: GithubMath | undefined): NearMiss | undefined {
  const mk = (rule: string, message: string, github?: GithubMath): NearMiss => ({
    rule,
    message,
    start: v.start,
    end: v.end,
    range: v.range,
    vscode: v,
    github,
  });

  // VS Code runs an unclosed `$$` on to the end of the document: that is the problem, whatever GitHub makes of it.
  if (v.syntax === 'double-dollar' && !(v.end - v.start >= 4 && scan.text.startsWith('$$', v.end - 2))) {
    return mk('GH-DISP-02', 'This `$$` is never closed.', g);
  }
  if (g) {
    if (v.display === g.display && normTex(v.tex) === normTex(g.tex)) return undefined;
    if (g.start !== v.start || g.end !== v.end) {
      if (/\\\$/.test(scan.text.slice(v.bodyStart, v.bodyEnd))) {
        return mk('GH-IN-11', `GitHub shows this wrongly: Markdown turns \`\\$\` into \`$\`, which closes the formula early (GitHub renders only \`${show(g.delimited)}\`). Use the \`\` $\`…\`$ \`\` form for formulas containing a dollar sign.`, g);
      }
    }
    if (g.start === v.start && g.end === v.end || (v.display && !g.display)) {
      if (v.display && !g.display) {
        if (g.context.inList) return mk('GH-DISP-06', 'GitHub renders this `$$…$$` inline, not as a display block, because it is inside a list item. Move it out of the list or use a ```math fence outside the list.', g);
        if (g.context.inHeading) return mk('GH-CTX-05', 'GitHub renders `$$…$$` in a heading inline-style.', g);
        if (g.context.inTable) return mk('GH-DISP-01', 'GitHub renders `$$…$$` in a table cell inline-style.', g);
        const after = scan.text.slice(v.end, scan.text.indexOf('\n', v.end) < 0 ? undefined : scan.text.indexOf('\n', v.end));
        if (after.trim() !== '') return mk('GH-DISP-08', 'GitHub renders this `$$…$$` inline, not as a display block, because text follows the closing `$$` on the same line. Put the formula in a paragraph of its own (blank lines before and after).', g);
        return mk('GH-DISP-01', 'GitHub renders this `$$…$$` inline, not as a display block, because its paragraph also contains text. Put blank lines before and after the formula.', g);
      }
      if (normTex(v.tex) !== normTex(g.tex)) return damaged(scan, v, g, mk);
      return undefined;
    }
    return mk('GH-IN-06', `GitHub pairs the \`$\` delimiters here differently from VS Code: it renders \`${show(g.delimited)}\`.`, g);
  }

  const block = blockAt(scan, v.start);
  if (block?.inFootnote) return mk('GH-CTX-02', 'GitHub shows this as plain text: math is not rendered inside footnotes. Move the formula out of the footnote.');
  if (block?.suppressedBy !== undefined) {
    const p = scan.lines.positionAt(block.suppressedBy);
    return mk('GH-HTML-01', `GitHub shows this as plain text: a raw \`<b>\` tag left open on line ${p.line + 1} suppresses math in every later paragraph. Close it with \`</b>\` or remove it.`);
  }
  if (containedIn(indexes(scan).html, v.start, v.end)) {
    return mk('GH-CTX-04', 'GitHub does not reliably render math inside a raw HTML block (for example `<details>`). Leave a blank line after the opening tags so the content is Markdown.');
  }
  if (containedIn(indexes(scan).code, v.start, v.end)) {
    return mk('GH-IN-12', 'GitHub shows this as code: `$` inside code is never math.');
  }

  const toks = block ? tokensOf(scan, block) : [];
  const inside = toks.filter((t) => t.start >= v.start && t.end <= v.end && t.type !== 'text' && t.type !== 'text_special' && t.type !== 'softbreak');
  const enclosing = enclosingSpans(toks);
  const within = (types: string[]): boolean => enclosing.some((s) => types.includes(s.type) && s.start <= v.start && v.end <= s.end);

  if (within(['link'])) return mk('GH-CTX-03', 'GitHub shows this as plain text: math is not rendered inside link text. Move the formula out of the link.');
  if (within(['em'])) return mk('GH-EMPH-02', 'GitHub shows this as plain text: math is not rendered inside *italic* text (bold works). Move the formula out of the emphasis or use bold.');
  if (within(['rawhtml'])) return mk('GH-EMPH-02', 'GitHub shows this as plain text: math is not rendered inside raw `<b>`, `<a>`, `<em>`, `<code>` or `<pre>` elements.');

  const html = inside.find((t) => t.type === 'html_inline');
  if (html) return mk('GH-HTML-01', `GitHub shows this as plain text: \`${show(html.content, 20)}\` is read as an HTML tag before math is looked for. Write \`\\lt\` / \`\\gt\` or put spaces around \`<\` and \`>\`.`);
  const link = inside.find((t) => t.type === 'link_open' || t.type === 'image');
  if (link) return mk('GH-LINK-01', 'GitHub shows this as plain text: `[…](…)` inside the formula is read as a Markdown link. Add a space between `]` and `(`, use `\\lbrack … \\rbrack`, or use the `` $`…`$ `` form.');
  const emph = inside.find((t) => /^(em|strong)_(open|close)$/.test(t.type)) ?? crossing(toks, v, /^(em|strong)_(open|close)$/);
  if (emph) {
    return mk('GH-EMPH-01', `GitHub shows this as plain text: the \`${emph.markup}\` ${emph.markup.startsWith('*') ? 'stars' : 'underscores'} pair up as Markdown emphasis before math is looked for. Write \`^\\ast\` for \`^*\`, or use the \`\` $\`…\`$ \`\` form.`);
  }
  const strike = inside.find((t) => t.type === 's_open' || t.type === 's_close') ?? crossing(toks, v, /^s_(open|close)$/);
  if (strike) return mk('GH-EMPH-03', 'GitHub shows this as plain text: `~` pairs form strikethrough before math is looked for. Write `\\nobreakspace` for a tie `~` (same space), or `\\sim` if similarity was meant.');
  const code = inside.find((t) => t.type === 'code_inline') ?? crossing(toks, v, /^code_inline$/);
  if (code) return mk('GH-IN-12', 'GitHub shows this as plain text: a code span inside the formula breaks it. Use the `` $`…`$ `` form for the whole formula.');
  const br = inside.find((t) => t.type === 'hardbreak');
  if (br) return mk('GH-IN-07', 'GitHub shows this as plain text: a hard line break (two trailing spaces or a trailing `\\`) splits the formula. Keep the formula on one line.');

  const src = scan.text;
  const afterClose = src[v.end];
  if (afterClose !== undefined && /[A-Za-z0-9_]/.test(afterClose)) {
    return mk('GH-IN-04', `GitHub shows this as plain text because ${describeChar(afterClose)} touches the closing \`$\`. Put a space after it.`);
  }
  if (v.display && v.syntax === 'double-dollar') {
    const body = src.slice(v.start, v.end);
    if (/\n[ \t]*\r?\n/.test(body)) return mk('GH-DISP-02', 'GitHub shows this as plain text: a blank line inside `$$ … $$` ends the paragraph, so the delimiters no longer pair. Remove the blank line or use a ```math fence.');
    const lineStart = src.lastIndexOf('\n', v.start - 1) + 1;
    if (src.slice(lineStart, v.start).trim() !== '' || /^\$\$[ \t]/.test(body)) {
      return mk('GH-DISP-04', 'GitHub shows this as plain text: `$$` with a space inside the delimiters, or with text around it, does not pair. Write `$$x$$` without inner padding, on its own paragraph, or use a ```math fence.');
    }
  }

  // Delimiter rules on the text as GitHub sees it.
  const before = v.start > 0 ? src[v.start - 1] : undefined;
  const runStart = v.start === 0 || toks.some((t) => t.end === v.start && t.type !== 'text' && t.type !== 'softbreak' && t.type !== 'text_special') || src[v.start - 1] === '\n';
  if (!runStart && before !== undefined && !canPrecedeOpener(before) && !(before === '$')) {
    return mk('GH-IN-01', `GitHub shows this as plain text because ${describeChar(before)} touches the opening \`$\`. Put a space before \`$\`.`);
  }
  if (before === '$') return mk('GH-IN-09', 'GitHub shows this as plain text: two formulas touch (`$…$$…$`) and the `$$` between them is read as a double delimiter. Put a space between the formulas or merge them.');
  const d = v.syntax === 'double-dollar' ? 2 : 1;
  const first = src[v.start + d];
  if (v.syntax === 'double-dollar' && (first === '\n' || first === '\r')) {
    // `$$` on a line of its own, right after a line of text: the paragraph of the text swallows it.
    const lineStart = src.lastIndexOf('\n', v.start - 1) + 1;
    const prevStart = lineStart > 0 ? src.lastIndexOf('\n', lineStart - 2) + 1 : -1;
    if (lineStart === v.start && prevStart >= 0 && src.slice(prevStart, lineStart).trim() !== '') {
      return { ...mk('GH-DISP-04', 'GitHub shows this as plain text: the `$$` line follows a line of text without a blank line, so it joins that paragraph and does not open a formula. Leave a blank line before `$$`.'), cause: 'text-before-display' };
    }
  }
  if (first === ' ' || first === '\t' || first === '\n') return mk('GH-IN-02', 'GitHub shows this as plain text: a space right after the opening `$` stops it from opening a formula (VS Code accepts it). Remove the space: `$x$`, not `$ x $`.');
  const last = src[v.end - d - 1];
  const after = src[v.end];
  if (last === ' ' && (after === undefined || after === ' ' || after === '\n' || after === '\r')) {
    return mk('GH-IN-05', 'GitHub shows this as plain text: a space before the closing `$` followed by a space or line end is not a closing delimiter. Remove the space before the closing `$`.');
  }
  if (/\\\$/.test(src.slice(v.bodyStart, v.bodyEnd))) {
    return mk('GH-IN-11', 'GitHub shows this wrongly: Markdown turns `\\$` into `$`, which closes the formula early. Use the `` $`…`$ `` form for formulas containing a dollar sign.');
  }
  return mk('GH-IN-06', 'GitHub shows this as plain text: an earlier `$` on the line opens a formula and GitHub tries only the first following `$` as its closer, so these delimiters never pair. Add a space after the stray `$`, write it as `<span>$</span>`, or use the `` $`…`$ `` form.');
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

function damaged(scan: DetailedScan, v: VscodeMath, g: GithubMath, mk: (rule: string, message: string, github?: GithubMath) => NearMiss): NearMiss {
  const body = scan.text.slice(v.bodyStart, v.bodyEnd);
  if (escapesWrittenForGithub(body, v.display)) {
    return {
      ...mk('GH-ESC-01', `GitHub renders this formula as meant: Markdown turns the escapes into \`${show(g.tex, 60)}\` for MathJax. VS Code's preview reads them literally, so only the preview shows it wrongly.`, g),
      cause: 'escaped-for-github',
    };
  }
  const esc = /\\([!-/:-@[-`{-~])/.exec(body);
  if (/\\\\(?![ \t]*\r?\n)/.test(body) && g.syntax !== 'dollar' && body.includes('\\\\')) {
    const midLine = /\\\\[ \t]*[^\s\\]/.test(body);
    if (midLine) return mk('GH-ESC-02', `GitHub breaks this formula: Markdown turns a \`\\\\\` row break in the middle of a line into \`\\\`, so rows collapse. Put each \`\\\\\` at the end of a line, or use a \`\`\`math fence. GitHub renders: \`${show(g.delimited)}\``, g);
  }
  if (esc) {
    const seq = esc[0];
    const portable = PORTABLE_ESCAPES[seq[1]];
    const hint: Record<string, string> = { '\\\\': 'a line end after `\\\\`' };
    if (portable) hint[seq] = `\`${portable}\``;
    const fix = hint[seq] ?? 'the `` $`…`$ `` form';
    return mk('GH-ESC-01', `GitHub renders this formula damaged: Markdown turns \`${seq}\` into \`${seq.slice(1)}\` before MathJax sees it (GitHub renders \`${show(g.delimited)}\`). Write ${fix} instead.`, g);
  }
  if (/&(#\d+|#x[0-9a-f]+|[a-z][a-z0-9]*);/i.test(body)) return mk('GH-ESC-04', `GitHub decodes the HTML entity before MathJax sees it (GitHub renders \`${show(g.delimited)}\`).`, g);
  if (/<[A-Za-z/]/.test(body)) return mk('GH-HTML-02', 'GitHub drops `<` followed by a letter: the browser reads it as an HTML tag. Write `\\lt` or put a space after `<`.', g);
  return mk('GH-ESC-01', `GitHub renders this formula differently from VS Code: MathJax receives \`${show(g.tex)}\`.`, g);
}

/** Per-scan indexes (built once, so diagnosing n near misses stays linear). */
interface ScanIndex {
  byBlock: Map<number, InlineTokenInfo[]>;
  blockIndex: Map<object, number>;
  /** Disjoint spans sorted by start. */
  code: { start: number; end: number }[];
  html: { start: number; end: number }[];
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
    ix = { byBlock, blockIndex, code: sorted(scan.code), html: sorted(scan.htmlBlocks) };
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
  start: number;
  end: number;
}

/** Spans of em/strong/link/raw-html regions reconstructed from open/close tokens. */
function enclosingSpans(toks: InlineTokenInfo[]): Span[] {
  const out: Span[] = [];
  const stack: { type: string; start: number }[] = [];
  for (const t of toks) {
    const m = /^(em|strong|link|s)_(open|close)$/.exec(t.type);
    if (m) {
      if (m[2] === 'open') stack.push({ type: m[1], start: t.start });
      else {
        for (let k = stack.length - 1; k >= 0; k--) {
          if (stack[k].type === m[1]) {
            out.push({ type: m[1], start: stack[k].start, end: t.end });
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
      if (!h[1]) stack.push({ type: `html:${h[2].toLowerCase()}`, start: t.start });
      else {
        const name = `html:${h[2].toLowerCase()}`;
        for (let k = stack.length - 1; k >= 0; k--) {
          if (stack[k].type === name) {
            out.push({ type: 'rawhtml', start: stack[k].start, end: t.end });
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
