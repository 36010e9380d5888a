// MW051 katex-only-macro: macros KaTeX knows and GitHub's MathJax does not (spec §8). From the static TeX checks.
import { docsPath, edit, githubProblems } from './util';
import type { LintRule, RuleExample } from '../types';
import { KATEX_ONLY_REPLACEMENTS } from '../../tex/github';
import type { Fix } from '../../types';

/** Documented on docs/rules/MW051.md (checked by rules-docs.test.ts). */
const EXAMPLES: readonly RuleExample[] = [
  {
    markdown: 'The weights $\\bm{w} \\in \\R^d$ are learned from the data.\n',
    messages: [
      'GitHub shows `\\bm` in red as an undefined macro; only VS Code\'s preview (KaTeX) knows it. Use `\\boldsymbol` instead.',
      'GitHub shows `\\R` in red as an undefined macro; only VS Code\'s preview (KaTeX) knows it. Use `\\mathbb{R}` instead.',
    ],
  },
];

export const katexOnlyMacro: LintRule = {
  id: 'MW051', alias: 'katex-only-macro', target: 'github',
  description: 'Macros KaTeX knows but GitHub\'s MathJax does not (`\\bm`, `\\R`, `\\argmax`…): VS Code shows them, GitHub paints them red.',
  tags: ['tex', 'mathjax', 'katex'], defaultSeverity: 'error', fixable: true, specRules: ['GH-MJ-03'], docs: docsPath('MW051'),
  examples: EXAMPLES,
  run(ctx) {
    githubProblems(ctx, ['katex-only', 'undefined-macro'], (_g, p, span) => {
      const name = /^\\([A-Za-z]+)/.exec(ctx.text.slice(span.start, span.end))?.[1];
      const repl = name ? KATEX_ONLY_REPLACEMENTS[name] : undefined;
      const fixes: Fix[] = [];
      if (name && repl && !repl.includes('…')) {
        const next = ctx.text[span.start + 1 + name.length];
        const glue = next !== undefined && /[A-Za-z]/.test(next) && /[A-Za-z]$/.test(repl) ? ' ' : '';
        fixes.push({ title: `Replace \\${name} by ${repl}`, edits: [edit(span.start, span.start + 1 + name.length, repl + glue)], preferred: true });
      }
      ctx.report({ start: span.start, end: span.end, message: p.message, fixes });
    });
  },
};
