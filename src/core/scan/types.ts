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

/**
 * What GitHub's `$` rules do to a formula as its author wrote it (several can apply at once):
 * 'text-before-opener' — a character other than a space or `(` touches the opening `$` (GH-IN-01);
 * 'space-after-opener' — whitespace right after the opening `$` (GH-IN-02, GH-DISP-04);
 * 'text-after-closer' — an ASCII letter, digit or `_` touches the closing `$` (GH-IN-04);
 * 'space-before-closer' — whitespace before a closing `$` followed by whitespace or the line end (GH-IN-05);
 * 'dollar-run' — more `$` touch a delimiter (`$$g(x)$$$$`, `$a$$b$`): the run is read as other delimiters (GH-IN-08, GH-IN-09);
 * 'nested-dollar' — a `$` inside braces of the body (`$\text{if $y<0$}$`) is the first candidate closer (GH-IN-06);
 * 'paired-differently' — none of these: an earlier `$` takes a delimiter (GH-IN-06).
 */
export type WrittenCause =
  | 'text-before-opener'
  | 'space-after-opener'
  | 'text-after-closer'
  | 'space-before-closer'
  | 'dollar-run'
  | 'nested-dollar'
  | 'paired-differently';

/**
 * A formula as its author delimited it (`$…$` or `$$…$$`, paired by brace depth) that GitHub does not render as
 * written: it shows none of it, or only a part (`$y<0$` of `$\text{if $y<0$}$`).
 */
export interface UnrenderedFormula {
  double: boolean;
  start: number;
  end: number;
  range: Range;
  bodyStart: number;
  bodyEnd: number;
  causes: WrittenCause[];
  /** GitHub formulas inside or overlapping it. */
  github: GithubMath[];
  context: MathContext;
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
