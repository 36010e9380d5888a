// MW050 github-refused-macro: macros GitHub's MathJax refuses, and the brace limit (spec §8). From the static TeX checks.
import { docsPath, edit, githubProblems } from './util';
import type { LintRule, RuleExample } from '../types';
import { pageBraceBudget } from '../../tex/github';
import type { Fix } from '../../types';

/** Documented on docs/rules/MW050.md (checked by rules-docs.test.ts). */
const EXAMPLES: readonly RuleExample[] = [
  {
    markdown: 'The matrix has $\\operatorname{rank}(A) = r$ when its rows are independent.\n',
    messages: [
      'GitHub refuses this whole formula because it contains `\\operatorname` ("The following macros are not allowed: operatorname"); VS Code\'s preview renders it. Fix: write `\\mathrm{…}` (or `\\mathop{\\mathrm{…}}\\limits` for `\\operatorname*`).',
    ],
  },
];

export const refusedMacro: LintRule = {
  id: 'MW050', alias: 'github-refused-macro', target: 'github',
  description: 'GitHub refuses formulas containing `\\operatorname`, `\\phantom`, `\\colorbox`… and has no `\\newcommand`/`\\def`; very large formulas hit its brace limit.',
  tags: ['tex', 'mathjax'], defaultSeverity: 'error', fixable: true, specRules: ['GH-MJ-01', 'GH-MJ-02', 'GH-MJ-04'], docs: docsPath('MW050'),
  examples: EXAMPLES,
  run(ctx) {
    githubProblems(ctx, ['refused-macro', 'removed-package', 'brace-limit'], (g, p, span) => {
      const fixes: Fix[] = [];
      const src = ctx.text.slice(span.start, ctx.text.length);
      const op = /^\\operatorname(\*?)\s*\{([^{}]*)\}/.exec(src);
      if (op) {
        const text = op[1] ? `\\mathop{\\mathrm{${op[2]}}}\\limits` : `\\mathop{\\mathrm{${op[2]}}}`;
        fixes.push({ title: `Replace by ${text}`, edits: [edit(span.start, span.start + op[0].length, text)], preferred: true });
        if (!op[1]) fixes.push({ title: `Replace by \\mathrm{${op[2]}}`, edits: [edit(span.start, span.start + op[0].length, `\\mathrm{${op[2]}}`)] });
      }
      ctx.report({ start: span.start, end: span.end, specRules: [p.kind === 'brace-limit' ? 'GH-MJ-04' : p.kind === 'removed-package' ? 'GH-MJ-01' : 'GH-MJ-02'], message: p.message, fixes });
    });
  },
  runPage(ctx) {
    const budget = pageBraceBudget(ctx.formulas.map((g) => g.tex));
    if (budget !== undefined) {
      const g = ctx.formulas[budget];
      ctx.report({ start: g.start, end: g.end, specRules: ['GH-MJ-04'], message: 'The page has more than 2000 `{` in its formulas: from here on GitHub shows "Unable to render expression". Split the document.' });
    }
  },
};
