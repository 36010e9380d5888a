// The one thinning of plot series: at most MAX_POINTS_PER_SERIES points, keeping each bucket's smallest and largest
// value (peaks and dips survive). The check engine thins its long series with it once (plots/trajectory.ts); the
// SVG writer applies it to any series still longer (a series of at most the limit comes back unchanged).

/** Upper bound of points drawn per series. */
export const MAX_POINTS_PER_SERIES = 2000;

/**
 * Reduces a series to at most `maxPoints` points for drawing. Keeps the first and last point, and in each of
 * equal index buckets the points with the smallest and the largest y (so every peak, dip and the global extremes
 * survive), in their original order. A bucket holding a non-finite value (NaN, ±Infinity, or a non-finite x)
 * keeps one such point, so a gap in the data stays a gap. Returns copies; a short series comes back unchanged.
 */
export function decimate(x: readonly number[], y: readonly number[], maxPoints: number): { x: number[]; y: number[] } {
  const keep = keptIndices(Math.min(x.length, y.length), x, y, maxPoints);
  return { x: keep.map((i) => x[i]), y: keep.map((i) => y[i]) };
}

/** The same thinning of a series over the steps t = 0 … n−1 (x is the step): no array of steps is built first. */
export function decimateSteps(y: ArrayLike<number>, maxPoints: number): { x: number[]; y: number[] } {
  const keep = keptIndices(y.length, undefined, y, maxPoints);
  return { x: keep, y: keep.map((i) => y[i]) };
}

/** Indices of the points kept (all of them for a short series); `x` undefined means x = index. */
function keptIndices(n: number, x: ArrayLike<number> | undefined, y: ArrayLike<number>, maxPoints: number): number[] {
  const limit = Math.max(4, Math.floor(Number.isFinite(maxPoints) ? maxPoints : 4));
  if (n <= limit) return Array.from({ length: n }, (_, i) => i);
  const run = (perBucket: number): number[] => {
    const inner = n - 2;
    const buckets = Math.max(1, Math.floor((limit - 2) / perBucket));
    const keep: number[] = [0];
    for (let b = 0; b < buckets; b++) {
      const from = 1 + Math.floor((b * inner) / buckets);
      const to = 1 + Math.floor(((b + 1) * inner) / buckets);
      let iMin = -1;
      let iMax = -1;
      let iBad = -1;
      for (let i = from; i < to; i++) {
        const yi = y[i];
        if (!Number.isFinite(yi) || (x !== undefined && !Number.isFinite(x[i]))) {
          if (iBad < 0) iBad = i;
          continue;
        }
        if (iMin < 0 || yi < y[iMin]) iMin = i;
        if (iMax < 0 || yi > y[iMax]) iMax = i;
      }
      const picked = [iMin, iMax, iBad].filter((i) => i >= 0).sort((a, b2) => a - b2);
      for (let j = 0; j < picked.length; j++) if (j === 0 || picked[j] !== picked[j - 1]) keep.push(picked[j]);
    }
    keep.push(n - 1);
    return keep;
  };
  let keep = run(2);
  if (keep.length > limit) keep = run(3);
  return keep;
}
