// MW053 github-tex-error: what GitHub's MathJax cannot typeset (spec §8), from its verdicts.
import { docsPath, sourceSpan } from './util';
import type { LintRule, RuleExample } from '../types';
import { staticGithubChecks } from '../../tex/github';
import { validateKatex } from '../../tex/katex';

/** Documented on docs/rules/MW053.md (checked by rules-docs.test.ts). */
const EXAMPLES: readonly RuleExample[] = [
  {
    markdown: 'The set $\\left\\lbrace x \\mid x > 0 \\right.$ is open, and its measure is $\\frac{1}{2$.\n',
    messages: [
      'GitHub shows a MathJax error: Missing close brace',
    ],
  },
];

export const githubTexError: LintRule = {
  id: 'MW053', alias: 'github-tex-error', target: 'github',
  description: 'GitHub\'s MathJax (its package set and limits) cannot typeset this formula: a TeX error or an undefined macro painted red.',
  tags: ['tex', 'mathjax'], defaultSeverity: 'error', fixable: false, specRules: ['GH-MJ-01', 'GH-MJ-03', 'GH-MJ-05'], docs: docsPath('MW053'),
  examples: EXAMPLES,
  readsGithubVerdicts: true,
  run(ctx) {
    // Results come from the asynchronous MathJax pass (lintTextAsync, or the extension's background validation);
    // a formula MathJax has not seen yet is simply not judged here.
    const damaged = new Set(ctx.scan.nearMisses.filter((n) => n.github && n.cause.kind !== 'escaped-for-github').map((n) => n.github!.start));
    for (const g of ctx.scan.math) {
      if (damaged.has(g.start)) continue; // the Markdown damage is the cause; MW010 and friends explain it
      const problems = ctx.verdicts.verdict(g.tex, g.display);
      if (!problems || problems.length === 0) continue;
      const statics = new Set(staticGithubChecks(g.tex).map((p) => `${p.start}:${p.end}`));
      const katexOk = validateKatex(g.tex, g.display).length === 0;
      for (const p of problems) {
        if (statics.has(`${p.start}:${p.end}`)) continue; // reported by MW050/MW051
        const span = sourceSpan(ctx, g, g.tex, p);
        const note = katexOk ? ' VS Code\'s preview (KaTeX) renders it, so only GitHub readers see the error.' : '';
        ctx.report({ start: span.start, end: Math.max(span.end, span.start + 1), message: `${p.message}${note}` });
      }
    }
  },
};
