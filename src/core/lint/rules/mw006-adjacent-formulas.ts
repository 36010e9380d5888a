// MW006 adjacent-formulas: two formulas touching, `$a$$b$` (spec §3). Found on the written text; words adjacent-formulas.
import { describeChar, docsPath, edit, inCode, show } from './util';
import type { LintRule, RuleExample } from '../types';
import type { NearMiss } from '../../scan/types';
import { canPrecedeOpener } from '../../scan/dollars';

/** Documented on docs/rules/MW006.md (checked by rules-docs.test.ts). */
const EXAMPLES: readonly RuleExample[] = [
  {
    markdown: 'The angles $\\alpha$$\\beta$ are complementary.\n',
    messages: [
      'GitHub shows this as plain text: two formulas touch (`$…$$…$`) and the `$$` between them is read as a double delimiter. Put a space between the formulas or merge them.',
    ],
  },
];

export const adjacentFormulas: LintRule = {
  id: 'MW006', alias: 'adjacent-formulas', target: 'github',
  description: 'Two formulas touch (`$a$$b$`), or a `$$` formula touches more dollars (`$$g(x)$$$$`): the run of `$` is read as other delimiters.',
  tags: ['delimiters'], defaultSeverity: 'error', fixable: true, specRules: ['GH-IN-09', 'GH-IN-08'], docs: docsPath('MW006'),
  examples: EXAMPLES,
  explain,
  run(ctx) {
    // Neither GitHub nor VS Code renders `$a$$b$`; find the written pair directly.
    const re = /\$([^\s$][^$\n]*?)\$\$([^\s$][^$\n]*?)\$/g;
    let m: RegExpExecArray | null;
    while ((m = re.exec(ctx.text))) {
      const start = m.index;
      const before = start > 0 ? ctx.text[start - 1] : undefined;
      const mid = start + 1 + m[1].length + 1;
      if (!canPrecedeOpener(before) || inCode(ctx, start) || /\\$/.test(m[1]) || ctx.scan.math.some((g) => g.start <= mid && mid < g.end)) {
        re.lastIndex = start + 1;
        continue;
      }
      ctx.report({ start, end: start + m[0].length, message: ADJACENT, fixes: [{ title: 'Insert a space between the formulas', edits: [edit(mid, mid, ' ')], preferred: true }] });
    }
    // A `$$…$$` touching a stray `$$` (`所以$$g(x)$$$$增大`): the run of four `$` pairs with nothing, and neither
    // renderer shows the formula. No fix: whether the `$$` is a typo or the start of another formula is the author's call.
    for (const u of ctx.scan.unrendered) {
      if (!u.double || !u.causes.includes('dollar-run')) continue;
      if (ctx.scan.vscodeMath.some((v) => v.start < u.end && u.start < v.end)) continue;
      const before = u.causes.includes('text-before-opener') ? ` Also, ${describeChar(ctx.text[u.start - 1])} touches the opening \`$$\`: put a space before it.` : '';
      const after = u.causes.includes('text-after-closer') ? ` Also, ${describeChar(ctx.text[u.end])} touches the closing \`$$\`: put a space after it.` : '';
      let at = ctx.text[u.end] === '$' ? u.end - 2 : u.start;
      while (at > 0 && ctx.text[at - 1] === '$') at--;
      let n = 0;
      while (ctx.text[at + n] === '$') n++;
      const where = ctx.text[u.end] === '$' ? 'its closing `$$`' : 'its opening `$$`';
      ctx.report({ start: u.start, end: u.end, message: `Neither GitHub nor VS Code renders \`${show(ctx.text.slice(u.start, u.end))}\`: more \`$\` touch ${where}, and a run of ${n} \`$\` pairs with nothing. Remove the stray \`$\` or put a space between the formulas.${before}${after}` });
    }
  },
};

const ADJACENT = 'GitHub shows this as plain text: two formulas touch (`$…$$…$`) and the `$$` between them is read as a double delimiter. Put a space between the formulas or merge them.';

/** Two formulas touch (for hovers and the preview; the rule finds the written pair itself). */
function explain(n: NearMiss): string | undefined {
  return n.cause.kind === 'adjacent-formulas' ? ADJACENT : undefined;
}
