// Why VS Code's preview and GitHub disagree about a formula: typed causes, no prose. The scanner (diagnose.ts) says
// what GitHub does to which characters; each lint rule (src/core/lint/rules/mwNNN-*.ts) owns the causes it reports
// and words them for the reader. Offsets are UTF-16 source offsets, like every other offset of the scan.

/** A source span the cause points at (moved with the scan when line endings are normalised). */
export interface Span {
  start: number;
  end: number;
}

/**
 * One delimiter of a Markdown emphasis pair (`_…_`, `*…*`) that GitHub forms before it looks for math, with what a
 * message needs to point at it: the written formula holding it (or its line of text), and how far away it is.
 */
export interface PairedDelimiter extends Span {
  /** The written formula holding the delimiter (`$a_{ij}$`), or the line of text around it. */
  quote: string;
  /** Offset of the delimiter in `quote`. */
  quoteAt: number;
  /** Is it inside a formula (one VS Code renders)? */
  inFormula: boolean;
  /** Its place (1-based) among the same characters of the formula, and how many there are. */
  nth: number;
  of: number;
  /** Its line minus the line of the formula the near miss is about (0: same line, 2: two lines below). */
  lineDelta: number;
}

/** Where a `$$…$$` sits that makes GitHub render it inline instead of as a display block. */
export type InlineDisplayReason = 'list' | 'heading' | 'table' | 'text-after' | 'shares-paragraph';

export type NearMissCause =
  /** VS Code runs an unclosed `$$` on to the end of the document. */
  | { kind: 'unclosed-display' }
  /** Markdown turns `\$` into `$`, which closes the formula early. */
  | { kind: 'escaped-dollar' }
  /** A `$$…$$` GitHub renders inline. */
  | { kind: 'display-inline'; reason: InlineDisplayReason }
  /** GitHub pairs the `$` delimiters differently from VS Code (it renders another formula here). */
  | { kind: 'paired-differently' }
  /** An earlier `$` on the line opens a formula; GitHub tries only the first following `$` as its closer. */
  | { kind: 'stray-dollar' }
  | { kind: 'in-footnote' }
  /** A raw `<b>` left open earlier (at `tag`, on 0-based `line`) suppresses math in every later paragraph. */
  | { kind: 'html-suppressed'; tag: Span; line: number }
  | { kind: 'in-html-block' }
  /** Inside code: `$` is never math there. */
  | { kind: 'in-code' }
  | { kind: 'in-link' }
  /** Inside `*italic*` (`_italic_`) text whose delimiters are `open` and `close` (often `_` of other formulas). */
  | { kind: 'in-emphasis'; markup: string; open: PairedDelimiter; close: PairedDelimiter }
  /** Inside raw `<b>`, `<a>`, `<em>`, `<code>` or `<pre>`. */
  | { kind: 'in-raw-html' }
  /** `html` (written at `at`) inside the formula is read as an inline HTML tag. */
  | { kind: 'html-tag'; html: string; at: Span }
  /** `[…](…)` inside the formula is read as a link. */
  | { kind: 'link-syntax' }
  /** `*`/`_` of the formula pair up as emphasis: `open` with `close` (one of them, or both, in this formula). */
  | { kind: 'emphasis-pairs'; markup: string; open: PairedDelimiter; close: PairedDelimiter }
  /** `~` pairs form strikethrough. */
  | { kind: 'strikethrough' }
  /** A code span inside the formula. */
  | { kind: 'code-span' }
  /** A hard line break splits the formula. */
  | { kind: 'hard-break' }
  /** `char` touches the closing `$`. */
  | { kind: 'text-after-close'; char: string }
  /** A blank line inside `$$ … $$` ends the paragraph. */
  | { kind: 'blank-line-in-display' }
  /** A line of a multi-line `$$` paragraph starts with `+ `, `- ` or `* ` (the `marker` at `at`): a list item interrupts the paragraph. */
  | { kind: 'list-in-display'; marker: string; at: Span }
  /** `$$` with a space inside the delimiters, or with text around it. */
  | { kind: 'display-not-alone' }
  /** A `$$` line directly after a line of text joins that paragraph and does not open a formula. */
  | { kind: 'text-before-display' }
  /** `char` touches the opening `$`. */
  | { kind: 'text-before-open'; char: string }
  /** Two formulas touch: `$…$$…$`. */
  | { kind: 'adjacent-formulas' }
  /** Whitespace right after the opening `$`. */
  | { kind: 'space-after-open' }
  /** Whitespace before the closing `$`, followed by a space or line end. */
  | { kind: 'space-before-close' }
  /** Every Markdown escape of the formula gives GitHub's MathJax what the author meant; VS Code reads them raw. */
  | { kind: 'escaped-for-github' }
  /** A `\\` row break in the middle of a line loses a backslash. */
  | { kind: 'row-break-mid-line'; at: Span }
  /**
   * Markdown eats the backslash of `sequence` (e.g. `\{`), first at `at`; `sequences` lists every escape of the
   * formula once, in order (`['\\{', '\\|', '\\}']`).
   */
  | { kind: 'escape-eaten'; sequence: string; sequences: string[]; at: Span }
  /** An HTML entity is decoded before MathJax sees it. */
  | { kind: 'entity-decoded' }
  /** `<` followed by a letter is dropped by the browser as a tag. */
  | { kind: 'tag-dropped' }
  /** The TeX GitHub's MathJax receives differs from VS Code's for another reason. */
  | { kind: 'tex-differs' };

