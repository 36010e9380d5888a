// The small API `activate()` returns. Integration tests await these events instead of sleeping; other
// extensions could use them too. Only types and ids live here (tests import it with `import type`).
import type * as vscode from 'vscode';
import type { CheckResult } from '../core/check/types';
import type { Finding } from '../core/types';
import type { PlotRenderInfo } from '../shared/plotMessages';
import type { PreviewTestApi } from './preview/index';

/** Command ids (all contributed under the "Math Writeup" category). */
export const Commands = {
  runCheck: 'mathWriteup.runCheck',
  runAllChecks: 'mathWriteup.runAllChecks',
  cancelChecks: 'mathWriteup.cancelChecks',
  showPlot: 'mathWriteup.showPlot',
  savePlotSvg: 'mathWriteup.savePlotSvg',
  savePlotPng: 'mathWriteup.savePlotPng',
  fixAll: 'mathWriteup.fixAllInFile',
  lintNow: 'mathWriteup.lintDocument',
  showProblems: 'mathWriteup.showProblems',
  openRuleDocs: 'mathWriteup.openRuleDocs',
  /** Internal (hidden from the palette): apply edits when the document version still matches. */
  applyEdits: 'mathWriteup.applyEdits',
} as const;

export interface DiagnosticsPublished {
  uri: vscode.Uri;
  /** Document version the diagnostics were computed for (never older than the document's). */
  version: number;
  count: number;
  /** Time spent in the lint engine, ms. */
  lintMs: number;
  /**
   * Time from the change that made this version (as the extension host received it) to these diagnostics, ms:
   * "last keystroke → fresh diagnostics", debounce included. Undefined for a lint not caused by an edit.
   */
  sinceChangeMs?: number;
  /** Lines the incremental linter scanned for this answer (the rest of the document came from its cache). */
  lintedLines?: number;
  /** Findings the lint worker's answer carried (a delta carries only the ones that changed near the edit). */
  carriedFindings?: number;
  /**
   * Where `sinceChangeMs` went: waiting for the debounce timer (and the extension host's event loop), preparing the
   * request (configuration), the lint worker's round trip (queue, lint, messages; `queuedMs` of it waiting in the
   * worker), and setting the diagnostics.
   */
  phases?: { waitMs: number; prepareMs: number; workerMs: number; queuedMs: number; publishMs: number };
}

export interface CheckFinished {
  uri: vscode.Uri;
  /** Document version the check ran on. */
  version: number;
  result: CheckResult;
  /** Text of the check block between its fences when it ran (the preview's card is keyed by it). */
  content: string;
}

export interface CheckRefused {
  uri: vscode.Uri;
  reason: 'untrusted' | 'disabled';
}

export interface CheckStarted {
  uri: vscode.Uri;
  version: number;
  /** Fence lines of the checks in this run. */
  lines: number[];
}

export type PlotPanelEvent =
  | { kind: 'ready' }
  | { kind: 'rendered'; info: PlotRenderInfo }
  | { kind: 'saved'; file: vscode.Uri; format: 'svg' | 'png' };

export interface MathWriteupApi {
  /** VS Code's built-in Markdown preview calls this (package.json "markdown.markdownItPlugins"). */
  extendMarkdownIt(md: import('markdown-it')): import('markdown-it');
  /** Wall-clock time spent in `activate()`, ms. */
  readonly activationMs: number;
  /** From the first line of the bundle being evaluated to the end of activate(): load + activate. */
  readonly loadAndActivateMs: number;
  readonly onDidPublishDiagnostics: vscode.Event<DiagnosticsPublished>;
  readonly onDidStartChecks: vscode.Event<CheckStarted>;
  readonly onDidFinishCheck: vscode.Event<CheckFinished>;
  /** A check run that was asked for (CodeLens, command, preview card) and refused. */
  readonly onDidRefuseChecks: vscode.Event<CheckRefused>;
  readonly onDidChangeCodeLenses: vscode.Event<vscode.Uri>;
  readonly onPlotPanel: vscode.Event<PlotPanelEvent>;
  /** Document version whose diagnostics were last published (undefined when none are). */
  publishedVersion(uri: vscode.Uri): number | undefined;
  /** Findings last published for a document (empty when none or not linted yet). */
  findings(uri: vscode.Uri): readonly Finding[];
  /** True while a check run is in progress for the document. */
  isChecking(uri: vscode.Uri): boolean;
  /** Text of the "GitHub math: N problems" status-bar item (undefined while hidden). */
  statusBarText(): string | undefined;
  /** The preview's events and test hooks (src/vscode/preview). */
  readonly preview: PreviewTestApi;
  /** The last entries of the "Math Writeup" log (oldest first), at most `n`. */
  recentLog(n?: number): string[];
}
