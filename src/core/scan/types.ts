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
  blocks: InlineBlockInfo[];
  /** Source spans of raw HTML blocks (GH-CTX-04). */
  htmlBlocks: { start: number; end: number }[];
  /** Source spans of code (fences, indented code, code spans): never math. */
  code: { start: number; end: number }[];
  /**
   * The line after the last top-level block, as GitHub's parser and VS Code's read the text (blocks include
   * everything they swallow: an unclosed fence or `$$` formula runs to the end; lists are left out, see
   * `blocksExtent`). Trailing blank lines lie beyond it, so a caller can tell whether the text ends cleanly (used to
   * verify the incremental linter's chunks).
   */
  extent: { github: number; vscode: number };
}
