// MW003 text-after-dollar: a letter, digit or `_` right after the closing `$` (spec §3). Found on the written text (VS Code
// often does not render these either); words the cause text-after-close for hovers.
import { describeChar, docsPath, edit, inCode, ownNearMisses } from './util';
import type { LintRule, RuleContext, RuleExample } from '../types';
import type { NearMiss } from '../../scan/types';
import { canPrecedeOpener, startsAmountOrVariable } from '../../scan/dollars';

/** Documented on docs/rules/MW003.md (checked by rules-docs.test.ts). */
const EXAMPLES: readonly RuleExample[] = [
  {
    markdown: 'Update the $k$th coordinate of $w$ and keep the others.\n',
    messages: [
      'GitHub shows this as plain text because `t` touches the closing `$`. Put a space after the closing `$` (or move the text into the formula, e.g. `\\text{…}`).',
    ],
  },
];

export const textAfterDollar: LintRule = {
  id: 'MW003', alias: 'text-after-dollar', target: 'github',
  description: 'A letter, digit or `_` right after the closing `$`: GitHub (and VS Code) leave the formula as plain text.',
  tags: ['delimiters'], defaultSeverity: 'error', fixable: true, specRules: ['GH-IN-04'], docs: docsPath('MW003'),
  examples: EXAMPLES,
  explain,
  run(ctx) {
    // Candidates written as formulas: `$x$a` where the opener is acceptable and the body looks like TeX.
    const re = /\$([^\s$][^$\n]*?)\$([A-Za-z0-9_])/g;
    const reported = new Set<number>();
    let m: RegExpExecArray | null;
    while ((m = re.exec(ctx.text))) {
      const start = m.index;
      const before = start > 0 ? ctx.text[start - 1] : undefined;
      if (!canPrecedeOpener(before) || inCode(ctx, start)) continue;
      if (/[\s\\]$/.test(m[1])) continue;
      if (ctx.scan.math.some((g) => g.start <= start && start < g.end)) continue;
      const closeAt = start + 1 + m[1].length;
      // Prose between two formulas (`当$ n $较大时$X$收敛`): this `$` closes the formula before, it opens nothing.
      if (closesFormula(ctx, start)) {
        re.lastIndex = start + 1;
        continue;
      }
      // Dollar amounts and shell variables (`from $5-$10`, `$HOME/$USER`): no formula was meant.
      if (startsAmountOrVariable(ctx.text, start) && startsAmountOrVariable(ctx.text, closeAt)) continue;
      ctx.report({ start, end: closeAt + 1, message: `GitHub shows this as plain text because \`${m[2]}\` touches the closing \`$\`. Put a space after the closing \`$\` (or move the text into the formula, e.g. \`\\text{…}\`).`, fixes: [{ title: 'Insert a space after the closing `$`', edits: [edit(closeAt + 1, closeAt + 1, ' ')], preferred: true }] });
      reported.add(start);
      re.lastIndex = closeAt + 1;
    }
    // Formulas VS Code renders whose other side is glued too (`计算$$\alpha$$y`): the pass above skips an opener
    // that cannot open; MW001 reports that side, this rule the closing one.
    for (const { miss: n, message } of ownNearMisses(ctx, explain)) {
      if (reported.has(n.start)) continue;
      ctx.report({ start: n.start, end: n.end, message, fixes: [{ title: 'Insert a space after the closing `$`', edits: [edit(n.end, n.end, ' ')], preferred: true }] });
    }
  },
};

/** Is the `$` at `at` the closing delimiter of a formula GitHub or VS Code renders? */
function closesFormula(ctx: RuleContext, at: number): boolean {
  const ends = (f: { end: number; syntax: string }) => f.end - 1 === at && (f.syntax === 'dollar' || f.syntax === 'double-dollar');
  return ctx.scan.vscodeMath.some(ends) || ctx.scan.math.some(ends);
}

/**
 * The near miss of a letter, digit or `_` touching the closing `$` (for hovers and the preview; the rule finds these
 * formulas itself, written as they are, since VS Code often does not render them either).
 */
function explain(n: NearMiss): string | undefined {
  if (n.cause.kind !== 'text-after-close') return undefined;
  return `GitHub shows this as plain text because ${describeChar(n.cause.char)} touches the closing \`$\`. Put a space after it.`;
}
