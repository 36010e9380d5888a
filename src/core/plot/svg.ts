// Our own SVG line-chart writer for check plots (export to `figures/<slug>.svg`, the CLI's `--plots DIR`).
// Pure: builds a string, no DOM. Readable in GitHub's light and dark themes: with `theme: 'auto'` the colours
// live in an embedded <style> with a `prefers-color-scheme: dark` variant, and every element also carries the
// light colours as presentation attributes (used by renderers that ignore <style>; the opaque background keeps
// them readable anywhere).
import type { PlotSeries, PlotSpec } from '../check/types';
import { MAX_POINTS_PER_SERIES, decimate } from './decimate';

export type PlotTheme = 'auto' | 'light' | 'dark';

export interface PlotSvgOptions {
  /** Width in px (default 720). */
  width?: number;
  /** Height in px (default 420). */
  height?: number;
  /** Colour scheme (default 'auto': follows the viewer's light/dark preference). */
  theme?: PlotTheme;
}


/** A tick of an axis: `value` is in axis units (the exponent for a log axis). */
export interface AxisTick {
  value: number;
  label: string;
  /** Minor ticks get a short mark and no label. */
  minor?: boolean;
}

interface Palette {
  bg: string;
  text: string;
  muted: string;
  grid: string;
  axis: string;
  marker: string;
  series: string[];
}

// GitHub's own light and dark colours (Primer), so charts sit naturally on github.com pages.
const LIGHT: Palette = {
  bg: '#ffffff',
  text: '#1f2328',
  muted: '#59636e',
  grid: '#d1d9e0',
  axis: '#59636e',
  marker: '#9a6700',
  series: ['#0969da', '#cf222e', '#1a7f37', '#8250df', '#bc4c00', '#1b7c83', '#bf3989', '#6e7781'],
};
const DARK: Palette = {
  bg: '#0d1117',
  text: '#f0f6fc',
  muted: '#9198a1',
  grid: '#3d444d',
  axis: '#9198a1',
  marker: '#d29922',
  series: ['#4493f8', '#f85149', '#3fb950', '#ab7df8', '#db6d28', '#39c5cf', '#db61a2', '#9198a1'],
};

const FONT = "-apple-system,BlinkMacSystemFont,'Segoe UI','Noto Sans',Helvetica,Arial,sans-serif";
const DASHES = ['', '6 3', '2 3', '8 3 2 3'];

// ---------------------------------------------------------------------------------------------------------------
// Text

/** Escapes text for XML content and attribute values, dropping characters XML 1.0 cannot hold. */
export function escapeXml(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 38) out += '&amp;';
    else if (c === 60) out += '&lt;';
    else if (c === 62) out += '&gt;';
    else if (c === 34) out += '&quot;';
    else if (c === 39) out += '&#39;';
    else if (c < 32 && c !== 9 && c !== 10 && c !== 13) out += '\uFFFD';
    else if (c === 0xfffe || c === 0xffff) out += '\uFFFD';
    else if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        out += s[i] + s[i + 1];
        i++;
      } else out += '\uFFFD';
    } else if (c >= 0xdc00 && c <= 0xdfff) out += '\uFFFD';
    else out += s[i];
  }
  return out;
}

const SUPERSCRIPT: Record<string, string> = {
  '0': '⁰', '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵', '6': '⁶', '7': '⁷', '8': '⁸', '9': '⁹', '-': '⁻',
};

function superscript(n: number): string {
  return String(n).split('').map((ch) => SUPERSCRIPT[ch] ?? ch).join('');
}

/** "10⁻⁴", "1", "10" for a power of ten given by its exponent. */
export function formatPowerOfTen(exponent: number, mantissa = 1): string {
  if (mantissa === 1) {
    if (exponent === 0) return '1';
    if (exponent === 1) return '10';
    return `10${superscript(exponent)}`;
  }
  if (exponent === 0) return String(mantissa);
  return `${mantissa}×10${superscript(exponent)}`;
}

