// MW004 unpaired-dollar: a stray `$` takes the formula's delimiter under GitHub's first-candidate rule (spec §3): owns
// paired-differently and stray-dollar.
import { codeFormOnly, docsPath, reportNearMisses, show } from './util';
import type { LintRule, RuleExample } from '../types';
import type { NearMiss } from '../../scan/types';

/** Documented on docs/rules/MW004.md (checked by rules-docs.test.ts). */
const EXAMPLES: readonly RuleExample[] = [
  {
    markdown: 'The first row is $1 \\quad 0 \\\\$ and the second is $0 \\quad 1$.\n',
    messages: [
      'GitHub shows this as plain text: an earlier `$` on the line opens a formula and GitHub tries only the first following `$` as its closer, so these delimiters never pair. Add a space after the stray `$`, write it as `<span>$</span>`, or use the `` $`…`$ `` form.',
    ],
  },
];

export const unpairedDollar: LintRule = {
  id: 'MW004', alias: 'unpaired-dollar', target: 'github',
  description: 'A stray `$` (a price, a shell variable) pairs with the formula\'s delimiter under GitHub\'s first-candidate rule, so the formula does not render.',
  tags: ['delimiters', 'currency'], defaultSeverity: 'error', fixable: true, specRules: ['GH-IN-06'], docs: docsPath('MW004'),
  examples: EXAMPLES,
  explain,
  run(ctx) {
    reportNearMisses(ctx, explain, (n) => codeFormOnly(ctx, n.vscode));
  },
};

/** GitHub pairs the `$` differently: another formula, or none, because an earlier `$` took the closer. */
function explain(n: NearMiss): string | undefined {
  if (n.cause.kind === 'paired-differently' && n.github) return `GitHub pairs the \`$\` delimiters here differently from VS Code: it renders \`${show(n.github.delimited)}\`.`;
  if (n.cause.kind !== 'stray-dollar' && n.cause.kind !== 'paired-differently') return undefined;
  return 'GitHub shows this as plain text: an earlier `$` on the line opens a formula and GitHub tries only the first following `$` as its closer, so these delimiters never pair. Add a space after the stray `$`, write it as `<span>$</span>`, or use the `` $`…`$ `` form.';
}
