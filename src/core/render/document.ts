// Incremental document renderer: Markdown → top-level blocks of sanitized HTML with typeset math.
//
// Why incremental: a one-formula edit in a 1,000-formula writeup should not re-parse and re-typeset the whole
// document (what the built-in preview does on every keystroke). The renderer keeps the previous parse as a list
// of top-level blocks (markdown-it block token maps). On an edit it re-parses only a window of blocks around the
// changed lines, plus one unchanged block before and after it as margins, widened to blank lines on both sides
// (a block's rendering reads the lines next to it: lazy continuation, setext underlines, the near-miss scanner's
// "follows a line of text"). When the margin block after re-parses exactly as before (same lines, same token
// structure), the parser state after it is the same as before, so every later block is unchanged; otherwise the
// window grows until it does (an unclosed fence grows it to the end of the document).
// Blocks are content-addressed (hash of their source, mode and rendering context), so their HTML is cached and a
// block's HTML never contains absolute positions (inner positions are relative to the block's first line).
// Documents whose rendering has document-wide state fall back to a full parse: link reference definitions in the
// re-parsed window (old or new text), footnotes in the changed text, footnotes anywhere (numbering), raw `<b>`
// (GitHub suppresses math after an unclosed one).
import type MarkdownIt from 'markdown-it';
import type Token from 'markdown-it/lib/token.mjs';
import type { CheckResult } from '../check/types';
import { isCheckFence } from '../scan/fences';
import { LineIndex } from '../text';
import { createGithubEngine, createVscodeEngine, type RenderEnv, type RenderMode, type VscodeEngine } from './engines';
import { contentKey, hash53 } from './hash';
import { KatexCache } from './katexCache';
import type { UrlKind } from './sanitize';
import type { NearMiss } from '../scan/types';
import { explainNearMiss } from '../lint/explain';
import { vscodeDisplayRegionsExact } from '../scan/vscodeRegions';
import { FOOTNOTE_MARK, LINK_REFERENCE_DEFINITION, RAW_BOLD } from '../markdown/documentState';
import type { BlockSplice, PreviewBlock } from '../../shared/previewMessages';
import { OffsetIndex } from '../scan/offsetIndex';

// The blocks and splices are exactly what the preview webview receives: one definition, in the message types.
export type { BlockSplice } from '../../shared/previewMessages';
export type RenderedBlock = PreviewBlock;

export interface RenderStats {
  fullParse: boolean;
  /** Lines handed to markdown-it. */
  parsedLines: number;
  /** Blocks whose HTML was rendered (not found in the block cache). */
  renderedBlocks: number;
  reusedBlocks: number;
  ms: number;
}

export interface RenderUpdate {
  version: number;
  blocks: RenderedBlock[];
  /** Changes against the previous update (undefined for the first render or after a reset). */
  splice?: BlockSplice;
  stats: RenderStats;
}

export interface DocumentRendererOptions {
  mode: RenderMode;
  /** Rewrite or refuse a URL (images: webview URIs, remote policy). Default: keep. */
  rewriteUrl?: (url: string, kind: UrlKind) => string | null;
  /** Identifies the URL policy (document folder, remote setting); a change invalidates the block cache. */
  contextKey?: string;
  /** Shared formula cache (so switching modes or documents keeps typeset formulas). */
  katexCache?: KatexCache;
  /** GitHub mode's typesetter (see EngineOptions.githubTypesetter); default 'katex'. */
  githubTypesetter?: 'katex' | 'mathjax';
  /** Checks cannot run where the page is shown (the web extension): what the check cards say instead. */
  checksUnavailable?: string;
}

interface BlockRec {
  key: string;
  start: number;
  end: number;
  sig: string;
  html: string;
}

interface ParsedBlock {
  start: number;
  end: number;
  tokens: Token[];
  sig: string;
}

const MACRO_DEF = /\\(?:gdef|xdef|edef|def|newcommand|renewcommand|providecommand|let|global)(?![a-zA-Z])/;

