// MW041 math-in-footnote: math inside footnotes is not rendered (spec §7): owns in-footnote.
import { docsPath, reportNearMisses } from './util';
import type { LintRule, RuleExample } from '../types';
import type { NearMiss } from '../../scan/types';

/** Documented on docs/rules/MW041.md (checked by rules-docs.test.ts). */
const EXAMPLES: readonly RuleExample[] = [
  {
    markdown: 'The bound holds for small steps.[^step]\n\n[^step]: Here $\\eta < 1/L$ where $L$ is the Lipschitz constant.\n',
    messages: [
      'GitHub shows this as plain text: math is not rendered inside footnotes. Move the formula out of the footnote.',
      'GitHub shows this as plain text: math is not rendered inside footnotes. Move the formula out of the footnote.',
    ],
  },
];

export const mathInFootnote: LintRule = {
  id: 'MW041', alias: 'math-in-footnote', target: 'github',
  description: 'GitHub does not render math inside footnotes.',
  tags: ['containers'], defaultSeverity: 'warning', fixable: false, specRules: ['GH-CTX-02'], docs: docsPath('MW041'),
  examples: EXAMPLES,
  explain,
  run(ctx) {
    reportNearMisses(ctx, explain);
  },
};

/** Footnotes are not searched for math. */
function explain(n: NearMiss): string | undefined {
  if (n.cause.kind !== 'in-footnote') return undefined;
  return 'GitHub shows this as plain text: math is not rendered inside footnotes. Move the formula out of the footnote.';
}
