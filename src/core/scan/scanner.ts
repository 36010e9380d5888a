// The GitHub math scanner: which formulas github.com renders, exactly where they are written, and which formulas
// VS Code's built-in preview renders that GitHub does not (near misses), each with a typed cause (causes.ts).
//
// Pipeline (spec GH-PIPE, §9): parse with a GFM-configured markdown-it whose inline tokens carry source positions,
// collect the runs of text between Markdown tokens (outside code, links, emphasis, footnotes, raw <b>/<a>/…),
// apply GitHub's `$` rules to each run, then compare with a model of VS Code's preview.
import type MarkdownIt from 'markdown-it';
import type Token from 'markdown-it/lib/token.mjs';
import { createGfmParser } from '../markdown/gfm';
import { instrumentPositions, type PositionedToken } from '../markdown/positions';
import { LineIndex } from '../text';
import { BlockContext, blocksExtent, toDocOffset, type ContentMap } from '../markdown/blocks';
import {
  browserTexForDisplay,
  canFollowCloser,
  canPrecedeOpener,
  pairsTextDollars,
  scanDollarRun,
  splitDisplayParagraph,
  writtenFormulas,
} from './dollars';
import type { DetailedScan, FenceBlock, GithubMath, InlineBlockInfo, InlineTokenInfo, MathContext, NearMiss, UnrenderedFormula, VscodeMath, WrittenCause } from './types';
import { causeSpans } from './causes';

export type { DetailedScan, InlineBlockInfo, InlineTokenInfo } from './types';
import { scanVscode } from './vscodeModel';
import { diagnose } from './diagnose';

let shared: MarkdownIt | undefined;

export function githubParser(): MarkdownIt {
  if (!shared) {
    shared = createGfmParser();
    instrumentPositions(shared);
    // Keep escapes and entities as separate tokens: their source spans differ from their decoded text.
    shared.core.ruler.disable('text_join');
  }
  return shared;
}

/** Scan a Markdown document. Never throws for any input text. */
export function scanDocument(text: string): DetailedScan {
  const norm = normalize(text);
  const scan = scanNormalized(norm.text);
  if (norm.map) remapScan(scan, norm.map, text);
  return scan;
}

function scanNormalized(text: string): DetailedScan {
  return scanTokens(text, githubParser().parse(text, {}));
}

/**
 * Scan an already parsed token stream (from a parser set up with instrumentPositions). Used by scanDocument and by
 * the markdown-it plugin, so the linter and the preview share one tokenizer. Records each inline child's absolute
 * source span on the token (`absStart`/`absEnd`).
 */
export function scanTokens(text: string, tokens: Token[]): DetailedScan {
  const lines = new LineIndex(text);
  const walker = new GithubWalker(text, lines);
  walker.walk(tokens);
  walker.sortBlocks();
  const vscodeExtent = { end: 0 };
  const vscodeMath = scanVscode(text, lines, vscodeExtent);
  const result: DetailedScan = {
    text,
    lines,
    math: walker.math,
    vscodeMath,
    nearMisses: [],
    fences: walker.fences,
    tokens: walker.inlineTokens,
    blocks: walker.blocks,
    htmlBlocks: walker.htmlBlocks,
    code: walker.code,
    unrendered: walker.unrendered,
    extent: { github: blocksExtent(tokens), vscode: vscodeExtent.end },
  };
  result.nearMisses = findNearMisses(result);
  return result;
}

// ---------------------------------------------------------------------------------------------------------------

interface Segment {
  /** Decoded text of the segment. */
  text: string;
  start: number;
  end: number;
  /** Verbatim copy of the source (each character at start + i). */
  verbatim: boolean;
  /** Exact offset of each character when the copy is not contiguous (table cells with `\|`). */
  offsets?: number[];
}

interface Run {
  segments: Segment[];
  /** Run text is not scanned for GitHub math (inside em, link text, raw <b>, footnote, suppressed). */
  dead: boolean;
  block: number;
}