export class DocumentRenderer {
  readonly #cache: KatexCache;
  readonly #githubTypesetter: 'katex' | 'mathjax';
  readonly #checksUnavailable: string | undefined;
  #mode: RenderMode;
  #rewriteUrl: (url: string, kind: UrlKind) => string | null;
  #contextKey: string;
  #github?: MarkdownIt;
  #vscode?: VscodeEngine;
  #checkResults = new Map<string, CheckResult>();
  #checkStamp = 0;
  #htmlCache = new Map<string, string>();
  #prev?: {
    lines: string[];
    blocks: BlockRec[];
    references: unknown;
    positional: boolean;
    checkStamp: number;
    /** VS Code's multi-line `$$` formulas of this text (GitHub mode only). */
    regions: readonly [number, number][];
  };
  #version = 0;

  constructor(opts: DocumentRendererOptions) {
    this.#mode = opts.mode;
    this.#rewriteUrl = opts.rewriteUrl ?? ((u) => u);
    this.#contextKey = opts.contextKey ?? '';
    this.#cache = opts.katexCache ?? new KatexCache();
    this.#githubTypesetter = opts.githubTypesetter ?? 'katex';
    this.#checksUnavailable = opts.checksUnavailable;
  }

  get mode(): RenderMode {
    return this.#mode;
  }

  get katexCache(): KatexCache {
    return this.#cache;
  }

  /** Switch mode; the next update is a full render. */
  setMode(mode: RenderMode): void {
    if (mode === this.#mode) return;
    this.#mode = mode;
    this.#prev = undefined;
  }

  setUrlPolicy(rewriteUrl: (url: string, kind: UrlKind) => string | null, contextKey: string): void {
    this.#rewriteUrl = rewriteUrl;
    if (contextKey !== this.#contextKey) {
      this.#contextKey = contextKey;
      this.#htmlCache.clear();
      this.#prev = undefined;
    }
  }

  /** Forget every rendered block, e.g. when an image a block shows changed on disk (next update renders all). */
  invalidateHtml(): void {
    this.#htmlCache.clear();
    this.#prev = undefined;
  }

  /** Forget the previous parse (next update renders everything; cached HTML is kept). */
  reset(): void {
    this.#prev = undefined;
  }

  /** Record a check result; blocks showing that check get a new key (re-rendered on the next update). */
  setCheckResult(fenceContent: string, result: CheckResult): void {
    this.#checkResults.set(contentKey(fenceContent), result);
    this.#checkStamp++;
  }

  checkResult(fenceContent: string): CheckResult | undefined {
    return this.#checkResults.get(contentKey(fenceContent));
  }

  #engine(): MarkdownIt {
    if (this.#mode === 'github') return (this.#github ??= createGithubEngine({ cache: this.#cache, githubTypesetter: this.#githubTypesetter }));
    this.#vscode ??= createVscodeEngine({ cache: this.#cache });
    return this.#vscode.md;
  }

  /** Render `text`, re-parsing as little as possible since the previous call. */
  update(rawText: string): RenderUpdate {
    const t0 = performance.now();
    const text = rawText.includes('\r') ? rawText.replace(/\r\n?/g, '\n') : rawText;
    const lines = text.split('\n');
    const prev = this.#prev;
    const macroDoc = this.#mode === 'vscode' && MACRO_DEF.test(text);
    if (this.#vscode) {
      this.#vscode.setBypass(macroDoc);
      this.#vscode.resetMacros();
    }
    // A footnote (numbered by the whole page) makes every block's rendering positional.
    const hasFootnotes = /\[\^[^\]\s]+\]/.test(text);
    const positional = hasFootnotes || (this.#mode === 'github' && RAW_BOLD.test(text)) || macroDoc;

    let newBlocks: BlockRec[];
    let parsedLines: number;
    let fullParse = false;
    let rendered = 0;
    let reused = 0;
    let references: unknown = prev?.references;

    // GitHub mode marks near misses by comparing with VS Code's preview, whose multi-line `$$` blocks can span
    // several GitHub blocks: a re-parse window may not cut through one (see #windowUpdate), and a block's key
    // records the scanner's findings inside it (they depend on more than the block's own text).
    const regions = this.#mode === 'github' ? vscodeDisplayRegionsExact(text) : [];
    const renderParsed = (parsed: ParsedBlock[], env: RenderEnv, lineIndex: LineIndex, base: number): BlockRec[] => {
      const out: BlockRec[] = [];
      const envSig = refSignature(env.references) + this.#contextKey;
      const misses = (env as RenderEnv & ScanEnv).mathWriteupScan?.nearMisses;
      const missIndex = misses && misses.length > 0 ? new OffsetIndex(misses) : undefined;
      for (const b of parsed) {
        const start = b.start + base;
        const end = b.end + base;
        const src = lines.slice(start, end).join('\n');
        let key = `${this.#mode[0]}${contentKey(src)}${envSig}`;
        // A block that ends the document without a final newline renders slightly differently (raw HTML).
        if (end >= lines.length) key += 'E';
        if (missIndex) key += nearMissSignature(missIndex, lineIndex, b.start, b.end);
        if (b.tokens.some((t) => t.type === 'fence' && isCheckFence(t))) {
          key += `c${this.#checkStamp}`;
        }
        if (positional) key += `@${start}v${this.#version + 1}`;
        let html = this.#htmlCache.get(key);
        if (html === undefined) {
          html = this.#renderBlock(b, env, lineIndex);
          rendered++;
          this.#htmlCache.set(key, html);
        } else reused++;
        out.push({ key, start, end, sig: b.sig, html });
      }
      return out;
    };

    const canWindow =
      prev !== undefined && !positional && !prev.positional && prev.blocks.length > 0 && prev.checkStamp === this.#checkStamp;
    let windowResult: { blocks: BlockRec[]; parsedLines: number } | undefined;
    if (canWindow) windowResult = this.#windowUpdate(prev, lines, renderParsed, regions);
    if (windowResult) {
      newBlocks = windowResult.blocks;
      parsedLines = windowResult.parsedLines;
    } else {
      fullParse = true;
      const env = this.#newEnv(text, undefined);
      const tokens = this.#engine().parse(text, env);
      references = env.references;
      const parsed = groupBlocks(tokens, lines.length);
      newBlocks = renderParsed(parsed, env, env.mw.lines, 0);
      parsedLines = lines.length;
    }

    const splice = prev ? diffBlocks(prev.blocks, newBlocks, lines.length - prev.lines.length) : undefined;
    this.#prev = { lines, blocks: newBlocks, references, positional, checkStamp: this.#checkStamp, regions };
    this.#version++;
    this.#trimHtmlCache(newBlocks);
    return {
      version: this.#version,
      blocks: newBlocks.map(toRendered),
      splice,
      stats: { fullParse, parsedLines, renderedBlocks: rendered, reusedBlocks: reused, ms: performance.now() - t0 },
    };
  }

  #newEnv(src: string, references: unknown): RenderEnv {
    const env: RenderEnv = {
      mw: { lines: new LineIndex(src), blockStart: 0, checkResults: this.#checkResults, rewriteUrl: this.#rewriteUrl, checksUnavailable: this.#checksUnavailable },
    };
    if (references !== undefined) env.references = { ...(references as object) };
    return env;
  }

  #renderBlock(b: ParsedBlock, env: RenderEnv, lineIndex: LineIndex): string {
    env.mw.lines = lineIndex;
    env.mw.blockStart = b.start;
    for (const t of b.tokens) {
      // Nested blocks carry their line relative to the block, for scroll sync inside long lists and quotes.
      if (t.map && t.nesting === 1 && t.level > 0) t.attrSet('data-rline', String(t.map[0] - b.start));
    }
    const md = this.#engine();
    try {
      return md.renderer.render(b.tokens, md.options, env);
    } catch (e) {
      // A renderer bug must not blank the preview: show the block's error in place.
      const msg = e instanceof Error ? e.message : String(e);
      return `<pre class="mw-render-error">Could not render this block: ${msg.replace(/[&<>]/g, (c) => `&#${c.charCodeAt(0)};`)}</pre>`;
    }
  }

  /** Re-parse a window of blocks around the change; undefined when a full parse is needed. */
  #windowUpdate(
    prev: { lines: string[]; blocks: BlockRec[]; references: unknown; regions: readonly [number, number][] },
    lines: string[],
    renderParsed: (parsed: ParsedBlock[], env: RenderEnv, li: LineIndex, base: number) => BlockRec[],
    newRegions: readonly [number, number][],
  ): { blocks: BlockRec[]; parsedLines: number } | undefined {
    const old = prev.lines;
    const oldBlocks = prev.blocks;
    const maxCommon = Math.min(old.length, lines.length);
    let p = 0;
    while (p < maxCommon && old[p] === lines[p]) p++;
    if (p === old.length && p === lines.length) {
      return { blocks: oldBlocks, parsedLines: 0 };
    }
    let s = 0;
    while (s < maxCommon - p && old[old.length - 1 - s] === lines[lines.length - 1 - s]) s++;
    const delta = lines.length - old.length;
    const oldChangedEnd = old.length - s; // exclusive, old coordinates
    const newChangedEnd = lines.length - s;
    // Text that changes document-wide state forces a full parse.
    const changedOld = old.slice(p, oldChangedEnd).join('\n');
    const changedNew = lines.slice(p, newChangedEnd).join('\n');
    if ([changedOld, changedNew].some((t) => LINK_REFERENCE_DEFINITION.test(t) || FOOTNOTE_MARK.test(t))) {
      return undefined;
    }
    // First block touching the change (or the line before it), then one more block before as a margin.
    let ia = oldBlocks.findIndex((b) => b.end >= p);
    if (ia < 0) ia = oldBlocks.length - 1;
    ia = Math.max(0, ia - 1);
    // The window starts after a blank line: a block's rendering reads the line before it (a quote's lazy
    // continuation, a setext underline, the scanner's "`$$` follows a line of text"), and these lines are
    // unchanged, so the blocks before a blank line parse and render as before.
    while (ia > 0 && !isBlank(lines[oldBlocks[ia].start - 1])) ia--;
    // Last block touching the change (or the line after it), then one margin block after.
    let ib = ia;
    while (ib + 1 < oldBlocks.length && oldBlocks[ib + 1].start <= oldChangedEnd) ib++;
    let margin = 1;
    for (;;) {
      let last = Math.min(oldBlocks.length - 1, ib + margin);
      // …and ends before a blank line (or the end of the document), for the same reason: the line after the
      // margin block is then context that cannot join it, and the blocks after it are those of the old parse.
      while (last < oldBlocks.length - 1 && !isBlank(old[oldBlocks[last].end])) last++;
      const toEnd = last >= oldBlocks.length - 1;
      const w0 = ia === 0 ? 0 : oldBlocks[ia].start;
      const w1Old = toEnd ? old.length : oldBlocks[last].end;
      const w1 = toEnd ? lines.length : w1Old + delta;
      if (w1 < w0 || (!toEnd && w1Old < oldChangedEnd)) {
        margin *= 2;
        continue;
      }
      let src = lines.slice(w0, w1).join('\n');
      if (w1 < lines.length) src += '\n';
      // A definition anywhere in the window may stop or start being one (a deleted blank line turns it into
      // paragraph text), and the references other blocks resolve are the old parse's: parse everything.
      if (LINK_REFERENCE_DEFINITION.test(src) || LINK_REFERENCE_DEFINITION.test(old.slice(w0, w1Old).join('\n'))) return undefined;
      const env = this.#newEnv(src, prev.references);
      const tokens = this.#engine().parse(src, env);
      const parsed = groupBlocks(tokens, w1 - w0);
      if (!toEnd) {
        const m = oldBlocks[last];
        const lp = parsed[parsed.length - 1];
        const ok = lp !== undefined && lp.start + w0 === m.start + delta && lp.end + w0 === m.end + delta && lp.sig === m.sig;
        if (!ok) {
          margin *= 2;
          continue;
        }
      }
      if (this.#mode === 'github' && (crossesRegion(newRegions, w0, w1) || crossesRegion(prev.regions, w0, w1Old))) {
        // The scanner compares with VS Code's preview, whose `$$` blocks may span blank lines and so several of
        // GitHub's blocks: a window cutting through one would miss near misses outside it.
        return undefined;
      }
      const fresh = renderParsed(parsed, env, env.mw.lines, w0);
      const before = oldBlocks.slice(0, ia === 0 ? 0 : ia);
      const after = toEnd ? [] : oldBlocks.slice(last + 1).map((b) => ({ ...b, start: b.start + delta, end: b.end + delta }));
      return { blocks: [...before, ...fresh, ...after], parsedLines: w1 - w0 };
    }
  }

  #trimHtmlCache(current: BlockRec[]): void {
    // Keep the cache bounded: current blocks plus recent ones (undo brings them back cheaply).
    const limit = Math.max(2000, current.length * 3);
    if (this.#htmlCache.size <= limit) return;
    const keep = new Set(current.map((b) => b.key));
    for (const k of this.#htmlCache.keys()) {
      if (this.#htmlCache.size <= current.length * 2) break;
      if (!keep.has(k)) this.#htmlCache.delete(k);
    }
  }
}

