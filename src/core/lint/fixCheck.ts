// Which fixes are offered: a fix reaches a user (quick fix, "fix all", `--fix`, the fixable count) only if applying
// it keeps every letter and digit of the text and, re-linted, leaves fewer problems — and does not leave a block
// running on into the rest of the document (an unclosed fence or `$$` the fix opened). Checked here once, for
// `lintText` and the incremental linter alike (on the whole text, so both offer the same fixes), by re-linting the top-level chunk the fix touches (see
// incremental.ts for where a document may be cut), so the cost is one small lint per fixable finding.
//
// The check has a budget, so that linting a very large file stays cheap: fixes are checked in document order until
// the chunks re-linted add up to VERIFY_BUDGET characters plus a hundredth of the document (every fix of a normal
// writeup; the first hundred or so of a 1 MB file with thousands of fixable findings). Past the budget a fix is still
// only offered if it changes something and keeps the letters and digits it replaces (checked by the engine for every
// fix), and `fixAll` applies nothing that fails the full test: the budget costs an offer, never text.
import { LineIndex } from '../text';
import { scanDocument } from '../scan/scanner';
import { applyEdits, checkEdits, fixKeepsText, keepsWordCharacters, wordCharacters } from './edits';
import { collectReports, type PreparedLint, type RawReport } from './engine';
import { chunkStarts, wholeDocumentReason } from './incremental';
import type { Fix } from '../types';

/** Characters of re-linted chunks every document may spend on checking its fixes (plus a hundredth of its length). */
export const VERIFY_BUDGET = 30000;

/** Cut at every safe place: the smallest chunks a fix can be checked in. */
const FINEST = { minLines: 1, maxLines: Number.MAX_SAFE_INTEGER, cutMask: 0 };

interface Lint {
  problems: number;
  /** A block runs into the chunk's trailing blank lines (it would swallow what follows in the document). */
  open: boolean;
}

function lintChunk(text: string, prepared: PreparedLint): Lint {
  const scan = scanDocument(text);
  let end = text.length;
  while (end > 0 && /\s/.test(text[end - 1])) end--;
  const lines = new LineIndex(text);
  const content = end === 0 ? 0 : lines.positionAt(end - 1).line + 1;
  const open = scan.extent.github > content || scan.extent.vscode > content;
  return { problems: collectReports(text, lines, prepared, { scan, page: false }).length, open };
}

/** `raws` with every fix that does not improve the document removed (reports keep their place and message). */
export function keepImprovingFixes(text: string, raws: readonly RawReport[], prepared: PreparedLint): RawReport[] {
  if (!raws.some((r) => r.fixes.length > 0)) return [...raws];
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
  const chunkOf = (lo: number, hi: number): [number, number] => {
    const offs = chunkOffsets();
    // The chunk holding [lo, hi]: the last start at or before lo, the first boundary at or after hi.
    const a = Math.max(0, lowerBound(offs, lo + 1) - 1);
    let z = a + 1;
    while (z < offs.length - 1 && offs[z] < hi) z++;
    return [offs[a], offs[z]];
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
    const [from, to] = chunkOf(lo, hi);
    const chunk = text.slice(from, to);
    budget -= chunk.length;
    const fixed = applyEdits(chunk, fix.edits.map((e) => ({ ...e, start: e.start - from, end: e.end - from })));
    if (!keepsWordCharacters(wordCharacters(chunk), wordCharacters(fixed))) return false;
    const after = lintChunk(fixed, prepared);
    // Fast path: the chunk's problems before the fix are at most the document's reports inside it.
    if (after.problems >= problemsIn(from, to)) return false;
    // Compare with the chunk linted on its own, the same way as after the fix.
    let before = baselines.get(from);
    if (!before) {
      before = lintChunk(chunk, prepared);
      baselines.set(from, before);
      budget -= chunk.length;
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

