// Plot webview: draws the plots of one check run with uPlot (log axes, legend with hover values, drag to zoom,
// double-click to reset), toolbar with @vscode-elements buttons and series toggles, VS Code theme colours.
// Talks to src/vscode/plotPanel.ts through the typed messages of src/shared/plotMessages.ts.
import uPlot from 'uplot';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import type { PlotSpec } from '../../src/core/check/types';
import type { FromPlotMessage, PlotContent, PlotRenderInfo, PlotViewState, ToPlotMessage } from '../../src/shared/plotMessages';
import { formatNumber, logSplits, tickLabels } from './format';

interface VsCodeApi {
  postMessage(m: FromPlotMessage): void;
  getState(): PlotViewState | undefined;
  setState(s: PlotViewState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;
declare global {
  interface Window {
    litNonce?: string;
  }
}

const vscode = acquireVsCodeApi();
const cspViolations: string[] = [];
document.addEventListener('securitypolicyviolation', (e) => {
  cspViolations.push(`${e.violatedDirective} ${e.blockedURI || '(inline)'}`);
});
const settings = readSettings();
// Lit falls back to <style> elements where constructable stylesheets are missing: give them the page nonce.
window.litNonce = typeof settings.nonce === 'string' ? settings.nonce : undefined;

/** The page's settings (src/core/render/page.ts buildWebviewPage): the nonce and the initial plot. */
function readSettings(): { nonce?: unknown; initial?: unknown } {
  try {
    return (JSON.parse(document.getElementById('plot-data')?.dataset.settings ?? '{}') as { nonce?: unknown; initial?: unknown } | null) ?? {};
  } catch {
    return {};
  }
}

const root = document.getElementById('root') as HTMLElement;
let state: PlotViewState | undefined = vscode.getState() ?? initialState();

function initialState(): PlotViewState | undefined {
  return (settings.initial as PlotViewState | null | undefined) ?? undefined;
}

interface Chart {
  u: uPlot;
  spec: PlotSpec;
  labels: { x: string[]; y: string[] };
  counts: number[];
  logX: boolean;
  logY: boolean;
  drawn: Promise<void>;
}
let charts: Chart[] = [];

function cssVar(name: string, fallback: string): string {
  const v = getComputedStyle(document.body).getPropertyValue(name).trim();
  return v || fallback;
}

function palette(): string[] {
  return [
    cssVar('--vscode-charts-blue', '#3794ff'),
    cssVar('--vscode-charts-orange', '#d18616'),
    cssVar('--vscode-charts-green', '#89d185'),
    cssVar('--vscode-charts-red', '#f14c4c'),
    cssVar('--vscode-charts-purple', '#b180d7'),
    cssVar('--vscode-charts-yellow', '#cca700'),
  ];
}

/** Aligns the series on one x axis (uPlot.join), dropping points a log axis cannot show. */
function align(spec: PlotSpec, logX: boolean, logY: boolean): { data: uPlot.AlignedData; counts: number[] } {
  const counts: number[] = [];
  const tables: uPlot.AlignedData[] = spec.series.map((s) => {
    const pts = new Map<number, number | null>();
    const n = Math.min(s.x.length, s.y.length);
    for (let i = 0; i < n; i++) {
      const x = s.x[i];
      const y = s.y[i];
      if (!Number.isFinite(x) || (logX && x <= 0)) continue;
      pts.set(x, Number.isFinite(y) && !(logY && y <= 0) ? y : null);
    }
    const xs = [...pts.keys()].sort((a, b) => a - b);
    counts.push(xs.filter((x) => pts.get(x) !== null).length);
    return [xs, xs.map((x) => pts.get(x) ?? null)] as uPlot.AlignedData;
  });
  if (tables.length === 0) return { data: [[]], counts };
  return { data: tables.length === 1 ? tables[0] : uPlot.join(tables), counts };
}

function hasPositive(values: readonly number[]): boolean {
  return values.some((v) => Number.isFinite(v) && v > 0);
}

function chartSize(): { width: number; height: number } {
  const width = Math.max(320, root.clientWidth - 8);
  const height = Math.round(Math.min(440, Math.max(240, window.innerHeight * (charts.length > 1 ? 0.42 : 0.6))));
  return { width, height };
}

function buildChart(host: HTMLElement, spec: PlotSpec, index: number, hidden: readonly string[]): Chart {
  const logX = spec.logX && hasPositive(spec.series.flatMap((s) => s.x));
  const logY = spec.logY && hasPositive(spec.series.flatMap((s) => s.y));
  const { data, counts } = align(spec, logX, logY);
  const fg = cssVar('--vscode-editor-foreground', '#cccccc');
  const grid = cssVar('--vscode-editorWidget-border', 'rgba(128,128,128,0.35)');
  const font = `12px ${cssVar('--vscode-font-family', 'sans-serif')}`;
  const colors = palette();
  const labels = { x: [] as string[], y: [] as string[] };
  let resolveDrawn: () => void = () => undefined;
  const drawn = new Promise<void>((r) => (resolveDrawn = r));
  const axis = (which: 'x' | 'y', log: boolean, label: string): uPlot.Axis => ({
    scale: which,
    label,
    stroke: fg,
    font,
    labelFont: font,
    grid: { stroke: grid, width: 1 },
    ticks: { stroke: grid, width: 1 },
    size: which === 'y' ? 64 : 44,
    // Log axes: our own decade ticks (thinned to fit the axis length), all kept (uPlot's default log filter
    // would drop some of them again).
    ...(log
      ? {
          splits: (u: uPlot, _i: number, min: number, max: number) =>
            logSplits(min, max, Math.max(3, Math.floor((which === 'y' ? u.bbox.height : u.bbox.width) / devicePixelRatio / (which === 'y' ? 30 : 70)))),
          filter: (_u: uPlot, splits: number[]) => splits,
        }
      : {}),
    values: (_u, splits) => {
      const out = tickLabels(splits, log);
      labels[which] = out.filter((s) => s !== '');
      return out;
    },
  });
  const opts: uPlot.Options = {
    width: chartSize().width,
    height: chartSize().height,
    title: spec.title,
    scales: {
      x: logX ? { time: false, distr: 3, log: 10 } : { time: false },
      y: logY ? { distr: 3, log: 10 } : {},
    },
    axes: [axis('x', logX, spec.xLabel), axis('y', logY, spec.yLabel)],
    series: [
      { label: spec.xLabel || 'x', value: (_u, v) => (v === null || v === undefined ? '—' : formatNumber(v, 5)) },
      ...spec.series.map((s, i) => ({
        label: s.name,
        show: !hidden.includes(s.name),
        stroke: colors[i % colors.length],
        width: 1.75,
        spanGaps: false,
        points: { show: counts[i] <= 60 },
        value: (_u: uPlot, v: number | null) => (v === null || v === undefined ? '—' : formatNumber(v, 5)),
      })),
    ],
    cursor: { drag: { x: true, y: true, uni: 30 }, focus: { prox: 16 } },
    legend: { live: true },
    hooks: {
      draw: [
        (u) => {
          drawMarkers(u, spec, fg);
          resolveDrawn();
        },
      ],
      setSeries: [
        (u, idx, o) => {
          if (idx === null || idx === 0) return;
          syncToggle(index, idx - 1, o.show !== false);
          persistHidden(index, u);
        },
      ],
    },
  };
  const u = new uPlot(opts, data, host);
  return { u, spec, labels, counts, logX, logY, drawn };
}

/** Vertical marker lines (e.g. claimed vs empirical boundary), drawn after the series. */
function drawMarkers(u: uPlot, spec: PlotSpec, color: string): void {
  if (!spec.markers?.length) return;
  const ctx = u.ctx;
  const { top, height } = u.bbox;
  ctx.save();
  ctx.strokeStyle = color;
  ctx.fillStyle = color;
  ctx.setLineDash([5 * devicePixelRatio, 4 * devicePixelRatio]);
  ctx.lineWidth = devicePixelRatio;
  ctx.font = `${11 * devicePixelRatio}px sans-serif`;
  spec.markers.forEach((m, i) => {
    const x = u.valToPos(m.x, 'x', true);
    if (!Number.isFinite(x) || x < u.bbox.left || x > u.bbox.left + u.bbox.width) return;
    ctx.beginPath();
    ctx.moveTo(x, top);
    ctx.lineTo(x, top + height);
    ctx.stroke();
    // labels of markers at (nearly) the same x are stacked, not drawn over each other
    ctx.fillText(m.label, x + 4 * devicePixelRatio, top + (12 + 14 * i) * devicePixelRatio);
  });
  ctx.restore();
}

function syncToggle(plotIndex: number, seriesIndex: number, on: boolean): void {
  const box = document.getElementById(`toggle-${plotIndex}-${seriesIndex}`) as (HTMLElement & { checked: boolean }) | null;
  if (box && box.checked !== on) box.checked = on;
}

function persistHidden(plotIndex: number, u: uPlot): void {
  if (!state) return;
  const hidden = u.series.slice(1).filter((s) => s.show === false).map((s) => String(s.label ?? ''));
  state = { ...state, hidden: { ...state.hidden, [plotIndex]: hidden } };
  vscode.setState(state);
}

function button(label: string, secondary: boolean, onClick: () => void, id: string): HTMLElement {
  const b = document.createElement('vscode-button');
  b.id = id;
  b.textContent = label;
  if (secondary) b.setAttribute('secondary', '');
  b.addEventListener('click', onClick);
  return b;
}

function render(content: PlotContent): void {
  for (const c of charts) c.u.destroy();
  charts = [];
  root.replaceChildren();
  const header = document.createElement('header');
  const h1 = document.createElement('h1');
  h1.id = 'check-title';
  h1.textContent = content.title;
  const verdict = document.createElement('p');
  verdict.id = 'verdict';
  verdict.className = `verdict ${content.status}`;
  verdict.textContent = `${content.status === 'pass' ? '✓ passed' : content.status === 'fail' ? '✗ failed' : '⚠ error'}: ${content.message}`;
  header.append(h1, verdict);
  root.append(header);
  if (content.plots.length === 0) {
    const p = document.createElement('p');
    p.className = 'empty';
    p.textContent = 'This check has no plot: add a `plot:` line to the block.';
    root.append(p);
  }
  content.plots.forEach((spec, i) => {
    const section = document.createElement('section');
    section.className = 'plot';
    section.dataset.index = String(i);
    const bar = document.createElement('div');
    bar.className = 'toolbar';
    bar.append(
      button('Save as SVG', false, () => vscode.postMessage({ type: 'saveSvg', plotIndex: i }), `save-svg-${i}`),
      button('Save as PNG', true, () => vscode.postMessage({ type: 'savePng', plotIndex: i }), `save-png-${i}`),
    );
    const toggles = document.createElement('div');
    toggles.className = 'toggles';
    const hidden = state?.hidden[i] ?? [];
    spec.series.forEach((s, j) => {
      const box = document.createElement('vscode-checkbox') as HTMLElement & { checked: boolean };
      box.id = `toggle-${i}-${j}`;
      box.setAttribute('label', s.name);
      box.checked = !hidden.includes(s.name);
      box.addEventListener('change', () => charts[i]?.u.setSeries(j + 1, { show: box.checked }));
      toggles.append(box);
    });
    bar.append(toggles);
    const host = document.createElement('div');
    host.className = 'chart';
    section.append(bar, host);
    root.append(section);
    charts.push(buildChart(host, spec, i, hidden));
  });
  void Promise.all(charts.map((c) => c.drawn)).then(() => vscode.postMessage({ type: 'rendered', info: renderInfo(content) }));
}

/** sRGB channels of a computed CSS colour (`rgb(…)`/`rgba(…)`); undefined for anything else. */
function rgb(css: string): [number, number, number] | undefined {
  const m = /^rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)/.exec(css);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
}

/** WCAG 2 relative luminance. */
function luminance([r, g, b]: [number, number, number]): number {
  const lin = (c: number) => {
    const v = c / 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

/** Contrast ratio of the verdict's text on the body's background (0 when the colours cannot be read). */
function verdictContrast(): number {
  const el = document.getElementById('verdict');
  const fg = el && rgb(getComputedStyle(el).color);
  const bg = rgb(getComputedStyle(document.body).backgroundColor);
  if (!fg || !bg) return 0;
  const [a, b] = [luminance(fg), luminance(bg)].sort((x, y) => y - x);
  return (a + 0.05) / (b + 0.05);
}

function renderInfo(content: PlotContent): PlotRenderInfo {
  return {
    title: content.title,
    plots: charts.map((c) => ({
      title: c.spec.title,
      series: c.spec.series.map((s, i) => ({ name: s.name, points: c.counts[i] ?? 0 })),
      logX: c.logX,
      logY: c.logY,
      xTicks: [...c.labels.x],
      yTicks: [...c.labels.y],
    })),
    cspViolations: [...cspViolations],
    verdictContrast: verdictContrast(),
  };
}

/**
 * PNG of a figure: the SVG the host wrote with our SVG writer, drawn at `width` × `height` CSS pixels on a canvas of
 * twice that size (2× pixel density), so the PNG and the SVG are the same figure whatever the panel's size.
 */
async function pngFromSvg(svg: string, width: number, height: number): Promise<string> {
  const img = new Image(width, height);
  await new Promise<void>((resolve, reject) => {
    img.onload = () => resolve();
    img.onerror = () => reject(new Error('the figure\'s SVG could not be loaded as an image'));
    img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
  });
  const out = document.createElement('canvas');
  out.width = width * 2;
  out.height = height * 2;
  const ctx = out.getContext('2d');
  if (!ctx) throw new Error('no 2D canvas');
  ctx.scale(2, 2);
  ctx.drawImage(img, 0, 0, width, height);
  return out.toDataURL('image/png');
}

function show(content: PlotContent): void {
  const sameCheck = state && state.content.uri === content.uri && state.content.title === content.title;
  state = { content, hidden: sameCheck && state ? state.hidden : {} };
  vscode.setState(state);
  render(content);
}

window.addEventListener('message', (e: MessageEvent<ToPlotMessage>) => {
  const m = e.data;
  switch (m.type) {
    case 'show':
      show(m.content);
      if (m.focus !== undefined) document.querySelector(`section.plot[data-index="${m.focus}"]`)?.scrollIntoView({ block: 'start' });
      return;
    case 'exportPng':
      pngFromSvg(m.svg, m.width, m.height).then(
        (dataUrl) => vscode.postMessage({ type: 'png', requestId: m.requestId, dataUrl }),
        (err: unknown) => vscode.postMessage({ type: 'png', requestId: m.requestId, error: `could not draw the PNG: ${String(err)}` }),
      );
      return;
  }
});

// Re-size with the panel; re-colour when the theme changes (VS Code swaps the body class).
let resizeTimer: ReturnType<typeof setTimeout> | undefined;
new ResizeObserver(() => {
  clearTimeout(resizeTimer);
  resizeTimer = setTimeout(() => {
    const size = chartSize();
    for (const c of charts) c.u.setSize(size);
  }, 50);
}).observe(root);
new MutationObserver(() => {
  if (state) render(state.content);
}).observe(document.body, { attributes: true, attributeFilter: ['class'] });

if (state) render(state.content);
vscode.postMessage({ type: 'ready' });
