// MW011 dollar-inside-math: `\$` inside a formula becomes `$` and closes it early (spec §3, §4): owns escaped-dollar.
import { codeFormFix, docsPath, ownNearMisses, show } from './util';
import type { LintRule } from '../types';
import type { NearMiss } from '../../scan/types';

export const dollarInsideMath: LintRule = {
  id: 'MW011', alias: 'dollar-inside-math', target: 'github',
  description: 'A `\\$` inside `$…$` becomes `$` before the math scan and closes the formula early.',
  tags: ['escapes', 'currency'], defaultSeverity: 'error', fixable: true, specRules: ['GH-IN-11'], docs: docsPath('MW011'),
  explain,
  run(ctx) {
    for (const { miss: n, message } of ownNearMisses(ctx, explain)) {
      const fix = codeFormFix(ctx, n.vscode, true);
      ctx.report({ start: n.start, end: n.end, message, fixes: fix ? [fix] : [] });
    }
  },
};

/** Markdown turns `\$` into `$`, which closes the formula early. */
function explain(n: NearMiss): string | undefined {
  if (n.cause.kind !== 'escaped-dollar') return undefined;
  const rendered = n.github ? ` (GitHub renders only \`${show(n.github.delimited)}\`)` : '';
  return `GitHub shows this wrongly: Markdown turns \`\\$\` into \`$\`, which closes the formula early${rendered}. Use the \`\` $\`…\`$ \`\` form for formulas containing a dollar sign.`;
}
