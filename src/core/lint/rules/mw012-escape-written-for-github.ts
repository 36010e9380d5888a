// MW012 escape-written-for-github: a formula whose Markdown escapes were written for GitHub (`\\{`, `\\\\`, `\_`).
// GitHub's Markdown pass turns them into exactly the TeX the author meant, so GitHub is fine; VS Code's preview reads
// the formula raw and shows it wrongly. A VS Code finding: silent under `target: github`.
import type { LintRule, RuleExample } from '../types';
import type { NearMiss } from '../../scan/types';
import { docsPath, reportNearMisses, show } from './util';

/** Documented on docs/rules/MW012.md (checked by rules-docs.test.ts). */
const EXAMPLES: readonly RuleExample[] = [
  {
    markdown: 'The set $S = \\\\{1, 2\\\\}$ has two elements, and $a\\_{ij}$ is an entry.\n',
    messages: [
      'GitHub renders this formula as meant: Markdown turns the escapes into `S = \\{1, 2\\}` for MathJax. VS Code\'s preview reads them literally, so only the preview shows it wrongly.',
      'GitHub renders this formula as meant: Markdown turns the escapes into `a_{ij}` for MathJax. VS Code\'s preview reads them literally, so only the preview shows it wrongly.',
    ],
  },
];

export const escapeWrittenForGithub: LintRule = {
  id: 'MW012', alias: 'escape-written-for-github', target: 'vscode',
  description: 'Markdown escapes written for GitHub (`\\\\{`, `\\\\\\\\`, `\\_`): GitHub renders the formula as meant, VS Code\'s preview reads them literally.',
  tags: ['escapes'], defaultSeverity: 'info', fixable: false, specRules: ['GH-ESC-01'], docs: docsPath('MW012'),
  examples: EXAMPLES,
  explain,
  run(ctx) {
    reportNearMisses(ctx, explain);
  },
};

/** GitHub's Markdown pass gives MathJax what the author meant; VS Code reads the escapes literally. */
function explain(n: NearMiss): string | undefined {
  if (n.cause.kind !== 'escaped-for-github' || !n.github) return undefined;
  return `GitHub renders this formula as meant: Markdown turns the escapes into \`${show(n.github.tex, 60)}\` for MathJax. VS Code's preview reads them literally, so only the preview shows it wrongly.`;
}