const SKIP_HTML = /^<\s*(\/?)\s*(b|a|em|code|pre)\b[^>]*>$/i;

class GithubWalker {
  readonly math: GithubMath[] = [];
  readonly fences: FenceBlock[] = [];
  readonly inlineTokens: InlineTokenInfo[] = [];
  readonly blocks: InlineBlockInfo[] = [];
  readonly htmlBlocks: { start: number; end: number }[] = [];
  readonly code: { start: number; end: number }[] = [];
  readonly unrendered: UnrenderedFormula[] = [];
  /** Offset of a raw `<b>` never closed: suppresses math in every later paragraph. */
  private strayBold: number | undefined;

  constructor(
    private readonly text: string,
    private readonly lines: LineIndex,
  ) {}

  private lineStart(line: number): number {
    return line < this.lines.lineCount ? this.lines.lineStarts[line] : this.text.length;
  }

  walk(tokens: Token[]): void {
    const blocks = new BlockContext(this.text, this.lines);
    let paragraphOpen = false;
    for (const t of tokens) {
      blocks.enter(t);
      switch (t.type) {
        case 'paragraph_open':
          paragraphOpen = true;
          break;
        case 'paragraph_close':
          paragraphOpen = false;
          break;
        case 'fence':
        case 'code_block':
          this.codeBlock(t, { ...blocks.context(), inTable: false, inHeading: false });
          break;
        case 'html_block':
          if (t.map) this.htmlBlocks.push({ start: this.lineStart(t.map[0]), end: this.lineStart(t.map[1]) });
          this.trackStrayBold(t.content, t.map ? this.lineStart(t.map[0]) : 0);
          break;
        case 'inline': {
          const base = blocks.contentMap(t);
          if (!base) break;
          const kind = blocks.inTable ? 'cell' : blocks.inHeading ? 'heading' : paragraphOpen ? 'paragraph' : 'other';
          const displayAllowed = !blocks.inList && !blocks.inTable && !blocks.inHeading && paragraphOpen;
          this.inline(t, base, blocks.context(), blocks.inFootnote, kind, displayAllowed);
          break;
        }
        default:
          break;
      }
    }
  }

  /**
   * Put the inline blocks in document order (renumbering the tokens' block indexes): the footnote plugin moves
   * footnote definitions to the end of the token stream, but lookups by offset need the blocks sorted.
   */
  sortBlocks(): void {
    const order = this.blocks.map((b, i) => ({ b, i })).sort((x, y) => x.b.start - y.b.start || x.i - y.i);
    if (order.every((o, k) => o.i === k)) return;
    const renumber = new Map<number, number>();
    order.forEach((o, k) => renumber.set(o.i, k));
    for (const t of this.inlineTokens) t.block = renumber.get(t.block) ?? t.block;
    this.blocks.splice(0, this.blocks.length, ...order.map((o) => o.b));
  }

  private codeBlock(t: Token, context: MathContext): void {
    if (!t.map) return;
    const start = this.lineStart(t.map[0]);
    const end = Math.min(this.text.length, t.map[1] < this.lines.lineCount ? this.lines.lineStarts[t.map[1]] : this.text.length);
    this.code.push({ start, end });
    if (t.type !== 'fence') return;
    const fence: FenceBlock = { info: t.info.trim(), content: t.content, line: t.map[0], contentLine: t.map[0] + 1, start, end };
    this.fences.push(fence);
    const lang = fence.info.split(/\s+/)[0]?.toLowerCase();
    if (lang !== 'math') return;
    const body = t.content.trim();
    if (body === '') return;
    const bodyStart = this.lineStart(t.map[0] + 1) + t.content.indexOf(body);
    const bodyEnd = bodyStart + body.length;
    this.math.push({
      syntax: 'fence',
      display: true,
      delimited: `$$${body}$$`,
      tex: browserTexForDisplay(body),
      start,
      end: trimEndOffset(this.text, end),
      range: this.lines.range(start, trimEndOffset(this.text, end)),
      bodyStart,
      bodyEnd,
      context,
    });
  }