export type CauseKind = NearMissCause['kind'];

/**
 * The spec rule (../shared/reference/github-math-rules.md) behind each cause: traceability data for findings'
 * `specRules` and the spec tests. Never shown to users (they know MW ids).
 */
export function specRuleOf(c: NearMissCause): string {
  switch (c.kind) {
    case 'unclosed-display':
    case 'blank-line-in-display':
    case 'list-in-display':
      return 'GH-DISP-02';
    case 'escaped-dollar':
      return 'GH-IN-11';
    case 'display-inline':
      return { list: 'GH-DISP-06', heading: 'GH-CTX-05', table: 'GH-DISP-01', 'text-after': 'GH-DISP-08', 'shares-paragraph': 'GH-DISP-01' }[c.reason];
    case 'paired-differently':
    case 'stray-dollar':
      return 'GH-IN-06';
    case 'in-footnote':
      return 'GH-CTX-02';
    case 'html-suppressed':
    case 'html-tag':
      return 'GH-HTML-01';
    case 'in-html-block':
      return 'GH-CTX-04';
    case 'in-code':
    case 'code-span':
      return 'GH-IN-12';
    case 'in-link':
      return 'GH-CTX-03';
    case 'in-emphasis':
    case 'in-raw-html':
      return 'GH-EMPH-02';
    case 'link-syntax':
      return 'GH-LINK-01';
    case 'emphasis-pairs':
      return 'GH-EMPH-01';
    case 'strikethrough':
      return 'GH-EMPH-03';
    case 'hard-break':
      return 'GH-IN-07';
    case 'text-after-close':
      return 'GH-IN-04';
    case 'display-not-alone':
    case 'text-before-display':
      return 'GH-DISP-04';
    case 'text-before-open':
      return 'GH-IN-01';
    case 'adjacent-formulas':
      return 'GH-IN-09';
    case 'space-after-open':
      return 'GH-IN-02';
    case 'space-before-close':
      return 'GH-IN-05';
    case 'escaped-for-github':
    case 'escape-eaten':
    case 'tex-differs':
      return 'GH-ESC-01';
    case 'row-break-mid-line':
      return 'GH-ESC-02';
    case 'entity-decoded':
      return 'GH-ESC-04';
    case 'tag-dropped':
      return 'GH-HTML-02';
  }
}

/** The spans a cause points at (so the scan can move them with everything else). */
export function causeSpans(c: NearMissCause): Span[] {
  switch (c.kind) {
    case 'html-suppressed':
      return [c.tag];
    case 'html-tag':
    case 'escape-eaten':
    case 'list-in-display':
    case 'row-break-mid-line':
      return [c.at];
    case 'emphasis-pairs':
    case 'in-emphasis':
      return [c.open, c.close];
    default:
      return [];
  }
}
