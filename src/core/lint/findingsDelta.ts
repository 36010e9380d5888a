// Findings sent as a change against the previous answer for the same document. After a keystroke most findings of
// a long writeup are the same as before: the ones above the edit unchanged, the ones below moved by the length of
// the edit. The lint worker sends only what lies between, so a 5,000-line writeup's ~1,000 findings (about 1 MB
// once serialized) are not copied between threads on every keystroke. Kept findings are verified, never assumed:
// applying a delta gives exactly the new findings.
import type { Finding, TextEdit } from '../types';

/** How far the findings after an edit moved: in UTF-16 offsets and in lines. */
export interface FindingsShift {
  offset: number;
  line: number;
}

/** Base findings `from` … `from + keep - 1`, moved by `shift`; or new findings. */
export type FindingsDeltaOp = { keep: number; from: number; shift: FindingsShift } | { add: Finding[] };

export interface FindingsDelta {
  /** Length of the findings array the delta applies to (checked when it is applied). */
  baseLength: number;
  /** The new findings in order: runs of kept base findings and new ones. */
  ops: FindingsDeltaOp[];
}

function sameEdits(a: readonly TextEdit[], b: readonly TextEdit[], offset: number): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    if (a[i].start + offset !== b[i].start || a[i].end + offset !== b[i].end || a[i].newText !== b[i].newText) return false;
  }
  return true;
}

/** True when `b` is exactly `a` moved by `shift` (every field compared; offsets and lines moved). */
export function sameShiftedFinding(a: Finding, b: Finding, shift: FindingsShift): boolean {
  if (
    a.start + shift.offset !== b.start ||
    a.end + shift.offset !== b.end ||
    a.ruleId !== b.ruleId ||
    a.message !== b.message ||
    a.severity !== b.severity ||
    a.ruleAlias !== b.ruleAlias ||
    a.docs !== b.docs ||
    a.range.start.line + shift.line !== b.range.start.line ||
    a.range.end.line + shift.line !== b.range.end.line ||
    a.range.start.character !== b.range.start.character ||
    a.range.end.character !== b.range.end.character ||
    a.specRules.length !== b.specRules.length ||
    a.fixes.length !== b.fixes.length
  ) {
    return false;
  }
  for (let i = 0; i < a.specRules.length; i++) if (a.specRules[i] !== b.specRules[i]) return false;
  for (let i = 0; i < a.fixes.length; i++) {
    const fa = a.fixes[i];
    const fb = b.fixes[i];
    if (fa.title !== fb.title || fa.preferred !== fb.preferred || !sameEdits(fa.edits, fb.edits, shift.offset)) return false;
  }
  return true;
}

/** `f` moved by `shift` (a new object; `f` itself is unchanged). */
export function shiftFinding(f: Finding, shift: FindingsShift): Finding {
  if (shift.offset === 0 && shift.line === 0) return f;
  return {
    ...f,
    start: f.start + shift.offset,
    end: f.end + shift.offset,
    range: {
      start: { line: f.range.start.line + shift.line, character: f.range.start.character },
      end: { line: f.range.end.line + shift.line, character: f.range.end.character },
    },
    fixes: f.fixes.map((x) => ({ ...x, edits: x.edits.map((e) => ({ ...e, start: e.start + shift.offset, end: e.end + shift.offset })) })),
  };
}

const NO_SHIFT: FindingsShift = { offset: 0, line: 0 };

/** True when both lists hold exactly the same findings, in the same order. */
export function sameFindings(a: readonly Finding[], b: readonly Finding[]): boolean {
  return a.length === b.length && a.every((f, i) => sameShiftedFinding(f, b[i], NO_SHIFT));
}

/** Builds the op list, merging adjacent kept runs with the same shift and adjacent additions. */
class OpList {
  readonly ops: FindingsDeltaOp[] = [];

  keep(from: number, shift: FindingsShift): void {
    const last = this.ops[this.ops.length - 1];
    if (last && 'keep' in last && last.from + last.keep === from && last.shift.offset === shift.offset && last.shift.line === shift.line) last.keep++;
    else this.ops.push({ keep: 1, from, shift });
  }

  add(f: Finding): void {
    const last = this.ops[this.ops.length - 1];
    if (last && 'add' in last) last.add.push(f);
    else this.ops.push({ add: [f] });
  }
}

/**
 * The delta that turns `base` into `next`. Findings above an edit are kept as they are; the shift of the ones
 * below it is read off the last findings of both arrays. Between the unchanged head and the moved tail (a page-wide
 * finding such as the brace budget can move on its own and split them), both arrays are walked in offset order and
 * every finding equal to a base finding, unmoved or moved by the shift, is kept. Each kept finding is compared
 * field by field, so a wrong guess only makes the delta larger, never wrong.
 */
export function diffFindings(base: readonly Finding[], next: readonly Finding[]): FindingsDelta {
  const out = new OpList();
  const limit = Math.min(base.length, next.length);
  let head = 0;
  while (head < limit && sameShiftedFinding(base[head], next[head], NO_SHIFT)) out.keep(head++, NO_SHIFT);
  let shift = NO_SHIFT;
  let tail = 0;
  if (head < limit) {
    const a = base[base.length - 1];
    const b = next[next.length - 1];
    shift = { offset: b.start - a.start, line: b.range.start.line - a.range.start.line };
    while (tail < limit - head && sameShiftedFinding(base[base.length - 1 - tail], next[next.length - 1 - tail], shift)) tail++;
  }
  const baseEnd = base.length - tail;
  const nextEnd = next.length - tail;
  let i = head;
  let j = head;
  while (i < baseEnd && j < nextEnd) {
    const a = base[i];
    const b = next[j];
    const moved = sameShiftedFinding(a, b, shift) ? shift : sameShiftedFinding(a, b, NO_SHIFT) ? NO_SHIFT : undefined;
    if (moved) {
      out.keep(i++, moved);
      j++;
    } else if (Math.max(a.start, a.start + shift.offset) < b.start) {
      i++; // a is gone
    } else {
      out.add(b); // b is new (or cannot be told apart from a: sent in full)
      j++;
    }
  }
  while (j < nextEnd) out.add(next[j++]);
  for (let k = baseEnd; k < base.length; k++) out.keep(k, shift);
  return { baseLength: base.length, ops: out.ops };
}

/** Findings a delta carries in full (the rest come from the base). */
export function carriedFindings(delta: FindingsDelta): number {
  let n = 0;
  for (const op of delta.ops) if ('add' in op) n += op.add.length;
  return n;
}

/** Applies `delta` to `base`; throws when the delta was made for another base (a protocol error, not user input). */
export function applyFindingsDelta(base: readonly Finding[], delta: FindingsDelta): Finding[] {
  if (base.length !== delta.baseLength) throw new Error(`findings delta for ${delta.baseLength} findings applied to ${base.length}`);
  const out: Finding[] = [];
  for (const op of delta.ops) {
    if ('add' in op) {
      for (const f of op.add) out.push(f);
      continue;
    }
    if (op.from < 0 || op.keep < 0 || op.from + op.keep > base.length) throw new Error(`findings delta keeps ${op.from}…${op.from + op.keep} of ${base.length}`);
    for (let k = op.from; k < op.from + op.keep; k++) out.push(shiftFinding(base[k], op.shift));
  }
  return out;
}
