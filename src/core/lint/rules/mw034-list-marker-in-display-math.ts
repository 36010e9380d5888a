// MW034 list-marker-in-display-math: a line of a multi-line `$$` formula that starts with `+ `, `- ` or `* ` (spec §6,
// paragraph semantics): GitHub's Markdown pass reads it as a list item, which ends the formula's paragraph, so neither
// half is math. VS Code's preview reads the `$$` block first and renders it. Owns the cause list-in-display.
import { docsPath, edit, isClosed, ownNearMisses } from './util';
import type { LintRule, RuleExample } from '../types';
import type { NearMiss } from '../../scan/types';
import { listMarkerLine } from '../../scan/diagnose';

/** Indentation that keeps a line inside the paragraph: four spaces make a marker no list item (and indented code cannot interrupt a paragraph). */
const KEEP_IN_PARAGRAPH = '    ';

/** Documented on docs/rules/MW034.md (checked by rules-docs.test.ts). */
const EXAMPLES: readonly RuleExample[] = [
  {
    markdown: '$$\nS = a\n+ b\n- c\n$$\n',
    messages: [
      "GitHub shows this as plain text: the line starting with `+ ` inside `$$ … $$` starts a Markdown list, which ends the formula's paragraph. Indent that line by four spaces, or move `+` to the end of the line before it.",
    ],
  },
];

export const listMarkerInDisplayMath: LintRule = {
  id: 'MW034', alias: 'list-marker-in-display-math', target: 'github',
  description: 'A line inside `$$ … $$` that starts with `+ `, `- ` or `* ` starts a Markdown list on GitHub, which breaks the formula.',
  tags: ['display', 'lists'], defaultSeverity: 'error', fixable: true, specRules: ['GH-DISP-02'], docs: docsPath('MW034'),
  examples: EXAMPLES,
  explain,
  run(ctx) {
    for (const { miss: n, message } of ownNearMisses(ctx, explain)) {
      if (!isClosed(ctx, n.vscode)) {
        ctx.report({ start: n.start, end: n.end, message });
        continue;
      }
      // Indent every marker line of the formula: TeX ignores the spaces, and Markdown keeps the line in the paragraph.
      const edits = [];
      let rest = ctx.text.slice(n.start, n.end);
      let base = n.start;
      for (let hit = listMarkerLine(rest); hit; hit = listMarkerLine(rest)) {
        edits.push(edit(base + hit.at, base + hit.at, KEEP_IN_PARAGRAPH));
        base += hit.at;
        rest = ctx.text.slice(base, n.end);
      }
      ctx.report({ start: n.start, end: n.end, message, fixes: [{ title: 'Indent the line by four spaces (it stays in the formula)', edits, preferred: true }] });
    }
  },
};

function explain(n: NearMiss): string | undefined {
  if (n.cause.kind !== 'list-in-display') return undefined;
  const m = n.cause.marker;
  return `GitHub shows this as plain text: the line starting with \`${m} \` inside \`$$ … $$\` starts a Markdown list, which ends the formula's paragraph. Indent that line by four spaces, or move \`${m}\` to the end of the line before it.`;
}