function truncate(s: string, maxChars: number): string {
  if (s.length <= maxChars) return s;
  return s.slice(0, Math.max(1, maxChars - 1)) + '…';
}

/** Rough text width in px for the sans-serif font at `size` px (enough for layout decisions). */
function textWidth(s: string, size: number): number {
  return s.length * size * 0.58;
}

// ---------------------------------------------------------------------------------------------------------------
// Ticks

function tenTo(k: number): number {
  return Math.pow(10, k);
}

/** m × 10^k computed without the usual binary round-off (0.1 * 3 → 0.3). */
function scaled(m: number, k: number): number {
  return k >= 0 ? m * tenTo(k) : m / tenTo(-k);
}

/** The nice step (1, 2, 2.5 or 5 × 10^k) closest above `raw`, as mantissa and exponent. */
function niceStep(raw: number): { m: number; k: number } {
  let k = Math.floor(Math.log10(raw));
  const f = raw / tenTo(k);
  let m: number;
  if (f <= 1) m = 1;
  else if (f <= 2) m = 2;
  else if (f <= 2.5) m = 2.5;
  else if (f <= 5) m = 5;
  else {
    m = 1;
    k += 1;
  }
  return { m, k };
}

/**
 * Evenly spaced "nice" tick values (multiples of 1, 2, 2.5 or 5 × 10^k) covering [min, max]: the first tick is
 * ≤ min and the last ≥ max, with about `count` intervals between them. Empty when the bounds are not finite.
 */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [];
  if (min > max) [min, max] = [max, min];
  const n = Math.max(1, Math.round(count));
  if (min === max) {
    const d = min === 0 ? 1 : Math.abs(min) * 0.1;
    min -= d;
    max += d;
  }
  const span = max - min;
  if (!Number.isFinite(span)) {
    return niceTicks(min / 2, max / 2, count).map((t) => t * 2).filter(Number.isFinite);
  }
  const { m, k } = niceStep(span / n);
  const step = scaled(m, k);
  const first = Math.floor(min / step);
  const last = Math.ceil(max / step);
  const out: number[] = [];
  for (let i = first; i <= last; i++) {
    const v = k >= 0 ? i * m * tenTo(k) : (i * m) / tenTo(-k);
    out.push(v === 0 ? 0 : v); // no -0
  }
  return out;
}

/** Labels for linear ticks: plain decimals, or "2.5×10⁻⁴" when the numbers are very small or very large. */
export function formatLinearTicks(ticks: readonly number[]): string[] {
  if (ticks.length === 0) return [];
  const step = ticks.length > 1 ? Math.abs(ticks[1] - ticks[0]) : Math.abs(ticks[0]) || 1;
  const maxAbs = Math.max(...ticks.map(Math.abs));
  const stepExp = Math.floor(Math.log10(step) + 1e-9);
  const scientific = maxAbs >= 1e6 || (step < 1e-3 && maxAbs < 1e-2) || step < 1e-6;
  return ticks.map((v) => {
    if (v === 0) return '0';
    if (!scientific) {
      const mant = step / tenTo(stepExp);
      const decimals = Math.max(0, -stepExp + (Math.abs(mant - Math.round(mant)) > 1e-9 ? 1 : 0));
      const s = v.toFixed(Math.min(20, decimals));
      return s.startsWith('-') && Number(s) === 0 ? s.slice(1) : s.replace('-', '−');
    }
    const e = Math.floor(Math.log10(Math.abs(v)) + 1e-12);
    const digits = Math.max(0, Math.min(15, e - stepExp + 1));
    let mant = (v / tenTo(e)).toFixed(digits);
    if (mant.includes('.')) mant = mant.replace(/0+$/, '').replace(/\.$/, '');
    mant = mant.replace('-', '−');
    if (e === 0) return mant;
    return `${mant}×10${superscript(e)}`;
  });
}

