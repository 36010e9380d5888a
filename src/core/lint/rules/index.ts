// The registry's rule list: every rule of the project, in documentation order. Adding a rule = adding it here
// (and its docs page under docs/rules/<ID>.md; a unit test checks both).
import type { LintRule } from '../types';
import { textBeforeDollar } from './mw001-text-before-dollar';
import { spaceInsideDollars } from './mw002-space-inside-dollars';
import { textAfterDollar } from './mw003-text-after-dollar';
import { unpairedDollar } from './mw004-unpaired-dollar';
import { dollarAsCurrency } from './mw005-currency-becomes-math';
import { adjacentFormulas } from './mw006-adjacent-formulas';
import { formulaAcrossLines } from './mw007-inline-math-line-break';
import { gluedMath } from './mw008-glued-math';
import { markdownEscapeInMath } from './mw010-markdown-escape-in-math';
import { dollarInsideMath } from './mw011-dollar-inside-math';
import { escapeWrittenForGithub } from './mw012-escape-written-for-github';
import { emphasisInMath } from './mw020-emphasis-in-math';
import { mathInEmphasisOrLink } from './mw021-math-in-emphasis-or-link';
import { tildeInMath } from './mw022-tilde-in-math';
import { htmlInMath } from './mw023-html-in-math';
import { displayMathInline } from './mw030-display-math-inline';
import { displayMathBroken } from './mw031-display-math-broken';
import { indentedDisplayMath } from './mw032-indented-math-is-code';
import { mathFence } from './mw033-math-fence-content';
import { listMarkerInDisplayMath } from './mw034-list-marker-in-display-math';
import { pipeInTable } from './mw040-pipe-in-table-math';
import { mathInFootnote } from './mw041-math-in-footnote';
import { mathInHtml } from './mw042-math-in-html-block';
import { backtickMathContext } from './mw043-backtick-math-context';
import { latexDelimiters } from './mw044-latex-delimiters';
import { refusedMacro } from './mw050-github-refused-macro';
import { katexOnlyMacro } from './mw051-katex-only-macro';
import { katexError } from './mw052-katex-parse-error';
import { githubTexError } from './mw053-github-tex-error';

export const allRules: readonly LintRule[] = [
  textBeforeDollar,
  spaceInsideDollars,
  textAfterDollar,
  unpairedDollar,
  dollarAsCurrency,
  adjacentFormulas,
  formulaAcrossLines,
  gluedMath,
  markdownEscapeInMath,
  dollarInsideMath,
  escapeWrittenForGithub,
  emphasisInMath,
  mathInEmphasisOrLink,
  tildeInMath,
  htmlInMath,
  displayMathInline,
  displayMathBroken,
  indentedDisplayMath,
  mathFence,
  listMarkerInDisplayMath,
  pipeInTable,
  mathInFootnote,
  mathInHtml,
  backtickMathContext,
  latexDelimiters,
  refusedMacro,
  katexOnlyMacro,
  githubTexError,
  katexError,
];
