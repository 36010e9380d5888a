// MW007 inline-math-line-break: an inline formula across a line break, or split by a hard break (spec §3): owns hard-break.
import { docsPath, edit, reportNearMisses } from './util';
import type { LintRule, RuleExample } from '../types';
import type { NearMiss } from '../../scan/types';

/** Documented on docs/rules/MW007.md (checked by rules-docs.test.ts). */
const EXAMPLES: readonly RuleExample[] = [
  {
    markdown: 'Each step computes $w_{t+1} = w_t -\n\\eta \\nabla f(w_t)$ from the current iterate.\n',
    messages: [
      'This inline formula spans a line break: GitHub renders it today, but earlier measurements found it did not, and editors that wrap lines split formulas. Keep it on one line.',
    ],
  },
];

export const formulaAcrossLines: LintRule = {
  id: 'MW007', alias: 'inline-math-line-break', target: 'github',
  description: 'An inline `$…$` formula spans a line break (or a hard break splits it); GitHub measurements disagree on whether it renders.',
  tags: ['delimiters', 'line-break'], defaultSeverity: 'warning', fixable: true, specRules: ['GH-IN-07'], docs: docsPath('MW007'),
  examples: EXAMPLES,
  explain,
  run(ctx) {
    for (const g of ctx.scan.math) {
      if (g.display || g.syntax !== 'dollar' || !g.delimited.includes('\n')) continue;
      const src = ctx.text.slice(g.start, g.end);
      ctx.report({ start: g.start, end: g.end, message: 'This inline formula spans a line break: GitHub renders it today, but earlier measurements found it did not, and editors that wrap lines split formulas. Keep it on one line.', fixes: [{ title: 'Join the formula onto one line', edits: [edit(g.start, g.end, src.replace(/[ \t]*\r?\n[ \t]*/g, ' '))], preferred: true }] });
    }
    reportNearMisses(ctx, explain);
  },
};

/** A hard line break splits the formula. */
function explain(n: NearMiss): string | undefined {
  if (n.cause.kind !== 'hard-break') return undefined;
  return 'GitHub shows this as plain text: a hard line break (two trailing spaces or a trailing `\\`) splits the formula. Keep the formula on one line.';
}
