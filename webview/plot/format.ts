// Number formatting for axis ticks and hover values: never prints 0 for 1e-5, no floating-point noise
// (0.30000000000000004 → 0.3), powers of ten as 10⁻⁵ on log axes.

const SUPERSCRIPT: Record<string, string> = {
  '-': '⁻', '0': '⁰', '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵', '6': '⁶', '7': '⁷', '8': '⁸', '9': '⁹',
};

function superscript(n: number): string {
  return String(n).split('').map((c) => SUPERSCRIPT[c] ?? c).join('');
}

/** Decimal mantissa and exponent of v (v ≠ 0), the mantissa rounded to `digits` significant digits. */
function decompose(v: number, digits: number): { mant: number; exp: number } {
  let exp = Math.floor(Math.log10(Math.abs(v)));
  let mant = Number((v / 10 ** exp).toPrecision(digits));
  if (Math.abs(mant) >= 10) {
    mant /= 10;
    exp += 1;
  }
  return { mant, exp };
}

/** A readable number: plain decimals for 0.001 ≤ |v| < 100000, otherwise m×10ⁿ (10ⁿ when m = 1). */
export function formatNumber(v: number, digits = 6): string {
  if (v === 0) return '0';
  if (!Number.isFinite(v)) return Number.isNaN(v) ? 'NaN' : v > 0 ? '∞' : '−∞';
  const a = Math.abs(v);
  if (a >= 1e-3 && a < 1e5) return String(Number(v.toPrecision(digits))).replace('-', '−');
  const { mant, exp } = decompose(v, digits);
  const sign = mant < 0 ? '−' : '';
  const m = Math.abs(mant);
  return m === 1 ? `${sign}10${superscript(exp)}` : `${sign}${m}×10${superscript(exp)}`;
}

/** A power of ten as a log-axis label: 1, 10, 10², 10⁻⁵ … */
export function powerLabel(exp: number): string {
  if (exp === 0) return '1';
  if (exp === 1) return '10';
  return `10${superscript(exp)}`;
}

/**
 * Tick positions for a log axis over [min, max]: powers of ten, every `stride`-th decade so that at most about
 * `maxLabels` are drawn; spans under two decades also get the 2× and 5× ticks.
 */
export function logSplits(min: number, max: number, maxLabels = 8): number[] {
  if (!(min > 0) || !(max > 0) || max < min) return [];
  const lo = Math.floor(Math.log10(min) + 1e-9);
  const hi = Math.ceil(Math.log10(max) - 1e-9);
  const decades = Math.log10(max / min);
  const stride = Math.max(1, Math.ceil(decades / maxLabels));
  const out: number[] = [];
  for (let e = Math.ceil(lo / stride) * stride; e <= hi; e += stride) {
    const v = 10 ** e;
    if (v >= min * (1 - 1e-9) && v <= max * (1 + 1e-9)) out.push(v);
    if (decades <= 2) {
      for (const m of [2, 5]) {
        const w = m * 10 ** e;
        if (w >= min && w <= max) out.push(w);
      }
    }
  }
  return out.sort((a, b) => a - b);
}

/** Labels for the ticks of an axis: powers of ten as 10ⁿ on a log axis, readable decimals otherwise. */
export function tickLabels(splits: readonly number[], log: boolean): string[] {
  return splits.map((s) => {
    if (s === null || s === undefined || !Number.isFinite(s)) return '';
    if (log && s > 0) {
      const { mant, exp } = decompose(s, 6);
      return mant === 1 ? powerLabel(exp) : formatNumber(s, 3);
    }
    return formatNumber(s, 6);
  });
}
