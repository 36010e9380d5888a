// MW011 dollar-inside-math: `\$` inside a formula becomes `$` and closes it early (spec §3, §4): owns escaped-dollar.
import { codeFormFix, codeFormOnly, docsPath, reportNearMisses, show, writtenFormula } from './util';
import type { LintRule, RuleExample } from '../types';
import type { NearMiss } from '../../scan/types';

/** Documented on docs/rules/MW011.md (checked by rules-docs.test.ts). */
const EXAMPLES: readonly RuleExample[] = [
  {
    markdown: 'The unit cost is $c = 3 \\$ / \\mathrm{kg}$ at the mill.\n',
    messages: [
      'GitHub shows this wrongly: Markdown turns `\\$` into `$`, which closes the formula early. Use the `` $`…`$ `` form for formulas containing a dollar sign.',
    ],
  },
];

export const dollarInsideMath: LintRule = {
  id: 'MW011', alias: 'dollar-inside-math', target: 'github',
  description: 'A `\\$` inside `$…$` becomes `$` before the math scan, or a `$` nested in `\\text{…}` is taken as the closer: the formula ends early.',
  tags: ['escapes', 'currency'], defaultSeverity: 'error', fixable: true, specRules: ['GH-IN-11', 'GH-IN-06'], docs: docsPath('MW011'),
  examples: EXAMPLES,
  explain,
  run(ctx) {
    reportNearMisses(ctx, explain, (n) => codeFormOnly(ctx, n.vscode));
    // Math nested in `\text{…}` (`$\text{if $y<0$}$`): the inner `$` is the first candidate closer for GitHub and
    // VS Code alike, so the formula falls apart. The code form hands MathJax and KaTeX the whole text, nested `$` and all.
    for (const u of ctx.scan.unrendered) {
      if (!u.causes.includes('nested-dollar')) continue;
      const fix = codeFormFix(ctx, writtenFormula(u), true);
      const parts = u.github.length > 0 ? `: GitHub renders only \`${show(u.github.map((g) => g.delimited).join(' '))}\` and shows the rest as text` : '';
      ctx.report({ start: u.start, end: u.end, message: `A \`$\` inside \`\\text{…}\` ends this formula early on GitHub and in VS Code${parts}. Use the \`\` $\`…\`$ \`\` form, where the nested \`$…$\` reaches MathJax as written.`, fixes: fix ? [fix] : [] });
    }
  },
};

/** Markdown turns `\$` into `$`, which closes the formula early. */
function explain(n: NearMiss): string | undefined {
  if (n.cause.kind !== 'escaped-dollar') return undefined;
  const rendered = n.github ? ` (GitHub renders only \`${show(n.github.delimited)}\`)` : '';
  return `GitHub shows this wrongly: Markdown turns \`\\$\` into \`$\`, which closes the formula early${rendered}. Use the \`\` $\`…\`$ \`\` form for formulas containing a dollar sign.`;
}