/** A blank line in Markdown's sense (spaces and tabs only), or no line at all (the document's edge). */
function isBlank(line: string | undefined): boolean {
  return line === undefined || /^[ \t]*$/.test(line);
}

/** True when a region overlaps [w0, w1) without lying inside it. */
function crossesRegion(regions: readonly [number, number][], w0: number, w1: number): boolean {
  return regions.some(([a, b]) => a < w1 && b > w0 && (a < w0 || b > w1));
}

interface ScanEnv {
  mathWriteupScan?: { nearMisses: readonly NearMiss[] };
}

/** Signature of the scanner's near misses inside lines [start, end) of the parsed source (relative offsets). */
function nearMissSignature(misses: OffsetIndex<NearMiss>, lines: LineIndex, start: number, end: number): string {
  const s0 = lines.lineStarts[start] ?? lines.text.length;
  const s1 = end < lines.lineCount ? lines.lineStarts[end] : lines.text.length + 1;
  let sig = '';
  for (const n of misses.overlapping(s0, s1)) {
    // Only the part inside the block matters (clamped: a VS Code formula may run on past the block).
    sig += `${n.cause.kind}|${Math.max(n.start, s0) - s0}|${Math.min(n.end, s1) - s0}|${n.github ? n.github.start - s0 : '-'}|${explainNearMiss(n).message}\n`;
  }
  return sig ? `~${contentKey(sig)}` : '';
}

