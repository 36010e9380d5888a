// Which fixes are offered: a fix reaches a user (quick fix, "fix all", `--fix`, the fixable count) only if applying
// it keeps every letter and digit of the text and, re-linted, leaves fewer problems — and does not leave a block
// running on into the rest of the document (an unclosed fence or `$$` the fix opened). Checked here once, for
// `lintText` and the incremental linter alike (on the whole text, so both offer the same fixes), by re-linting the
// top-level chunk the fix touches and the chunk after it (see incremental.ts for where a document may be cut), so the
// cost is one small lint per fixable finding.
//
// The check has a budget, so that linting a very large file stays cheap: fixes are checked in document order until
// the fixes' own chunks re-linted add up to VERIFY_BUDGET characters plus a hundredth of the document (every fix of a normal
// writeup; the first hundred or so of a 1 MB file with thousands of fixable findings). Past the budget a fix is still
// only offered if it changes something and keeps the letters and digits it replaces (checked by the engine for every
// fix), and `fixAll` applies nothing that fails the full test: the budget costs an offer, never text.
//
// A chunk's lint depends only on its text (and the configuration, and GitHub's MathJax verdicts known so far), so the
// incremental linter passes a `FixCheckCache`: the chunk lints of the last two calls are kept by text, and a keystroke
// re-lints only the chunks (before and after each fix) it changed. The budget is spent exactly as without the cache
// (a reused lint costs what it would have cost), so cached and uncached calls offer the same fixes.
import { LineIndex } from '../text';
import { scanDocument } from '../scan/scanner';
import { applyEdits, checkEdits, fixKeepsText, keepsWordCharacters, wordCharacters } from './edits';
import { collectReports, distinctFormulas, type GithubFormula, type PreparedLint, type RawReport } from './engine';
import type { GithubVerdicts } from '../tex/mathjax';
import { chunkStarts, wholeDocumentReason } from './incremental';
import type { Fix } from '../types';

/** Characters of re-linted chunks every document may spend on checking its fixes (plus a hundredth of its length). */
export const VERIFY_BUDGET = 30000;

/** Longest chunk after a fix's own that its check also re-lints (characters). */
const NEXT_CHUNK_MAX = 4000;

/** Cut at every safe place: the smallest chunks a fix can be checked in. */
const FINEST = { minLines: 1, maxLines: Number.MAX_SAFE_INTEGER, cutMask: 0 };

interface Lint {
  problems: number;
  /** A block runs into the chunk's trailing blank lines (it would swallow what follows in the document). */
  open: boolean;
}

interface CachedLint extends Lint {
  /** Formulas of the linted text that had no MathJax verdict yet (once one has, the lint is redone). */
  pending: GithubFormula[];
}

function lintChunk(text: string, prepared: PreparedLint, verdicts: GithubVerdicts): CachedLint {
  const scan = scanDocument(text);
  let end = text.length;
  while (end > 0 && /\s/.test(text[end - 1])) end--;
  const lines = new LineIndex(text);
  const content = end === 0 ? 0 : lines.positionAt(end - 1).line + 1;
  const open = scan.extent.github > content || scan.extent.vscode > content;
  const problems = collectReports(text, lines, prepared, { scan, page: false, verdicts }).length;
  const pending = distinctFormulas(scan.math).filter((g) => verdicts.verdict(g.tex, g.display) === undefined);
  return { problems, open, pending };
}

/** What the last `keepImprovingFixes` call with a cache did. */
export interface FixCheckStats {
  /** Chunk texts (before or after a fix) linted in the call. */
  linted: number;
  /** Chunk lints taken from the cache instead. */
  reused: number;
}

/** What is kept of one chunk text (before or after a fix). */
interface Entry {
  lint?: CachedLint;
  /** For a fixed chunk: the chunk it was made from, and whether it keeps that chunk's letters and digits. */
  source?: string;
  keeps?: boolean;
}

/**
 * The chunk lints of fix checking, kept between calls for one document (the incremental linter owns one). Entries
 * used in the last two calls are kept; a different configuration empties it.
 */
export class FixCheckCache {
  #prepared: PreparedLint | undefined;
  #current = new Map<string, Entry>();
  #previous = new Map<string, Entry>();
  stats: FixCheckStats = { linted: 0, reused: 0 };

  /** Starts a call under `prepared`. */
  begin(prepared: PreparedLint): void {
    if (prepared !== this.#prepared) {
      this.#prepared = prepared;
      this.#previous = new Map();
    } else this.#previous = this.#current;
    this.#current = new Map();
    this.stats = { linted: 0, reused: 0 };
  }

  #entry(text: string): Entry {
    let e = this.#current.get(text);
    if (!e) {
      e = this.#previous.get(text) ?? {};
      this.#current.set(text, e);
    }
    return e;
  }

  /** `lintChunk(text, prepared, verdicts)`, from the cache when the text was linted in the last two calls. */
  lint(text: string, prepared: PreparedLint, verdicts: GithubVerdicts): Lint {
    const e = this.#entry(text);
    if (e.lint && !e.lint.pending.some((g) => verdicts.verdict(g.tex, g.display) !== undefined)) {
      this.stats.reused++;
      return e.lint;
    }
    this.stats.linted++;
    e.lint = lintChunk(text, prepared, verdicts);
    return e.lint;
  }

  /** Does `fixed` keep every letter and digit of `chunk` (`words`: those of `chunk`)? */
  keeps(chunk: string, fixed: string, words: () => Map<string, number>): boolean {
    const e = this.#entry(fixed);
    if (e.source !== chunk || e.keeps === undefined) {
      e.source = chunk;
      e.keeps = keepsWordCharacters(words(), wordCharacters(fixed));
    }
    return e.keeps;
  }
}