/** Decades between labelled log ticks: 1, 2, 3, 5, 10, 20, 25, 50, 100, … so that at most `maxLabels` fit. */
export function logStride(decades: number, maxLabels = 8): number {
  const limit = Math.max(1, maxLabels);
  for (let p = 1; ; p *= 10) {
    for (const m of p === 1 ? [1, 2, 3, 5] : [1, 2, 2.5, 5]) {
      const s = m * p;
      if (Number.isInteger(s) && Math.ceil(decades / s) <= limit) return s;
    }
    if (p > 1e6) return Math.ceil(decades / limit);
  }
}

/**
 * Ticks of a log10 axis spanning the exponents [lo, hi] (integers, lo < hi). Values are exponents (log10 of the
 * data value), so tiny or huge decades never underflow. Labels read "10⁻⁴"; spans of at most two decades also
 * get 2× and 5× ticks, spans up to eight decades get unlabelled minor ticks at 2…9.
 */
export function logTicks(lo: number, hi: number, maxLabels = 8): AxisTick[] {
  if (!Number.isFinite(lo) || !Number.isFinite(hi) || hi <= lo) return [];
  const decades = hi - lo;
  const stride = logStride(decades, maxLabels);
  const plain = lo >= -2 && hi <= 4;
  const label = (k: number, m = 1): string => {
    if (plain) {
      const v = scaled(m, k);
      return k < 0 ? v.toFixed(-k) : String(v);
    }
    return formatPowerOfTen(k, m);
  };
  const out: AxisTick[] = [];
  for (let k = lo; k <= hi; k++) {
    // labelled decades are multiples of the stride (10⁻⁴⁰, 10⁻³⁰, … rather than 10⁻⁴⁵, 10⁻³⁴, …)
    if (k % stride === 0) out.push({ value: k, label: label(k) });
    if (k === hi || stride > 1) continue;
    if (decades <= 2) {
      out.push({ value: k + Math.log10(2), label: label(k, 2) });
      out.push({ value: k + Math.log10(5), label: label(k, 5) });
      for (const m of [3, 4, 6, 7, 8, 9]) out.push({ value: k + Math.log10(m), label: '', minor: true });
    } else if (decades <= 8) {
      for (let m = 2; m <= 9; m++) out.push({ value: k + Math.log10(m), label: '', minor: true });
    }
  }
  return out.sort((a, b) => a.value - b.value);
}

// ---------------------------------------------------------------------------------------------------------------
// Axes

interface Axis {
  log: boolean;
  /** Domain in axis units (exponents for a log axis). */
  u0: number;
  u1: number;
  ticks: AxisTick[];
}

/** Axis units of a data value, or undefined when it cannot be drawn on this axis. */
function toUnits(v: number, log: boolean): number | undefined {
  if (!Number.isFinite(v)) return undefined;
  if (!log) return v;
  if (v <= 0) return undefined;
  return Math.log10(v);
}

function buildAxis(values: number[], log: boolean, targetTicks: number): Axis {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    const u = toUnits(v, log);
    if (u === undefined) continue;
    if (u < lo) lo = u;
    if (u > hi) hi = u;
  }
  if (log) {
    if (lo > hi) {
      lo = 0;
      hi = 1;
    }
    // Whole decades around the data (a tolerance absorbs log10 round-off such as log10(1e-5) ≈ −4.999…).
    let a = Math.floor(lo + 1e-9);
    let b = Math.ceil(hi - 1e-9);
    if (b <= a) b = a + 1;
    // Snap to the label stride so both ends of the axis are labelled.
    const stride = logStride(b - a, targetTicks);
    a = Math.floor(a / stride) * stride;
    b = Math.ceil(b / stride) * stride;
    return { log, u0: a, u1: b, ticks: logTicks(a, b, targetTicks) };
  }
  if (lo > hi) {
    lo = 0;
    hi = 1;
  }
  const values2 = niceTicks(lo, hi, targetTicks);
  const labels = formatLinearTicks(values2);
  return {
    log,
    u0: values2[0],
    u1: values2[values2.length - 1],
    ticks: values2.map((v, i) => ({ value: v, label: labels[i] })),
  };
}

function fmt(n: number): string {
  const r = Math.round(n * 100) / 100;
  return String(r === 0 ? 0 : r);
}

