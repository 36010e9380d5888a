// Messages between the extension host (src/vscode/plotPanel.ts) and the plot webview (webview/plot/main.ts).
// Types only: both sides import them with `import type`, so nothing here ends up in either bundle.
import type { CheckStatus, PlotSpec } from '../core/check/types';

/** What the plot panel shows: the plots of one check run, and where that check lives. */
export interface PlotContent {
  /** Document URI (string form) of the writeup holding the check. */
  uri: string;
  /** 0-based line of the opening ```check fence when the check ran. */
  line: number;
  /** Title of the check (also the default file name of exported figures). */
  title: string;
  status: CheckStatus;
  /** The check's one-line verdict message. */
  message: string;
  plots: PlotSpec[];
}

/** State the webview persists with `setState` (restored by the WebviewPanelSerializer after a reload). */
export interface PlotViewState {
  content: PlotContent;
  /** Names of series the user switched off, per plot index. */
  hidden: Record<number, string[]>;
}

/** Extension host → webview. */
export type ToPlotMessage =
  /** Replace what the panel shows. */
  | { type: 'show'; content: PlotContent; /** scroll this plot into view */ focus?: number }
  /**
   * Ask for a PNG of one plot (answered by `png` with the same requestId): the webview rasterises `svg` (the figure
   * "Save as SVG" writes, in its light colours) at `width` × `height` CSS pixels and twice that pixel density.
   */
  | { type: 'exportPng'; requestId: number; plotIndex: number; svg: string; width: number; height: number };

/** What the webview drew, reported after every render (tests and the host read it). */
export interface PlotRenderInfo {
  title: string;
  /** One entry per plot: its title, series names, point counts, scales, and the tick labels drawn. */
  plots: {
    title: string;
    series: { name: string; points: number }[];
    logX: boolean;
    logY: boolean;
    xTicks: string[];
    yTicks: string[];
  }[];
  /** Content-Security-Policy violations the page saw so far (should stay empty). */
  cspViolations: string[];
  /** WCAG contrast ratio of the verdict line's text on the page background (as the browser computed the colours). */
  verdictContrast: number;
}

/** Webview → extension host. */
export type FromPlotMessage =
  /** Sent once the script has loaded; the host sends `show` only after it. */
  | { type: 'ready' }
  | { type: 'rendered'; info: PlotRenderInfo }
  /** Toolbar: "Save as SVG" for one plot. */
  | { type: 'saveSvg'; plotIndex: number }
  /** Toolbar: "Save as PNG" for one plot (the host asks for the PNG with `exportPng`). */
  | { type: 'savePng'; plotIndex: number }
  /** Answer to `exportPng`: the PNG, or why it could not be drawn. */
  | { type: 'png'; requestId: number; dataUrl: string; error?: undefined }
  | { type: 'png'; requestId: number; dataUrl?: undefined; error: string }
  /** A problem inside the webview (shown to the user and logged). */
  | { type: 'error'; message: string };