  private trackStrayBold(raw: string, base: number): void {
    // Comments are not tags: blank them out (same length, so offsets stay right).
    const html = raw.replace(/<!--[\s\S]*?-->/g, (c) => ' '.repeat(c.length));
    const re = /<\s*(\/?)\s*b\b[^>]*>/gi;
    let m: RegExpExecArray | null;
    while ((m = re.exec(html))) {
      if (m[1]) this.strayBold = undefined;
      else this.strayBold = base + m.index;
    }
  }

  private inline(t: Token, map: ContentMap, context: MathContext, inFootnote: boolean, kind: InlineBlockInfo['kind'], displayAllowed: boolean): void {
    const abs = (o: number): number => toDocOffset(map, o);
    const children = (t.children ?? []) as PositionedToken[];
    const blockIndex = this.blocks.length;
    const blockStart = abs(0);
    const blockEnd = abs(t.content.length);
    const block: InlineBlockInfo = { start: blockStart, end: blockEnd, context, inFootnote, kind };
    if (this.strayBold !== undefined) block.suppressedBy = this.strayBold;
    this.blocks.push(block);

    for (const c of children) {
      const s = abs(c.srcStart ?? 0);
      const e = abs(c.srcEnd ?? c.srcStart ?? 0);
      (c as AbsToken).absStart = s;
      (c as AbsToken).absEnd = e;
      // Text-like tokens are the bulk of a document and nothing downstream needs them individually.
      if (c.type !== 'text' && c.type !== 'text_special' && c.type !== 'softbreak') {
        this.inlineTokens.push({ type: c.type, content: c.content, markup: c.markup, start: s, end: e, block: blockIndex });
      }
      if (c.type === 'code_inline') this.code.push({ start: s, end: e });
    }

    const dead0 = inFootnote || block.suppressedBy !== undefined;
    // Display paragraph: only text (no other tokens) consisting of `$$…$$` formulas.
    if (displayAllowed && !dead0 && children.every((c) => c.type === 'text' || c.type === 'softbreak' || c.type === 'text_special')) {
      const run = this.collectRun(children, 0, children.length, abs, blockIndex, false).run;
      const decoded = runText(run);
      const formulas = splitDisplayParagraph(decoded.text);
      if (formulas) {
        for (const f of formulas) {
          const body = decoded.text.slice(f.start + 2, f.end - 2);
          this.pushMath('double-dollar', true, decoded, f.start, f.end, `$$${body}$$`, browserTexForDisplay(body), context);
        }
        this.finishInlineHtml(children);
        return;
      }
    }

    let emDepth = 0;
    let linkDepth = 0;
    let htmlSkip = 0;
    let i = 0;
    let pendingBacktickClose = false;
    while (i < children.length) {
      const c = children[i];
      if (c.type === 'text' || c.type === 'softbreak' || c.type === 'text_special') {
        const dead = dead0 || emDepth > 0 || linkDepth > 0 || htmlSkip > 0;
        const { run, next } = this.collectRun(children, i, children.length, abs, blockIndex, dead);
        // Backtick form: `$` `code` `$` — the run before ends with `$`, the run after starts with `$`.
        if (pendingBacktickClose) {
          dropFirstChar(run);
          pendingBacktickClose = false;
        }
        const after = children[next];
        if (!dead && after?.type === 'code_inline' && endsWithDollar(run) && children[next + 1] && startsWithDollar(children[next + 1])) {
          const decoded = runText(run);
          const before = decoded.text.length >= 2 ? decoded.text[decoded.text.length - 2] : undefined;
          if (canPrecedeOpener(before)) {
            const nextRun = children[next + 1];
            const afterCh = nextRun.content[1];
            if (canFollowCloser(afterCh) || afterCh === undefined) {
              const open = decoded.startAt(decoded.text.length - 1);
              const closeEnd = abs((nextRun.srcStart ?? 0) + 1);
              const codeStart = abs(after.srcStart ?? 0);
              const codeEnd = abs(after.srcEnd ?? 0);
              const tickLen = after.markup.length;
              this.math.push({
                syntax: 'backtick',
                display: false,
                delimited: `$${after.content}$`,
                tex: after.content,
                start: open,
                end: closeEnd,
                range: this.lines.range(open, closeEnd),
                bodyStart: codeStart + tickLen,
                bodyEnd: codeEnd - tickLen,
                context,
              });
              dropLastChar(run);
              pendingBacktickClose = true;
            }
          }
        }
        if (!run.dead) this.scanRun(run, context);
        i = next;
        continue;
      }
      pendingBacktickClose = pendingBacktickClose && c.type === 'code_inline';
      switch (c.type) {
        case 'em_open':
          emDepth++;
          break;
        case 'em_close':
          emDepth = Math.max(0, emDepth - 1);
          break;
        case 'link_open':
          linkDepth++;
          break;
        case 'link_close':
          linkDepth = Math.max(0, linkDepth - 1);
          break;
        case 'html_inline': {
          const m = SKIP_HTML.exec(c.content.trim());
          if (m) {
            if (m[1]) htmlSkip = Math.max(0, htmlSkip - 1);
            else htmlSkip++;
          }
          break;
        }
        default:
          break;
      }
      i++;
    }
    this.finishInlineHtml(children);
  }

