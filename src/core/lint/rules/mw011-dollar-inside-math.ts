// MW011 dollar-inside-math: `\$` inside a formula becomes `$` and closes it early (spec §3, §4): owns escaped-dollar.
import { codeFormOnly, docsPath, reportNearMisses, show } from './util';
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
  description: 'A `\\$` inside `$…$` becomes `$` before the math scan and closes the formula early.',
  tags: ['escapes', 'currency'], defaultSeverity: 'error', fixable: true, specRules: ['GH-IN-11'], docs: docsPath('MW011'),
  examples: EXAMPLES,
  explain,
  run(ctx) {
    reportNearMisses(ctx, explain, (n) => codeFormOnly(ctx, n.vscode));
  },
};

/** Markdown turns `\$` into `$`, which closes the formula early. */
function explain(n: NearMiss): string | undefined {
  if (n.cause.kind !== 'escaped-dollar') return undefined;
  const rendered = n.github ? ` (GitHub renders only \`${show(n.github.delimited)}\`)` : '';
  return `GitHub shows this wrongly: Markdown turns \`\\$\` into \`$\`, which closes the formula early${rendered}. Use the \`\` $\`…\`$ \`\` form for formulas containing a dollar sign.`;
}
