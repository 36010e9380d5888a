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

/**
 * The letters and digits of `text` a reader would miss if they disappeared, counted: every letter and digit (any
 * script) except those of TeX macro names (`\lbrace`, `\mskip`), which fixes may rename.
 */
export function wordCharacters(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  const plain = text.replace(/\\[A-Za-z]+/g, ' ');
  for (const m of plain.matchAll(/[\p{L}\p{N}]/gu)) counts.set(m[0], (counts.get(m[0]) ?? 0) + 1);
  return counts;
}

/** Is every letter and digit counted in `before` still there (at least as often) in `after`? */
export function keepsWordCharacters(before: Map<string, number>, after: Map<string, number>): boolean {
  for (const [c, n] of before) if ((after.get(c) ?? 0) < n) return false;
  return true;
}

/** Does applying `fix` to `text` change something and keep every letter and digit of the text it replaces? */
export function fixKeepsText(text: string, fix: Fix): boolean {
  if (fix.edits.length === 0 || fix.edits.every((e) => text.slice(e.start, e.end) === e.newText)) return false;
  const old = fix.edits.map((e) => text.slice(e.start, e.end)).join('\n');
  return keepsWordCharacters(wordCharacters(old), wordCharacters(fix.edits.map((e) => e.newText).join('\n')));
}

/**
 * Would `fix` be an improvement of `text`? Yes when its edits apply cleanly, change something, keep every letter
 * and digit of the document (TeX macro names aside), and the document re-linted has fewer problems. This is the
 * test every fix passes before `fixAll` applies it; a quick-fix menu asks it before offering one (`offeredFixes`).
 */
export function fixImproves(text: string, fix: Fix, lint: (t: string) => Finding[], problemsBefore = lint(text).length): boolean {
  try {
    checkEdits(text, fix.edits);
  } catch {
    return false;
  }
  if (!fixKeepsText(text, fix)) return false;
  const next = applyEdits(text, fix.edits);
  if (!keepsWordCharacters(wordCharacters(text), wordCharacters(next))) return false;
  return lint(next).length < problemsBefore;
}

/** `findings` with only the fixes that pass `fixImproves` (a finding without any keeps an empty fix list). */
export function offeredFixes(text: string, findings: readonly Finding[], lint: (t: string) => Finding[]): Finding[] {
  const before = findings.length;
  return findings.map((f) => (f.fixes.length === 0 ? f : { ...f, fixes: f.fixes.filter((x) => fixImproves(text, x, lint, before)) }));
}

export interface FixAllResult {
  text: string;
  /** Findings whose fix was applied, in the order they were applied (pass by pass). */
  applied: Finding[];
  /** Number of lint passes that changed the text. */
  passes: number;
  /** Findings whose fix was not applied because it did not reduce the problems or would have lost text. */
  refused: Finding[];
}

interface Candidate {
  finding: Finding;
  fix: Fix;
  key: string;
}

/**
 * Apply every fixable finding's preferred (or first) fix, re-lint, and repeat until nothing more can be fixed (a fixed
 * point, so running it again changes nothing) or `maxPasses` (default 10) passes have changed the text.
 *
 * Guarded: a set of k fixes is applied only if the result keeps every letter and digit of the original (TeX macro
 * names aside) and, re-linted, has at least k problems fewer than before (one fix: fewer problems). Within a pass, fixes are taken in document order; a
 * fix whose edits overlap or touch those of an earlier one waits for the next pass. When the whole set fails the
 * guard, it is halved until a prefix passes or a single fix fails; a failing fix is refused (not applied, in this or
 * any later pass). A fix whose own edits conflict, or that changes nothing, is skipped.
 */
export function fixAll(
  text: string,
  lint: (t: string) => Finding[],
  opts: { maxPasses?: number } = {},
): FixAllResult {
  const maxPasses = opts.maxPasses ?? 10;
  const applied: Finding[] = [];
  const refused: Finding[] = [];
  const refusedKeys = new Set<string>();
  const original = wordCharacters(text);
  const seen = new Set<string>([text]);
  let passes = 0;
  let current = text;
  let findings = lint(current);
  while (passes < maxPasses) {
    const candidates = pickCandidates(current, findings, refusedKeys);
    if (candidates.length === 0) break;
    let next: { text: string; findings: Finding[]; taken: Candidate[] } | undefined;
    let pool = candidates;
    while (!next && pool.length > 0) {
      let n = pool.length;
      for (;;) {
        const taken = pool.slice(0, n);
        const t = applyEdits(current, taken.flatMap((c) => c.fix.edits));
        const ok = t !== current && !seen.has(t) && keepsWordCharacters(original, wordCharacters(t));
        const f = ok ? lint(t) : undefined;
        // Each fix of the set must pay for itself: one problem fewer per fix (a single fix: fewer problems).
        if (f && f.length <= findings.length - taken.length) {
          next = { text: t, findings: f, taken };
          break;
        }
        if (n === 1) {
          refusedKeys.add(taken[0].key);
          refused.push(taken[0].finding);
          pool = pool.slice(1);
          break;
        }
        n = Math.ceil(n / 2);
      }
    }
    if (!next) break;
    seen.add(next.text);
    current = next.text;
    findings = next.findings;
    passes++;
    for (const c of next.taken) applied.push(c.finding);
  }
  return { text: current, applied, passes, refused };
}

/**
 * The fixes that may apply together to `text`, as one pass of `fixAll` takes them: each finding's chosen fix, in
 * document order, a fix that overlaps or touches an earlier one left for a later pass. "Fix all" in the editors (the
 * extension, the language server) applies these; `lint --fix` applies them pass after pass, each pass re-linted.
 */
export function selectFixes(text: string, findings: readonly Finding[]): { finding: Finding; fix: Fix }[] {
  return pickCandidates(text, findings, new Set()).map(({ finding, fix }) => ({ finding, fix }));
}

/** The fixes one pass of `fixAll` may take: chosen fix per finding, document order, separated, not refused before. */
function pickCandidates(current: string, findings: readonly Finding[], refusedKeys: ReadonlySet<string>): Candidate[] {
  const sorted = findings.filter((f) => f.fixes.length > 0).sort((a, b) => a.start - b.start || a.end - b.end);
  const out: (Candidate & { lo: number; hi: number })[] = [];
  for (const finding of sorted) {
    const fix = chooseFix(finding);
    if (!fix || fix.edits.length === 0) continue;
    const [lo, hi] = span(fix);
    // Conservative: fixes from different findings must be separated by at least one untouched character.
    if (out.some((a) => lo <= a.hi && a.lo <= hi)) continue;
    try {
      checkEdits(current, fix.edits);
    } catch {
      continue;
    }
    if (fix.edits.every((e) => current.slice(e.start, e.end) === e.newText)) continue;
    const key = fixKey(current, finding, fix, lo, hi);
    if (refusedKeys.has(key)) continue;
    out.push({ finding, fix, key, lo, hi });
  }
  return out;
}

/**
 * Identifies a fix across passes (offsets shift when earlier fixes apply): its rule, message, the text it replaces and
 * its edits relative to each other. Two fixes alike in all of these are refused together.
 */
function fixKey(text: string, finding: Finding, fix: Fix, lo: number, hi: number): string {
  const rel = fix.edits.map((e) => `${e.start - lo}:${e.end - lo}:${e.newText}`).join('\u0001');
  return `${finding.ruleId}\u0000${finding.message}\u0000${text.slice(lo, hi)}\u0000${rel}`;
}
