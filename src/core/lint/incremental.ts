// Incremental linting for the editor: a keystroke in a 5,000-line writeup should re-lint a paragraph, not the book.
//
// GitHub's Markdown is block-structured, and outside a few document-wide features a top-level block's math depends
// only on its own text. So the document is cut into chunks at "safe" blank lines — places where the blocks before
// cannot reach into the blocks after — and each chunk is linted on its own (scan + rules), its reports cached by the
// chunk's text. An edit changes one chunk; the others are reused with their offsets shifted. Inline directives are
// applied to the whole document afterwards, exactly as `lintText` does, so the findings are the same as a full lint.
//
// A cut is safe at the first line after one or more blank lines when that line starts at column 0, is not a list
// item (a loose list continues across blank lines), and the blank lines are outside fenced code, outside HTML
// blocks that may contain blank lines (comments, <pre>, <script>, <style>, <textarea>, <?…?>, CDATA) and outside a
// multi-line `$$` formula as VS Code reads it. Documents with document-wide state are linted whole: link reference
// definitions and footnotes (a link or footnote anywhere depends on them) and raw `<b>` (left open, it suppresses
// math in every later paragraph).
//
// Chunk boundaries are content-defined (a cut is taken where a hash of the next line matches, once a chunk has a
// minimum size), so inserting or deleting lines moves only the boundaries next to the edit, and every other chunk
// keeps its exact text and its cache entry.
//
// GitHub's MathJax verdicts (MW052's note, MW053) arrive in the background, from the validator the linter is given
// and from `holdVerdicts` (what a validation pass returned). The linter holds every verdict it has read for the
// formulas of its document, so a verdict the validator's cache later evicts is not lost. A chunk remembers which of
// its formulas had no verdict yet when it was linted, and once one of them has, the rules that read verdicts
// (`readsGithubVerdicts`) run again on the chunk's kept scan. The page-wide rule parts (GitHub's brace
// budget) run on the whole page's formulas every time.
import type { Finding } from '../types';
import { LineIndex } from '../text';
import { FOOTNOTE_MARK, LINK_REFERENCE_DEFINITION, RAW_BOLD } from '../markdown/documentState';
import { scanDocument, type DetailedScan } from '../scan/scanner';
import { vscodeDisplayRegions } from '../scan/vscodeRegions';
import { VerdictMap, type GithubVerdicts } from '../tex/mathjax';
import { collectPageReports, collectReports, distinctFormulas, finishFindings, pageFormulas, prepareLint, type GithubFormula, type PreparedLint, type RawReport } from './engine';
import type { Registry } from './registry';
import { FixCheckCache, keepImprovingFixes } from './fixCheck';
import type { LintConfig, PageFormula } from './types';

/** Where chunks are cut (the defaults suit the editor; tests cut at every safe place with minLines 1, cutMask 0). */
export interface ChunkTuning {
  /** A chunk never ends before this many lines (unless the document does). */
  minLines: number;
  /** Past this many lines a chunk ends at the next safe cut whatever its hash. */
  maxLines: number;
  /** A safe cut is taken when (hash of its first line & cutMask) === 0: with 7, on average every 8th safe cut. */
  cutMask: number;
}

const DEFAULT_TUNING: ChunkTuning = { minLines: 24, maxLines: 400, cutMask: 7 };