  /** A raw `<b>` opened in this paragraph and never closed suppresses math in later paragraphs (ORACLE D-$5). */
  private finishInlineHtml(children: PositionedToken[]): void {
    for (const c of children) {
      if (c.type !== 'html_inline') continue;
      const m = /^<\s*(\/?)\s*b\b[^>]*>$/i.exec(c.content.trim());
      if (!m) continue;
      if (m[1]) this.strayBold = undefined;
      else this.strayBold = this.inlineTokens.find((x) => x.type === 'html_inline' && x.content === c.content)?.start ?? 0;
    }
  }

  private collectRun(children: PositionedToken[], from: number, to: number, abs: (o: number) => number, block: number, dead: boolean): { run: Run; next: number } {
    const segments: Segment[] = [];
    let i = from;
    for (; i < to; i++) {
      const c = children[i];
      if (c.type === 'text') {
        const s = c.srcStart ?? 0;
        const start = abs(s);
        const end = abs(s + c.content.length);
        const seg: Segment = { text: c.content, start, end, verbatim: true };
        if (end - start !== c.content.length) {
          seg.offsets = [];
          for (let k = 0; k <= c.content.length; k++) seg.offsets.push(abs(s + k));
        }
        segments.push(seg);
      } else if (c.type === 'text_special') {
        segments.push({ text: c.content, start: abs(c.srcStart ?? 0), end: abs(c.srcEnd ?? 0), verbatim: false });
      } else if (c.type === 'softbreak') {
        segments.push({ text: '\n', start: abs(c.srcStart ?? 0), end: abs(c.srcEnd ?? 0), verbatim: false });
      } else break;
    }
    return { run: { segments, dead, block }, next: i };
  }

  private scanRun(run: Run, context: MathContext): void {
    if (!run.segments.some((seg) => seg.text.includes('$'))) return;
    const decoded = runText(run);
    const first = this.math.length;
    const spans = scanDollarRun(decoded.text);
    for (const span of spans) {
      const body = decoded.text.slice(span.start + (span.double ? 2 : 1), span.end - (span.double ? 2 : 1));
      const delimited = decoded.text.slice(span.start, span.end);
      this.pushMath(span.double ? 'double-dollar' : 'dollar', false, decoded, span.start, span.end, delimited, body, context);
    }
    this.findUnrendered(decoded, spans, this.math.slice(first), context);
  }

