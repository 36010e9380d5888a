// Applying text edits: the one place where fixes touch text. The quick fix, "fix all", the CLI's --fix and the
// tests all go through `applyEdits`, so the rules about overlaps live here and nowhere else.
import type { Finding, Fix, TextEdit } from '../types';

/** Thrown when a set of edits cannot be applied unambiguously. */
export class EditConflictError extends Error {
  override name = 'EditConflictError';
}

function describe(e: TextEdit): string {
  return e.start === e.end ? `insert at ${e.start}` : `replace [${e.start}, ${e.end})`;
}

function isHigh(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}
function isLow(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}
/** True when `offset` falls between the two halves of a surrogate pair. */
function splitsPair(text: string, offset: number): boolean {
  return offset > 0 && offset < text.length && isHigh(text.charCodeAt(offset - 1)) && isLow(text.charCodeAt(offset));
}

function checkEdit(text: string, e: TextEdit, i: number): void {
  if (!Number.isInteger(e.start) || !Number.isInteger(e.end) || e.start < 0 || e.end < e.start || e.end > text.length) {
    throw new EditConflictError(
      `edit #${i} has an invalid range [${e.start}, ${e.end}) for a text of length ${text.length}`,
    );
  }
  if (typeof e.newText !== 'string') throw new EditConflictError(`edit #${i} has no newText string`);
  for (const o of e.start === e.end ? [e.start] : [e.start, e.end]) {
    if (splitsPair(text, o)) {
      throw new EditConflictError(`edit #${i} (${describe(e)}) would split the surrogate pair at offset ${o - 1}`);
    }
  }
}

/**
 * Apply `edits` (offsets into `text`) and return the new text. Pure; `edits` is not modified.
 *
 * - Edits may come in any order; they are sorted by start offset.
 * - Two edits whose ranges share at least one character, or an insert strictly inside a replaced range, are
 *   rejected with an `EditConflictError` naming both edits: applying them would have to drop one silently.
 * - Edits that only touch (`[2,5)` and `[5,7)`) are fine.
 * - Several inserts at the same offset are allowed and land in the order they appear in `edits`; an insert at the
 *   start offset of a replacement lands before the replacement's new text, an insert at its end lands after it.
 * - An edit boundary between the two halves of a surrogate pair is rejected (it would leave lone surrogates).
 */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  if (edits.length === 0) return text;
  const order = sortedChecked(text, edits);
  const parts: string[] = [];
  let pos = 0;
  for (const i of order) {
    const e = edits[i];
    parts.push(text.slice(pos, e.start), e.newText);
    pos = e.end;
  }
  parts.push(text.slice(pos));
  return parts.join('');
}

/** Validate `edits` against `text` (throws `EditConflictError`) and return their indices in application order. */
function sortedChecked(text: string, edits: readonly TextEdit[]): number[] {
  edits.forEach((e, i) => checkEdit(text, e, i));
  // Stable sort (Array.prototype.sort is stable): inserts at one point keep their given order, and an insert sorts
  // before a replacement starting at the same offset because its end is smaller.
  const order = edits.map((_, i) => i).sort((a, b) => edits[a].start - edits[b].start || edits[a].end - edits[b].end);
  for (let k = 1; k < order.length; k++) {
    const p = edits[order[k - 1]];
    const e = edits[order[k]];
    // Sorted by (start, end), so a conflict is exactly "starts before the previous edit ends".
    if (e.start < p.end) {
      throw new EditConflictError(
        `overlapping edits: edit #${order[k - 1]} (${describe(p)}) and edit #${order[k]} (${describe(e)}) ` +
          'touch the same text',
      );
    }
  }
  return order;
}

/** Throws `EditConflictError` if `applyEdits(text, edits)` would. */
export function checkEdits(text: string, edits: readonly TextEdit[]): void {
  sortedChecked(text, edits);
}

/** The fix `fixAll` takes for a finding: the preferred one, else the first; undefined when there is none. */
export function chooseFix(f: Pick<Finding, 'fixes'>): Fix | undefined {
  return f.fixes.find((x) => x.preferred) ?? f.fixes[0];
}

/** Half-open span covered by a fix's edits, with inserts counted as the point they insert at. */
function span(fix: Fix): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const e of fix.edits) {
    lo = Math.min(lo, e.start);
    hi = Math.max(hi, e.end);
  }
  return [lo, hi];
}

export interface FixAllResult {
  text: string;
  /** Findings whose fix was applied, in the order they were applied (pass by pass). */
  applied: Finding[];
  /** Number of lint passes that changed the text. */
  passes: number;
}

/**
 * Apply every fixable finding's preferred (or first) fix, re-lint, and repeat until no fix applies or `maxPasses`
 * (default 10) passes have changed the text. Within a pass, fixes are taken in document order and a fix whose edits
 * overlap or touch those of an already accepted fix is left for the next pass (after re-linting, its finding is
 * recomputed against the new text). A fix whose own edits conflict, or that changes nothing, is skipped.
 * Stops early if a pass reproduces a text already seen (two rules undoing each other).
 */
export function fixAll(
  text: string,
  lint: (t: string) => Finding[],
  opts: { maxPasses?: number } = {},
): FixAllResult {
  const maxPasses = opts.maxPasses ?? 10;
  const applied: Finding[] = [];
  const seen = new Set<string>([text]);
  let passes = 0;
  let current = text;
  while (passes < maxPasses) {
    const findings = lint(current)
      .filter((f) => f.fixes.length > 0)
      .sort((a, b) => a.start - b.start || a.end - b.end);
    const accepted: { finding: Finding; fix: Fix; lo: number; hi: number }[] = [];
    for (const finding of findings) {
      const fix = chooseFix(finding);
      if (!fix || fix.edits.length === 0) continue;
      const [lo, hi] = span(fix);
      // Conservative: fixes from different findings must be separated by at least one untouched character.
      if (accepted.some((a) => lo <= a.hi && a.lo <= hi)) continue;
      try {
        checkEdits(current, fix.edits);
      } catch {
        continue;
      }
      if (fix.edits.every((e) => current.slice(e.start, e.end) === e.newText)) continue;
      accepted.push({ finding, fix, lo, hi });
    }
    if (accepted.length === 0) break;
    const next = applyEdits(
      current,
      accepted.flatMap((a) => a.fix.edits),
    );
    if (next === current) break;
    if (seen.has(next)) break;
    seen.add(next);
    current = next;
    passes++;
    for (const a of accepted) applied.push(a.finding);
  }
  return { text: current, applied, passes };
}
