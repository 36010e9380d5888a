// Output of the GitHub math scanner (src/core/scan/scanner.ts).
import type { Range } from '../types';

/** How a formula is written in the source. */
export type MathSyntax = 'dollar' | 'double-dollar' | 'backtick' | 'fence';

/** Block context a formula sits in (affects how GitHub treats `$$`). */
export interface MathContext {
  inList: boolean;
  inBlockquote: boolean;
  inTable: boolean;
  inHeading: boolean;
}

/** A formula GitHub renders. */
export interface GithubMath {
  syntax: MathSyntax;
  display: boolean;
  /** Text GitHub places inside its <math-renderer> element, delimiters included (after its Markdown pass). */
  delimited: string;
  /** TeX that MathJax receives in the browser (delimiters stripped, HTML re-read, trailing `\` doubled). */
  tex: string;
  /** Source offsets (UTF-16) of the whole written formula, delimiters included. */
  start: number;
  end: number;
  range: Range;
  /** Source offsets of the formula body (between the delimiters). */
  bodyStart: number;
  bodyEnd: number;
  context: MathContext;
}

/** A formula VS Code's built-in Markdown preview renders (model of @vscode/markdown-it-katex). */
export interface VscodeMath {
  syntax: MathSyntax;
  display: boolean;
  /** TeX that KaTeX receives. */
  tex: string;
  start: number;
  end: number;
  range: Range;
  bodyStart: number;
  bodyEnd: number;
  context: MathContext;
}

/** Text that VS Code's preview renders as math but GitHub does not, or renders differently. */
export interface NearMiss {
  /** Spec rule that explains it, e.g. "GH-IN-01". */
  rule: string;
  message: string;
  start: number;
  end: number;
  range: Range;
  /** The VS Code formula concerned. */
  vscode: VscodeMath;
  /** The GitHub formula at the same place when GitHub renders it differently (damaged TeX, inline instead of display). */
  github?: GithubMath;
  /**
   * What the difference is, when it is not GitHub's fault: 'escaped-for-github' — every Markdown escape of the
   * formula (`\\{`, `\\\\`, `\_`) gives GitHub's MathJax what the author meant; VS Code's preview reads them literally.
   * 'text-before-display' — a `$$` line directly after a line of text: it joins that paragraph and does not pair.
   */
  cause?: 'escaped-for-github' | 'text-before-display';
}

/** A fenced code block (```check blocks are parsed from these). */
export interface FenceBlock {
  info: string;
  content: string;
  /** 0-based line of the opening fence. */
  line: number;
  /** 0-based line of the first content line. */
  contentLine: number;
  start: number;
  end: number;
}

export interface ScanResult {
  math: GithubMath[];
  vscodeMath: VscodeMath[];
  nearMisses: NearMiss[];
  fences: FenceBlock[];
}