const LIST_ITEM = /^(?:[*+-]|\d{1,9}[.)])(?:[ \t]|$)/;
const FENCE = /^ {0,3}(`{3,}|~{3,})(.*)$/;

interface ChunkEntry {
  /** Reports with offsets relative to the chunk (page-wide rule parts left out), of rules that ignore verdicts. */
  reports: RawReport[];
  /** Reports of the rules that read GitHub's MathJax verdicts (re-run when one of `pending` gets its verdict). */
  verdictReports: RawReport[];
  /**
   * The chunk's scan and line index, kept for re-running the verdict rules while the chunk is part of the document
   * (released when an edit replaces it: a cached chunk that comes back, by undo, is linted again if it must).
   */
  scan: DetailedScan | undefined;
  lines: LineIndex;
  /** Every GitHub formula of the chunk in order, offsets relative to the chunk (for the page-wide rule parts). */
  page: PageFormula[];
  /** GitHub formulas of the chunk (distinct), for the background MathJax pass. */
  formulas: GithubFormula[];
  /** Formulas that had no MathJax verdict when the chunk was linted. */
  pending: GithubFormula[];
  /**
   * A block of the chunk runs into its trailing blank lines in GitHub's or VS Code's reading (an unclosed fence,
   * comment or `$$` formula): the cut after it is not safe, and the chunk is merged with the next one.
   */
  open: boolean;
}

export interface IncrementalLintStats {
  /** Chunks the document was cut into (1 when it had to be linted whole). */
  chunks: number;
  /** Chunks scanned and linted in this call (the rest came from the cache). */
  linted: number;
  /** Lines in the linted chunks. */
  lintedLines: number;
  /** Cached chunks on which only the rules reading GitHub's MathJax verdicts ran again (new verdicts). */
  reran: number;
  /** Why the document was linted as one chunk, when it was. */
  whole?: string;
  /** Checking the offered fixes: chunk texts (before or after a fix) linted, and chunk lints reused from the last edits. */
  fixChecks: { linted: number; reused: number };
}

export interface IncrementalLintResult {
  findings: Finding[];
  stats: IncrementalLintStats;
}

/** FNV-1a of a line, for content-defined cuts. */
function lineHash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Why `text` must be linted whole, or undefined when it may be cut into chunks. */
export function wholeDocumentReason(text: string): string | undefined {
  // indexOf first: the regular expressions only run where the cheap test finds a candidate
  if (text.includes('[^') && FOOTNOTE_MARK.test(text)) return 'footnotes';
  if (text.includes(']:') && LINK_REFERENCE_DEFINITION.test(text)) return 'link reference definitions';
  if ((text.includes('<b') || text.includes('<B')) && RAW_BOLD.test(text)) return 'raw <b> tags';
  if (text.includes('\r') && /\r(?!\n)/.test(text)) return 'carriage returns without line feeds';
  return undefined;
}

/** The closing condition of an HTML block that may contain blank lines, opened on `line`; undefined when none opens. */
function htmlBlockEnd(line: string): RegExp | undefined {
  if (!line.includes('<')) return undefined;
  // A comment anywhere on the line (also inside a list item or a quote): treated as open until `-->`.
  const open = line.lastIndexOf('<!--');
  if (open >= 0 && line.indexOf('-->', open + 4) < 0) return /-->/;
  const m = /^ {0,3}<(?:(pre|script|style|textarea)(?=[\s>]|$)|(\?)|(!\[CDATA\[)|(![A-Za-z]))/i.exec(line);
  if (!m) return undefined;
  const end = m[1] ? new RegExp(`</${m[1]}>`, 'i') : m[2] ? /\?>/ : m[3] ? /\]\]>/ : />/;
  return end.test(line.slice(m[0].length)) ? undefined : end;
}

/** Cheap pre-test of FENCE: the first non-space character (within three spaces) is a backtick or a tilde. */
function mayBeFence(line: string): boolean {
  let i = 0;
  while (i < 3 && line.charCodeAt(i) === 32) i++;
  const c = line.charCodeAt(i);
  return c === 96 || c === 126;
}

/**
 * Marks the lines that lie inside a construct which may contain blank lines (fenced code, HTML blocks of kinds 1–5),
 * as one reader sees the document. With `regions` (VS Code's multi-line `$$` formulas) the lines inside a region
 * are marked too and do not open or close anything: that is VS Code's reading, where a fence line inside a `$$`
 * formula is formula text. Without, GitHub's reading.
 */
function insideMask(lines: readonly string[], regions?: readonly [number, number][]): Uint8Array {
  const inside = new Uint8Array(lines.length);
  let fence: { ch: string; len: number } | undefined;
  let html: RegExp | undefined;
  let region = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (regions) {
      while (region < regions.length && regions[region][1] <= i) region++;
      if (region < regions.length && regions[region][0] < i) {
        inside[i] = 1;
        continue;
      }
    }
    if (fence) {
      inside[i] = 1;
      const f = mayBeFence(line) ? FENCE.exec(line) : null;
      if (f && f[1][0] === fence.ch && f[1].length >= fence.len && f[2].trim() === '') fence = undefined;
      continue;
    }
    if (html) {
      inside[i] = 1;
      if (html.test(line)) html = undefined;
      continue;
    }
    const f = mayBeFence(line) ? FENCE.exec(line) : null;
    if (f && !(f[1][0] === '`' && f[2].includes('`'))) {
      fence = { ch: f[1][0], len: f[1].length };
      continue;
    }
    html = htmlBlockEnd(line);
  }
  return inside;
}

/**
 * Lines at which chunks start (always including 0), for `lines` of a document without document-wide state.
 * Every returned line is a safe cut (see the file comment) in GitHub's reading and in VS Code's.
 */
export function chunkStarts(lines: readonly string[], tuning: ChunkTuning = DEFAULT_TUNING): number[] {
  const { minLines, maxLines, cutMask } = tuning;
  const starts = [0];
  const github = insideMask(lines);
  const vscode = insideMask(lines, vscodeDisplayRegions(lines));
  let afterBlank = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (github[i] || vscode[i]) {
      afterBlank = false;
      continue;
    }
    if (line.trim() === '') {
      afterBlank = true;
      continue;
    }
    if (afterBlank) {
      const size = i - starts[starts.length - 1];
      const c = line.charCodeAt(0);
      const column0 = c !== 32 && c !== 9;
      if (column0 && !LIST_ITEM.test(line) && size >= minLines && (size >= maxLines || (lineHash(line) & cutMask) === 0)) {
        starts.push(i);
      }
    }
    afterBlank = false;
  }
  return starts;
}

/**
 * Lints successive versions of one document, re-linting only the chunks that changed. Same findings as `lintText`
 * for the same text and configuration.
 */
export class IncrementalLinter {
  #configKey: string | undefined;
  #prepared: PreparedLint | undefined;
  #registry: Registry | undefined;
  #cache = new Map<string, ChunkEntry>();
  #current: ChunkEntry[] = [];
  #tuning: ChunkTuning;
  #splitFor: { prepared: PreparedLint; parts: [PreparedLint, PreparedLint] } | undefined;
  #fixChecks = new FixCheckCache();
  readonly #source: GithubVerdicts | undefined;
  /** Verdicts read so far for this document's formulas (trimmed to the current ones when it grows). */
  #held = new VerdictMap();
  /** The verdicts the rules read: held ones first, then the validator's (kept once read). */
  readonly #verdicts: GithubVerdicts = {
    verdict: (tex, display) => {
      const held = this.#held.verdict(tex, display);
      if (held !== undefined || !this.#source) return held;
      const fresh = this.#source.verdict(tex, display);
      if (fresh !== undefined) this.#held.set(tex, display, fresh);
      return fresh;
    },
  };

  /**
   * `verdicts`: where GitHub's MathJax verdicts come from (usually the caller's `GithubValidator`); without, only the
   * ones given to `holdVerdicts`.
   */
  constructor(options: { registry?: Registry; tuning?: Partial<ChunkTuning>; verdicts?: GithubVerdicts } = {}) {
    this.#registry = options.registry;
    this.#tuning = { ...DEFAULT_TUNING, ...options.tuning };
    this.#source = options.verdicts;
  }

  /** Keep these verdicts (a validation pass's result) for the next lints of this document. */
  holdVerdicts(verdicts: VerdictMap): void {
    this.#held.addAll(verdicts);
  }

  /** Lint `text` under `config` (merged over the defaults; an invalid config throws ConfigError). */
  lint(text: string, config?: Partial<LintConfig>): IncrementalLintResult {
    const configKey = JSON.stringify(config ?? {});
    if (configKey !== this.#configKey || !this.#prepared) {
      this.#prepared = prepareLint(config, this.#registry);
      this.#configKey = configKey;
      this.#cache.clear();
    }
    const prepared = this.#prepared;
    const whole = wholeDocumentReason(text);
    const lines = new LineIndex(text);
    const starts = whole ? [0] : chunkStarts(text.includes('\r') ? text.split(/\r?\n/) : text.split('\n'), this.#tuning);
    const offsets = starts.map((l) => lines.lineStarts[l]);
    offsets.push(text.length);

    const stats: IncrementalLintStats = { chunks: starts.length, linted: 0, lintedLines: 0, reran: 0, fixChecks: { linted: 0, reused: 0 } };
    if (whole) stats.whole = whole;
    const current: ChunkEntry[] = [];
    const reports: RawReport[] = [];
    const page: PageFormula[] = [];
    for (let c = 0; c < starts.length; ) {
      const from = offsets[c];
      // Extend the chunk over the following ones while it ends inside an open construct.
      let next = c + 1;
      let entry: ChunkEntry;
      for (;;) {
        const chunkText = text.slice(from, offsets[next]);
        let e = this.#cache.get(chunkText);
        if (e && e.pending.some((g) => this.#verdicts.verdict(g.tex, g.display) !== undefined)) {
          // Verdicts arrived for some formulas: only the rules that read them run again, on the kept scan.
          if (e.scan) {
            this.#runVerdictRules(chunkText, e, this.#split(prepared)[1]);
            stats.reran++;
          } else e = undefined;
        }
        if (!e) {
          e = this.#lintChunk(chunkText, prepared);
          this.#cache.set(chunkText, e);
          stats.linted++;
          stats.lintedLines += (next < starts.length ? starts[next] : lines.lineCount) - starts[c];
        }
        entry = e;
        if (!e.open || next >= starts.length) break;
        next++;
      }
      current.push(entry);
      for (const r of entry.reports) reports.push(from === 0 ? r : shifted(r, from));
      for (const r of entry.verdictReports) reports.push(from === 0 ? r : shifted(r, from));
      for (const g of entry.page) page.push(from === 0 ? g : { ...g, start: g.start + from, end: g.end + from });
      c = next;
    }
    stats.chunks = current.length;
    for (const r of collectPageReports(page, text.length, prepared)) reports.push(r);
    const now = new Set(current);
    for (const e of this.#current) if (!now.has(e)) e.scan = undefined;
    this.#current = current;
    this.#trimCache();
    // Fixes are checked on the whole text, as lintText does, so both offer the same fixes; the chunk lints of the
    // check are reused from earlier calls where the chunk's text did not change.
    const checked = keepImprovingFixes(text, reports, prepared, this.#verdicts, this.#fixChecks);
    let formulas = 0;
    for (const e of current) formulas += e.formulas.length;
    if (this.#held.size > 2 * formulas + 1024) this.#held = this.#held.restrictedTo(current.flatMap((e) => e.formulas));
    stats.fixChecks = { ...this.#fixChecks.stats };
    return { findings: finishFindings(text, lines, checked, prepared), stats };
  }

  /** The distinct GitHub formulas of the last linted text (for validating them with MathJax in the background). */
  formulas(): GithubFormula[] {
    return distinctFormulas(this.#current.flatMap((c) => c.formulas));
  }

  #lintChunk(text: string, prepared: PreparedLint): ChunkEntry {
    const scan = scanDocument(text);
    const lines = new LineIndex(text);
    const formulas = distinctFormulas(scan.math);
    // Lines up to the last non-blank one: a block reaching past them ran into the trailing blank lines.
    let end = text.length;
    while (end > 0 && /\s/.test(text[end - 1])) end--;
    const content = end === 0 ? 0 : lines.positionAt(end - 1).line + 1;
    const open = scan.extent.github > content || scan.extent.vscode > content;
    const [plain, verdict] = this.#split(prepared);
    const entry: ChunkEntry = {
      reports: collectReports(text, lines, plain, { scan, page: false }),
      verdictReports: [],
      scan,
      lines,
      page: pageFormulas(scan),
      formulas,
      pending: [],
      open,
    };
    this.#runVerdictRules(text, entry, verdict);
    return entry;
  }

  #runVerdictRules(text: string, entry: ChunkEntry, verdict: PreparedLint): void {
    entry.pending = entry.formulas.filter((g) => this.#verdicts.verdict(g.tex, g.display) === undefined);
    const scan = entry.scan;
    entry.verdictReports = scan && verdict.active.length > 0 ? collectReports(text, entry.lines, verdict, { scan, page: false, verdicts: this.#verdicts }) : [];
  }

  /** The configuration split into the rules that ignore GitHub's verdicts and the ones that read them. */
  #split(prepared: PreparedLint): [PreparedLint, PreparedLint] {
    if (this.#splitFor?.prepared !== prepared) {
      this.#splitFor = {
        prepared,
        parts: [
          { ...prepared, active: prepared.active.filter((r) => !r.readsGithubVerdicts) },
          { ...prepared, active: prepared.active.filter((r) => r.readsGithubVerdicts) },
        ],
      };
    }
    return this.#splitFor.parts;
  }

  #trimCache(): void {
    // The current chunks plus as many recent ones (an undo finds them again).
    const limit = Math.max(256, this.#current.length * 2);
    if (this.#cache.size <= limit) return;
    const keep = new Set(this.#current);
    for (const [k, v] of this.#cache) {
      if (this.#cache.size <= limit / 2) break;
      if (!keep.has(v)) this.#cache.delete(k);
    }
  }
}

/** `r` moved `by` characters (a chunk's report in document coordinates). */
export function shifted(r: RawReport, by: number): RawReport {
  return {
    ...r,
    start: r.start + by,
    end: r.end + by,
    fixes: r.fixes.map((f) => ({ ...f, edits: f.edits.map((e) => ({ ...e, start: e.start + by, end: e.end + by })) })),
  };
}