function toRendered(b: BlockRec): RenderedBlock {
  return { key: b.key, line: b.start, endLine: b.end, html: b.html };
}

function refSignature(refs: unknown): string {
  if (!refs || typeof refs !== 'object' || Object.keys(refs).length === 0) return '';
  return `r${hash53(JSON.stringify(refs)).toString(36)}`;
}

/** Groups a markdown-it token stream into top-level blocks with their source lines. */
export function groupBlocks(tokens: Token[], lineCount: number): ParsedBlock[] {
  const out: ParsedBlock[] = [];
  let i = 0;
  let lastEnd = 0;
  while (i < tokens.length) {
    const first = tokens[i];
    let j = i;
    if (first.nesting === 1) {
      let depth = 0;
      for (; j < tokens.length; j++) {
        depth += tokens[j].nesting;
        if (depth === 0) break;
      }
    }
    const map = first.map;
    // Tokens that share one source range form one block (a display paragraph with several `$$` formulas
    // becomes several math_block tokens with the paragraph's map).
    while (map && j + 1 < tokens.length && tokens[j + 1].nesting === 0 && sameMap(tokens[j + 1].map, map)) j++;
    const group = tokens.slice(i, Math.min(j, tokens.length - 1) + 1);
    const start = map ? map[0] : lastEnd;
    const end = map ? map[1] : Math.max(lastEnd, lineCount);
    let sig = '';
    for (const t of group) sig += `${t.type}${t.map ? `:${t.map[0] - start}-${t.map[1] - start}` : ''};`;
    out.push({ start, end, tokens: group, sig: `${sig.length}.${hash53(sig).toString(36)}` });
    lastEnd = end;
    i = j + 1;
  }
  return out;
}