  /** The formulas written in a run that GitHub's spans (`rendered`, from the same run) do not render as written. */
  private findUnrendered(decoded: DecodedRun, rendered: { start: number; end: number }[], math: GithubMath[], context: MathContext): void {
    const s = decoded.text;
    for (const w of writtenFormulas(s)) {
      if (rendered.some((r) => r.start === w.start && r.end === w.end)) continue;
      const d = w.double ? 2 : 1;
      if (s.slice(w.start + d, w.end - d).trim() === '') continue;
      const causes: WrittenCause[] = [];
      const before = w.start > 0 ? s[w.start - 1] : undefined;
      const after = s[w.end];
      if (before === '$' || w.extraDollars > 0) causes.push('dollar-run');
      if (!canPrecedeOpener(before) && before !== '$') causes.push('text-before-opener');
      if (/\s/.test(s[w.start + d])) causes.push('space-after-opener');
      if (after !== undefined && after !== '$' && !canFollowCloser(after)) causes.push('text-after-closer');
      if (/\s/.test(s[w.end - d - 1]) && (after === undefined || /\s/.test(after))) causes.push('space-before-closer');
      if (w.nested) causes.push('nested-dollar');
      if (causes.length === 0) causes.push('paired-differently');
      const start = decoded.startAt(w.start);
      const end = decoded.endAt(w.end - 1);
      // A delimiter written as `\$` or `&#36;` is a dollar its author meant as text (GH-IN-10 is MW005's business).
      const delim = '$'.repeat(d);
      if (this.text.slice(start, start + d) !== delim || this.text.slice(end - d, end) !== delim) continue;
      const ghs = math.filter((g) => g.start < end && start < g.end);
      this.unrendered.push({
        double: w.double,
        start,
        end,
        range: this.lines.range(start, end),
        bodyStart: decoded.startAt(w.start + d),
        bodyEnd: decoded.endAt(w.end - d - 1),
        causes,
        github: ghs,
        context,
      });
    }
  }

  private pushMath(syntax: GithubMath['syntax'], display: boolean, decoded: DecodedRun, s: number, e: number, delimited: string, tex: string, context: MathContext): void {
    const start = decoded.startAt(s);
    const end = decoded.endAt(e - 1);
    const d = syntax === 'double-dollar' ? 2 : 1;
    const bodyStart = decoded.startAt(Math.min(s + d, e - 1));
    const bodyEnd = decoded.endAt(Math.max(e - 1 - d, s));
    this.math.push({ syntax, display, delimited, tex, start, end, range: this.lines.range(start, end), bodyStart, bodyEnd, context });
  }
}

export interface AbsToken extends PositionedToken {
  absStart?: number;
  absEnd?: number;
}

/** Decoded text of a run, with the source offsets of each character computed on demand. */
class DecodedRun {
  readonly text: string;
  /** Index in `text` where each segment starts. */
  private readonly firsts: number[];

  constructor(private readonly segments: Segment[]) {
    let text = '';
    this.firsts = [];
    for (const seg of segments) {
      this.firsts.push(text.length);
      text += seg.text;
    }
    this.text = text;
  }

  private locate(i: number): [Segment, number] {
    const f = this.firsts;
    let lo = 0;
    let hi = f.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (f[mid] <= i) lo = mid;
      else hi = mid - 1;
    }
    // Skip empty segments that share the index.
    while (lo + 1 < f.length && f[lo + 1] <= i) lo++;
    return [this.segments[lo], i - f[lo]];
  }

  /** Source offset where the character at index i starts. */
  startAt(i: number): number {
    const [seg, k] = this.locate(i);
    if (seg.offsets) return seg.offsets[k];
    return seg.verbatim ? seg.start + k : seg.start;
  }

  /** Source offset just after the character at index i. */
  endAt(i: number): number {
    const [seg, k] = this.locate(i);
    if (seg.offsets) return seg.offsets[k + 1];
    return seg.verbatim ? seg.start + k + 1 : seg.end;
  }
}

function runText(run: Run): DecodedRun {
  return new DecodedRun(run.segments);
}

function endsWithDollar(run: Run): boolean {
  const last = run.segments[run.segments.length - 1];
  return !!last && last.verbatim && last.text.endsWith('$');
}

function startsWithDollar(t: PositionedToken): boolean {
  return t.type === 'text' && t.content.startsWith('$');
}

