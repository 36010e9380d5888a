// Source ranges (formulas, near misses) sorted by start for binary-search lookups: the ranges inside or overlapping
// a token or block cost O(log n + found), so renderers that ask once per token or per block stay linear in the
// document instead of scanning the whole list each time.

export interface OffsetRange {
  start: number;
  end: number;
}

export class OffsetIndex<T extends OffsetRange> {
  /** The ranges sorted by start (ties keep their input order). */
  readonly items: readonly T[];
  /** maxEnd[i]: the largest end among items[0..i]; non-decreasing, so "some earlier range still open" is a search. */
  readonly #maxEnd: number[];

  constructor(ranges: readonly T[]) {
    const items = [...ranges].sort((a, b) => a.start - b.start);
    this.items = items;
    this.#maxEnd = new Array<number>(items.length);
    let m = -Infinity;
    for (let i = 0; i < items.length; i++) this.#maxEnd[i] = m = Math.max(m, items[i].end);
  }

  /** Index of the first range starting at or after `offset` (items.length if none). */
  firstStartingAt(offset: number): number {
    let lo = 0;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.items[mid].start < offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The ranges lying within [from, to] (start >= from, end <= to), by start. */
  within(from: number, to: number): T[] {
    const out: T[] = [];
    for (let i = this.firstStartingAt(from); i < this.items.length && this.items[i].start <= to; i++) {
      if (this.items[i].end <= to) out.push(this.items[i]);
    }
    return out;
  }

  /** The ranges overlapping [from, to) (start < to and end > from), by start. */
  overlapping(from: number, to: number): T[] {
    let lo = 0;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.#maxEnd[mid] > from) hi = mid;
      else lo = mid + 1;
    }
    const out: T[] = [];
    for (let i = lo; i < this.items.length && this.items[i].start < to; i++) {
      if (this.items[i].end > from) out.push(this.items[i]);
    }
    return out;
  }
}