function sameMap(a: [number, number] | null, b: [number, number]): boolean {
  return !!a && a[0] === b[0] && a[1] === b[1];
}

/** The splice turning `oldBlocks` into `newBlocks` (common prefix and suffix kept; suffix shifted by `delta`). */
export function diffBlocks(oldBlocks: readonly BlockRec[] | readonly RenderedBlock[], newBlocks: readonly BlockRec[], delta: number): BlockSplice {
  const ol = oldBlocks.map(norm);
  const nl = newBlocks.map(norm);
  let a = 0;
  const max = Math.min(ol.length, nl.length);
  while (a < max && ol[a].key === nl[a].key && ol[a].start === nl[a].start) a++;
  let b = 0;
  while (
    b < max - a &&
    ol[ol.length - 1 - b].key === nl[nl.length - 1 - b].key &&
    ol[ol.length - 1 - b].start + delta === nl[nl.length - 1 - b].start
  ) {
    b++;
  }
  return {
    start: a,
    deleteCount: ol.length - a - b,
    insert: newBlocks.slice(a, newBlocks.length - b).map(toRendered),
    lineDelta: delta,
  };
}

function norm(b: BlockRec | RenderedBlock): { key: string; start: number } {
  return { key: b.key, start: 'start' in b ? b.start : b.line };
}

/** One-shot render of a whole document (CLI, export, tests). */
export function renderDocument(text: string, opts: DocumentRendererOptions): RenderedBlock[] {
  return new DocumentRenderer(opts).update(text).blocks;
}
