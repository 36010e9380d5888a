// How numbers and values are printed in check messages: fmt (6 significant digits, − for minus, ∞), counts, sets,
// vectors, and formulas shortened to 60 characters.
import { pretty } from '../parser/pretty';
import { shorten } from '../hints';
import { FiniteSet, IntervalSet, Mat, describe, type Value } from '../linalg/values';

export function fmtCount(n: number): string {
  if (n < 1e5) return String(n);
  return n.toExponential(1).replace('e+', 'e');
}

export function fmt(x: number): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'NaN' : x > 0 ? '∞' : '−∞';
  if (x === 0) return '0';
  const a = Math.abs(x);
  let s: string;
  if (a >= 1e-4 && a < 1e7) s = String(Number(x.toPrecision(6)));
  else s = x.toExponential(4).replace(/\.?0+e/, 'e').replace('e+', 'e');
  return s.replace('-', '−');
}

/** A formula for a message: pretty-printed, and cut to 60 characters where no bracket is left open. */
export function short(s: string): string {
  return shorten(pretty(s));
}

export function fmtValue(v: Value): string {
  if (typeof v === 'number') return fmt(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v instanceof Mat) {
    if (v.d.length <= 4) return `(${Array.from(v.d).map(fmt).join(', ')})`;
    return describe(v).replace(/^an? /, '');
  }
  if (v instanceof IntervalSet || v instanceof FiniteSet) return fmtSet(v);
  return 'I';
}

export function fmtSet(s: IntervalSet | FiniteSet): string {
  if (s instanceof FiniteSet) return `{${s.items.map(fmt).join(', ')}}`;
  return s.intervals.map(([a, b]) => (a === b ? `{${fmt(a)}}` : `[${fmt(a)}, ${fmt(b)}]`)).join(' ∪ ') || '∅';
}
