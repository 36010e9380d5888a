// Tick and value formatting of the plot webview (webview/plot/format.ts): readable numbers, never 0 for a tiny
// value, powers of ten as 10ⁿ, log-axis ticks thinned to fit.
import * as assert from 'node:assert';
import { formatNumber, logSplits, powerLabel, tickLabels } from '../../webview/plot/format';

describe('plot webview: number formatting', () => {
  it('never prints 0 for a small non-zero value', () => {
    assert.strictEqual(formatNumber(1e-5), '10⁻⁵');
    assert.strictEqual(formatNumber(2.5e-7), '2.5×10⁻⁷');
    assert.strictEqual(formatNumber(-3e-9), '−3×10⁻⁹');
    assert.strictEqual(formatNumber(0), '0');
  });

  it('prints ordinary numbers plainly, without floating-point noise', () => {
    assert.strictEqual(formatNumber(0.1 + 0.2), '0.3');
    assert.strictEqual(formatNumber(0.25), '0.25');
    assert.strictEqual(formatNumber(12345), '12345');
    assert.strictEqual(formatNumber(-0.001), '−0.001');
    assert.strictEqual(formatNumber(123456), '1.23456×10⁵');
    assert.strictEqual(formatNumber(Number.NaN), 'NaN');
    assert.strictEqual(formatNumber(Number.POSITIVE_INFINITY), '∞');
  });

  it('labels powers of ten on log axes as 1, 10, 10ⁿ', () => {
    assert.deepStrictEqual([-12, -1, 0, 1, 2, 9].map(powerLabel), ['10⁻¹²', '10⁻¹', '1', '10', '10²', '10⁹']);
    assert.deepStrictEqual(tickLabels([1e-13, 1e-6, 1, 1e3], true), ['10⁻¹³', '10⁻⁶', '1', '10³']);
    assert.deepStrictEqual(tickLabels([2e-3, 5e-3], true), ['0.002', '0.005']);
    assert.deepStrictEqual(tickLabels([0, 0.5, 1e-5], false), ['0', '0.5', '10⁻⁵']);
  });

  it('thins log ticks to at most about maxLabels decades, covering the range', () => {
    const s = logSplits(1e-13, 1e9, 8);
    assert.ok(s.length <= 8 && s.length >= 4, String(s));
    assert.ok(s.every((v) => v >= 1e-13 && v <= 1e9));
    const exps = s.map((v) => Math.round(Math.log10(v)));
    const steps = new Set(exps.slice(1).map((e, i) => e - exps[i]));
    assert.strictEqual(steps.size, 1, `evenly spaced decades: ${exps}`);
    assert.deepStrictEqual(logSplits(0.3, 20, 8), [0.5, 1, 2, 5, 10, 20]);
    assert.deepStrictEqual(logSplits(-1, 10), []);
  });
});