/**
 * `raws` with every fix that does not improve the document removed (reports keep their place and message). The
 * chunks are re-linted with `verdicts`, the GitHub MathJax verdicts the reports were made with.
 */
export function keepImprovingFixes(
  text: string,
  raws: readonly RawReport[],
  prepared: PreparedLint,
  verdicts: GithubVerdicts,
  cache?: FixCheckCache,
): RawReport[] {
  cache?.begin(prepared);
  if (!raws.some((r) => r.fixes.length > 0)) return [...raws];
  const lint = (chunk: string): Lint => (cache ? cache.lint(chunk, prepared, verdicts) : lintChunk(chunk, prepared, verdicts));
  const chunkWords = new Map<number, Map<string, number>>();
  const keeps = (from: number, chunk: string, fixed: string): boolean => {
    const words = (): Map<string, number> => {
      let w = chunkWords.get(from);
      if (!w) {
        w = wordCharacters(chunk);
        chunkWords.set(from, w);
      }
      return w;
    };
    return cache ? cache.keeps(chunk, fixed, words) : keepsWordCharacters(words(), wordCharacters(fixed));
  };
  const whole = wholeDocumentReason(text) !== undefined;
  let offsets: number[] | undefined;
  const chunkOffsets = (): number[] => {
    if (!offsets) {
      const lines = new LineIndex(text);
      const starts = whole ? [0] : chunkStarts(text.includes('\r') ? text.split(/\r?\n/) : text.split('\n'), FINEST);
      offsets = starts.map((l) => lines.lineStarts[l]);
      offsets.push(text.length);
    }
    return offsets;
  };
  const baselines = new Map<number, Lint>();
  /** The region a fix is judged on, and the length of its own chunk (what the budget is charged). */
  const chunkOf = (lo: number, hi: number): [number, number, number] => {
    const offs = chunkOffsets();
    // The chunk holding [lo, hi]: the last start at or before lo, the first boundary at or after hi.
    const a = Math.max(0, lowerBound(offs, lo + 1) - 1);
    let z = a + 1;
    while (z < offs.length - 1 && offs[z] < hi) z++;
    const own = offs[z] - offs[a];
    // and the chunk after it: a `$$` the fix adds or removes may change how the next block pairs (a list item that
    // opens VS Code's display block, closed by the next paragraph's `$$`) without leaving its own chunk open
    // (when that chunk is short: a long one is a block running to the end, which a fix's pairing cannot reach past)
    if (z < offs.length - 1 && offs[z + 1] - offs[z] <= NEXT_CHUNK_MAX) z++;
    return [offs[a], offs[z], own];
  };
  const reportStarts = raws.map((r) => r.start).sort((a, b) => a - b);
  const problemsIn = (from: number, to: number): number => lowerBound(reportStarts, to === text.length ? to + 1 : to) - lowerBound(reportStarts, from);
  let budget = VERIFY_BUDGET + Math.floor(text.length / 100);
  const improves = (fix: Fix): boolean => {
    if (budget <= 0) return true;
    try {
      checkEdits(text, fix.edits);
    } catch {
      return false;
    }
    if (!fixKeepsText(text, fix)) return false;
    const lo = Math.min(...fix.edits.map((e) => e.start));
    const hi = Math.max(...fix.edits.map((e) => e.end));
    const [from, to, own] = chunkOf(lo, hi);
    const chunk = text.slice(from, to);
    budget -= own;
    const fixed = applyEdits(chunk, fix.edits.map((e) => ({ ...e, start: e.start - from, end: e.end - from })));
    if (!keeps(from, chunk, fixed)) return false;
    const after = lint(fixed);
    // Fast path: the chunk's problems before the fix are at most the document's reports inside it.
    if (after.problems >= problemsIn(from, to)) return false;
    // Compare with the chunk linted on its own, the same way as after the fix.
    let before = baselines.get(from);
    if (!before) {
      before = lint(chunk);
      baselines.set(from, before);
      budget -= own;
    }
    return after.problems < before.problems && (before.open || !after.open);
  };
  // The budget is spent in document order, so the same reports in any order keep the same fixes.
  const order = raws.map((_, i) => i).filter((i) => raws[i].fixes.length > 0);
  const key = (r: RawReport): string => `${r.rule.id}\u0000${r.message}`;
  order.sort((i, j) => raws[i].start - raws[j].start || raws[i].end - raws[j].end || (key(raws[i]) < key(raws[j]) ? -1 : key(raws[i]) > key(raws[j]) ? 1 : 0));
  const kept = new Map<number, Fix[]>();
  for (const i of order) kept.set(i, raws[i].fixes.filter(improves));
  return raws.map((r, i) => (r.fixes.length === 0 ? r : { ...r, fixes: kept.get(i) ?? [] }));
}

/** Index of the first element of sorted `xs` that is >= `x`. */
function lowerBound(xs: readonly number[], x: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const m = (lo + hi) >> 1;
    if (xs[m] < x) lo = m + 1;
    else hi = m;
  }
  return lo;
}