function dropLastChar(run: Run): void {
  const last = run.segments[run.segments.length - 1];
  last.text = last.text.slice(0, -1);
  last.end -= 1;
}

function dropFirstChar(run: Run): void {
  const first = run.segments[0];
  if (!first) return;
  first.text = first.text.slice(1);
  first.start += 1;
}

function trimEndOffset(text: string, end: number): number {
  let e = end;
  while (e > 0 && (text[e - 1] === '\n' || text[e - 1] === '\r')) e--;
  return e;
}

// ---------------------------------------------------------------------------------------------------------------

function findNearMisses(scan: DetailedScan): NearMiss[] {
  const byStart = new Map<number, GithubMath>();
  for (const g of scan.math) byStart.set(g.start, g);
  const sorted = [...scan.math].sort((a, b) => a.start - b.start);
  /** The first GitHub formula overlapping [s, e) (binary search on the sorted, disjoint formulas). */
  const overlapping = (s: number, e: number): GithubMath | undefined => {
    let lo = 0;
    let hi = sorted.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid].end <= s) lo = mid + 1;
      else hi = mid;
    }
    const m = sorted[lo];
    return m && m.start < e && s < m.end ? m : undefined;
  };
  // Delimiters of the formulas as written: a VS Code "formula" from the closing `$` of one to the opening `$` of the
  // next is the prose between them (`$a$$= b$ and we use $c$`), not a formula anyone meant.
  const closers = new Set<number>();
  const openers = new Set<number>();
  for (const f of [...scan.math, ...scan.unrendered]) {
    closers.add(f.end - 1);
    openers.add(f.start);
  }
  const out: NearMiss[] = [];
  for (const v of scan.vscodeMath) {
    if (v.tex.trim() === '') continue;
    if (v.syntax === 'dollar' && (pairsTextDollars(scan.text, v.start, v.end) || (closers.has(v.start) && openers.has(v.end - 1)))) continue;
    const g = byStart.get(v.start) ?? overlapping(v.start, v.end);
    const nm = diagnose(scan, v, g);
    if (nm) out.push(nm);
  }
  return out;
}

export type { VscodeMath };

// ---------------------------------------------------------------------------------------------------------------
// Line-ending normalisation: markdown-it works on "\n" text; offsets are mapped back to the original.

function normalize(text: string): { text: string; map?: number[] } {
  if (text.indexOf('\r') < 0) return { text };
  const map: number[] = [];
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\r') {
      map.push(i);
      out += '\n';
      if (text[i + 1] === '\n') i++;
    } else {
      map.push(i);
      out += c;
    }
  }
  map.push(text.length);
  return { text: out, map };
}

function remapScan(scan: DetailedScan, map: number[], original: string): void {
  const m = (o: number): number => map[Math.max(0, Math.min(o, map.length - 1))];
  const lines = new LineIndex(original);
  const fix = <T extends { start: number; end: number }>(x: T): void => {
    x.start = m(x.start);
    x.end = m(x.end);
    if ('range' in x) (x as unknown as { range: unknown }).range = lines.range(x.start, x.end);
    if ('bodyStart' in x) {
      const b = x as unknown as { bodyStart: number; bodyEnd: number };
      b.bodyStart = m(b.bodyStart);
      b.bodyEnd = m(b.bodyEnd);
    }
  };
  scan.math.forEach(fix);
  scan.vscodeMath.forEach(fix);
  scan.nearMisses.forEach(fix);
  for (const n of scan.nearMisses) causeSpans(n.cause).forEach((s) => {
    s.start = m(s.start);
    s.end = m(s.end);
  });
  scan.fences.forEach(fix);
  scan.tokens.forEach(fix);
  scan.blocks.forEach((b) => {
    b.start = m(b.start);
    b.end = m(b.end);
    if (b.suppressedBy !== undefined) b.suppressedBy = m(b.suppressedBy);
  });
  scan.htmlBlocks.forEach(fix);
  scan.code.forEach(fix);
  scan.unrendered.forEach(fix);
  scan.text = original;
  scan.lines = lines;
}
