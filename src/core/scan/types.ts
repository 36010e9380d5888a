// Output of the GitHub math scanner (src/core/scan/scanner.ts).
import type { Range } from '../types';
import type { LineIndex } from '../text';
import type { NearMissCause } from './causes';

export type { NearMissCause } from './causes';

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
  /** What GitHub does differently (typed; the lint rule owning the cause words it). */
  cause: NearMissCause;
  start: number;
  end: number;
  range: Range;
  /** The VS Code formula concerned. */
  vscode: VscodeMath;
  /** The GitHub formula at the same place when GitHub renders it differently (damaged TeX, inline instead of display). */
  github?: GithubMath;
  /**
   * Further problems of the same formula that `cause` masks (each rule reports its own, all in one lint): other `$`
   * rules it breaks as written (`当$ n $`: text before and a space after the opening `$`), and escapes Markdown would
   * eat once it renders (`$$…\|…$$` in a paragraph with text: inline, and `\|` damaged).
   */
  also?: NearMissCause[];
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

/** An inline token with absolute source offsets and the context it was found in (used by diagnosis and rules). */
export interface InlineTokenInfo {
  type: string;
  content: string;
  markup: string;
  start: number;
  end: number;
  /** Index of the paragraph/heading/cell (inline block) the token belongs to. */
  block: number;
}

export interface InlineBlockInfo {
  start: number;
  end: number;
  context: MathContext;
  inFootnote: boolean;
  kind: 'paragraph' | 'heading' | 'cell' | 'other';
  /** Raw `<b>` left open earlier in the document suppresses math here (ORACLE D-$5). */
  suppressedBy?: number;
}

export interface DetailedScan extends ScanResult {
  text: string;
  lines: LineIndex;
  /** Inline tokens other than text (emphasis, links, code spans, raw HTML, breaks) with document offsets. */
  tokens: InlineTokenInfo[];
  /** Paragraphs, headings and table cells in document order (footnote definitions included, where they are written). */
  blocks: InlineBlockInfo[];
  /** Source spans of raw HTML blocks (GH-CTX-04). */
  htmlBlocks: { start: number; end: number }[];
  /** Source spans of code (fences, indented code, code spans): never math. */
  code: { start: number; end: number }[];
  /**
   * Formulas as their authors delimited them that GitHub does not render as written, in runs GitHub scans for math
   * (not in code, links, emphasis or footnotes), with what its `$` rules do to them. Rules decide which were meant.
   */
  unrendered: UnrenderedFormula[];
  /**
   * The line after the last top-level block, as GitHub's parser and VS Code's read the text (blocks include
   * everything they swallow: an unclosed fence or `$$` formula runs to the end; lists are left out, see
   * `blocksExtent`). Trailing blank lines lie beyond it, so a caller can tell whether the text ends cleanly (used to
   * verify the incremental linter's chunks).
   */
  extent: { github: number; vscode: number };
}
