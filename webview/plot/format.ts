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

/**
 * Labels for the ticks of an axis. On a log axis spanning more than a decade only powers of ten are labelled
 * (the 2…9 ticks stay as unlabelled grid lines); otherwise every tick is.
 */
export function tickLabels(splits: readonly number[], log: boolean): string[] {
  const finite = splits.filter((s) => Number.isFinite(s) && s > 0);
  const span = finite.length > 1 ? Math.max(...finite) / Math.min(...finite) : 1;
  return splits.map((s) => {
    if (s === null || s === undefined || !Number.isFinite(s)) return '';
    if (log && span > 10) {
      const { mant } = decompose(s, 6);
      return Math.abs(mant) === 1 ? formatNumber(s, 3) : '';
    }
    return formatNumber(s, 6);
  });
}
