// The registry's rule list: every rule of the project, in documentation order. Adding a rule = adding it here
// (and its docs page under docs/rules/<ID>.md; a unit test checks both).
import type { LintRule } from '../types';
import { adjacentFormulas, dollarAsCurrency, formulaAcrossLines, spaceInsideDollars, textAfterDollar, textBeforeDollar, unpairedDollar } from './delimiters';
import { dollarInsideMath, markdownEscapeInMath } from './escapes';
import { escapeWrittenForGithub } from './mw012-escape-written-for-github';
import { gluedMath } from './mw008-glued-math';
import { emphasisInMath, htmlInMath, mathInEmphasisOrLink, tildeInMath } from './emphasis';
import { displayMathBroken, displayMathInline, indentedDisplayMath, mathFence } from './display';
import { backtickMathContext, latexDelimiters, mathInFootnote, mathInHtml, pipeInTable } from './containers';
import { githubTexError, katexError, katexOnlyMacro, refusedMacro } from './tex';

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