// ---------------------------------------------------------------------------------------------------------------
// Rendering

function paletteFor(theme: PlotTheme): Palette {
  return theme === 'dark' ? DARK : LIGHT;
}

function styleRules(p: Palette, seriesCount: number): string {
  let css =
    `.mw-bg{fill:${p.bg}}.mw-text{fill:${p.text}}.mw-muted{fill:${p.muted}}` +
    `.mw-grid{stroke:${p.grid}}.mw-axis{stroke:${p.axis}}.mw-marker{stroke:${p.marker}}.mw-marker-label{fill:${p.marker}}`;
  for (let i = 0; i < Math.min(seriesCount, p.series.length); i++) {
    css += `.mw-s${i}{stroke:${p.series[i]}}.mw-f${i}{fill:${p.series[i]}}`;
  }
  return css;
}

function hashString(s: string): string {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return (h >>> 0).toString(36);
}

interface LegendItem {
  name: string;
  index: number;
  x: number;
  row: number;
}

/**
 * Renders a plot as a standalone SVG document (a string). Each series is decimated to at most
 * MAX_POINTS_PER_SERIES points; non-finite values and, on a log axis, non-positive values leave gaps.
 */
export function renderPlotSvg(plot: PlotSpec, opts: PlotSvgOptions = {}): string {
  const width = Math.max(240, Math.round(opts.width ?? 720));
  const height = Math.max(180, Math.round(opts.height ?? 420));
  const theme: PlotTheme = opts.theme ?? 'auto';
  const pal = paletteFor(theme);
  const series: PlotSeries[] = plot.series.map((s) => {
    const d = decimate(s.x, s.y, MAX_POINTS_PER_SERIES);
    return { name: s.name, x: d.x, y: d.y };
  });
  const markers = (plot.markers ?? []).filter((m) => toUnits(m.x, plot.logX) !== undefined);
  const colourOf = (i: number): number => i % pal.series.length;

  // Legend layout (below the plot), wrapped to the width.
  const legendFont = 12;
  const legendItems: LegendItem[] = [];
  {
    let x = 16;
    let row = 0;
    series.forEach((s, index) => {
      const name = truncate(s.name || `series ${index + 1}`, 60);
      const w = 28 + textWidth(name, legendFont) + 18;
      if (x + w > width - 16 && x > 16) {
        row++;
        x = 16;
      }
      legendItems.push({ name, index, x, row });
      x += w;
    });
  }
  // A single unnamed series needs no legend.
  const showLegend = series.length > 1 || (series.length === 1 && series[0].name.trim() !== '');
  const legendRows = showLegend ? (legendItems.at(-1)?.row ?? 0) + 1 : 0;

  // Vertical budget.
  const title = plot.title.trim();
  const top = title ? 44 : 18;
  const xLabelBlock = plot.xLabel.trim() ? 20 : 0;
  const bottom = 26 + xLabelBlock + (showLegend ? legendRows * 20 + 8 : 0) + 8;
  const plotH = Math.max(60, height - top - bottom);

  const allY: number[] = [];
  const allX: number[] = [];
  for (const s of series) {
    for (let i = 0; i < s.x.length; i++) {
      const xu = toUnits(s.x[i], plot.logX);
      const yu = toUnits(s.y[i], plot.logY);
      if (xu === undefined || yu === undefined) continue;
      allX.push(s.x[i]);
      allY.push(s.y[i]);
    }
  }
  for (const m of markers) allX.push(m.x);
  const yAxis = buildAxis(allY, plot.logY, Math.max(3, Math.round(plotH / (plot.logY ? 36 : 55))));

  // Horizontal budget: the y tick labels decide the left margin.
  const tickFont = 11;
  const yLabelWidth = Math.max(0, ...yAxis.ticks.filter((t) => !t.minor).map((t) => textWidth(t.label, tickFont)));
  const left = Math.round((plot.yLabel.trim() ? 26 : 8) + yLabelWidth + 12);
  const right = 24;
  const plotW = Math.max(80, width - left - right);
  const xAxis = buildAxis(allX, plot.logX, Math.max(3, Math.round(plotW / (plot.logX ? 70 : 95))));

  const px = (u: number): number => left + ((u - xAxis.u0) / (xAxis.u1 - xAxis.u0)) * plotW;
  const py = (u: number): number => top + plotH - ((u - yAxis.u0) / (yAxis.u1 - yAxis.u0)) * plotH;
  const id = `mw${hashString(`${plot.title}|${series.length}|${width}x${height}`)}`;

  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"` +
      ` role="img" aria-labelledby="${id}-title" font-family="${escapeXml(FONT)}" font-size="12">`,
  );
  out.push(`<title id="${id}-title">${escapeXml(title || 'Plot')}</title>`);
  let css = styleRules(pal, series.length);
  if (theme === 'auto') css += `@media (prefers-color-scheme: dark){${styleRules(DARK, series.length)}}`;
  out.push(`<style>${css}</style>`);
  out.push(
    `<defs><clipPath id="${id}-clip"><rect x="${fmt(left)}" y="${fmt(top)}" width="${fmt(plotW)}" height="${fmt(plotH)}"/></clipPath></defs>`,
  );
  out.push(`<rect class="mw-bg" fill="${pal.bg}" x="0" y="0" width="${width}" height="${height}"/>`);
  if (title) {
    const maxChars = Math.floor((width - 24) / (15 * 0.6));
    out.push(
      `<text class="mw-text" fill="${pal.text}" x="${fmt(width / 2)}" y="26" text-anchor="middle" font-size="15" font-weight="600">${escapeXml(truncate(title, maxChars))}</text>`,
    );
  }

  // Grid and ticks.
  const grid: string[] = [];
  const tickMarks: string[] = [];
  const labels: string[] = [];
  const inside = (u: number, a: Axis): boolean => u >= a.u0 - 1e-9 && u <= a.u1 + 1e-9;
  for (const t of xAxis.ticks) {
    if (!inside(t.value, xAxis)) continue;
    const x = fmt(px(t.value));
    const len = t.minor ? 3 : 5;
    if (!t.minor) grid.push(`M${x} ${fmt(top)}V${fmt(top + plotH)}`);
    tickMarks.push(`M${x} ${fmt(top + plotH)}v${len}`);
    if (t.label) {
      labels.push(
        `<text class="mw-muted" fill="${pal.muted}" x="${x}" y="${fmt(top + plotH + 18)}" text-anchor="middle" font-size="${tickFont}">${escapeXml(t.label)}</text>`,
      );
    }
  }
  for (const t of yAxis.ticks) {
    if (!inside(t.value, yAxis)) continue;
    const y = fmt(py(t.value));
    const len = t.minor ? 3 : 5;
    if (!t.minor) grid.push(`M${fmt(left)} ${y}H${fmt(left + plotW)}`);
    tickMarks.push(`M${fmt(left)} ${y}h${-len}`);
    if (t.label) {
      labels.push(
        `<text class="mw-muted" fill="${pal.muted}" x="${fmt(left - 8)}" y="${y}" dy="0.35em" text-anchor="end" font-size="${tickFont}">${escapeXml(t.label)}</text>`,
      );
    }
  }
  if (grid.length) {
    out.push(`<path class="mw-grid" stroke="${pal.grid}" stroke-width="1" fill="none" d="${grid.join('')}"/>`);
  }

  // Series.
  out.push(`<g clip-path="url(#${id}-clip)">`);
  series.forEach((s, i) => {
    const c = colourOf(i);
    const segments: string[] = [];
    const dots: string[] = [];
    let current: string[] = [];
    const flush = (): void => {
      if (current.length === 1) {
        const [xy] = current;
        const [cx, cy] = xy.split(' ');
        dots.push(`<circle class="mw-f${c}" fill="${pal.series[c]}" cx="${cx}" cy="${cy}" r="2"/>`);
      } else if (current.length > 1) {
        segments.push(`M${current.join('L')}`);
      }
      current = [];
    };
    for (let k = 0; k < s.x.length; k++) {
      const xu = toUnits(s.x[k], plot.logX);
      const yu = toUnits(s.y[k], plot.logY);
      if (xu === undefined || yu === undefined) {
        flush();
        continue;
      }
      current.push(`${fmt(px(xu))} ${fmt(py(yu))}`);
    }
    flush();
    const dash = DASHES[Math.floor(i / pal.series.length) % DASHES.length];
    if (segments.length) {
      out.push(
        `<path class="mw-s${c}" stroke="${pal.series[c]}" stroke-width="1.75" fill="none" stroke-linejoin="round" stroke-linecap="round"${dash ? ` stroke-dasharray="${dash}"` : ''} d="${segments.join('')}"/>`,
      );
    }
    out.push(...dots);
  });
  markers.forEach((m, i) => {
    const u = toUnits(m.x, plot.logX);
    if (u === undefined) return;
    const x = fmt(px(u));
    out.push(
      `<path class="mw-marker" stroke="${pal.marker}" stroke-width="1.25" stroke-dasharray="5 4" fill="none" d="M${x} ${fmt(top)}V${fmt(top + plotH)}"/>`,
    );
    const nearRight = px(u) > left + plotW * 0.7;
    out.push(
      `<text class="mw-marker-label" fill="${pal.marker}" x="${fmt(px(u) + (nearRight ? -4 : 4))}" y="${fmt(top + 14 + 14 * i)}" text-anchor="${nearRight ? 'end' : 'start'}" font-size="11">${escapeXml(truncate(m.label, 48))}</text>`,
    );
  });
  out.push('</g>');

  // Frame, ticks, labels.
  out.push(
    `<rect class="mw-axis" stroke="${pal.axis}" fill="none" stroke-width="1" x="${fmt(left)}" y="${fmt(top)}" width="${fmt(plotW)}" height="${fmt(plotH)}"/>`,
  );
  if (tickMarks.length) {
    out.push(`<path class="mw-axis" stroke="${pal.axis}" stroke-width="1" fill="none" d="${tickMarks.join('')}"/>`);
  }
  out.push(...labels);
  if (plot.xLabel.trim()) {
    out.push(
      `<text class="mw-text" fill="${pal.text}" x="${fmt(left + plotW / 2)}" y="${fmt(top + plotH + 38)}" text-anchor="middle" font-size="12">${escapeXml(truncate(plot.xLabel.trim(), 90))}</text>`,
    );
  }
  if (plot.yLabel.trim()) {
    const cy = top + plotH / 2;
    out.push(
      `<text class="mw-text" fill="${pal.text}" x="14" y="${fmt(cy)}" transform="rotate(-90 14 ${fmt(cy)})" text-anchor="middle" dy="0.35em" font-size="12">${escapeXml(truncate(plot.yLabel.trim(), 60))}</text>`,
    );
  }
  if (allY.length === 0) {
    out.push(
      `<text class="mw-muted" fill="${pal.muted}" x="${fmt(left + plotW / 2)}" y="${fmt(top + plotH / 2)}" text-anchor="middle" font-size="12">no finite values to plot</text>`,
    );
  }

  // Legend.
  if (showLegend) {
    const y0 = top + plotH + 26 + xLabelBlock + 10;
    for (const item of legendItems) {
      const c = colourOf(item.index);
      const y = y0 + item.row * 20;
      const dash = DASHES[Math.floor(item.index / pal.series.length) % DASHES.length];
      out.push(
        `<path class="mw-s${c}" stroke="${pal.series[c]}" stroke-width="2.5" fill="none"${dash ? ` stroke-dasharray="${dash}"` : ''} d="M${fmt(item.x)} ${fmt(y)}h22"/>`,
      );
      out.push(
        `<text class="mw-text" fill="${pal.text}" x="${fmt(item.x + 28)}" y="${fmt(y)}" dy="0.35em" font-size="${legendFont}">${escapeXml(item.name)}</text>`,
      );
    }
  }
  out.push('</svg>');
  return out.join('\n') + '\n';
}
