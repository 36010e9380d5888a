// MW030 display-math-inline: `$$…$$` that GitHub renders inline (shares a paragraph, list, heading, table; spec §6): owns
// display-inline.
import { codeFormFix, docsPath, edit, isClosed, ownNearMisses } from './util';
import type { LintRule, RuleExample } from '../types';
import { specRuleOf } from '../../scan/causes';
import type { NearMiss } from '../../scan/types';

/** Documented on docs/rules/MW030.md (checked by rules-docs.test.ts). */
const EXAMPLES: readonly RuleExample[] = [
  {
    markdown: 'The squared loss is\n$$L(w) = \\tfrac{1}{2}\\Vert Xw - y\\Vert^2$$\nand its gradient is linear in $w$.\n',
    messages: [
      'GitHub renders this `$$…$$` inline, not as a display block, because its paragraph also contains text. Put blank lines before and after the formula.',
    ],
  },
];

export const displayMathInline: LintRule = {
  id: 'MW030', alias: 'display-math-inline', target: 'github',
  description: '`$$…$$` that shares its paragraph with text, sits in a list item, a heading or a table renders inline on GitHub.',
  tags: ['display'], defaultSeverity: 'warning', fixable: true, specRules: ['GH-DISP-01', 'GH-DISP-06', 'GH-DISP-08', 'GH-CTX-05'], docs: docsPath('MW030'),
  examples: EXAMPLES,
  explain,
  run(ctx) {
    for (const { miss: n, message } of ownNearMisses(ctx, explain)) {
      const g = n.github;
      const fixes = [];
      if (g && g.start === n.start && g.end === n.end && isClosed(ctx, g) && !g.context.inList && !g.context.inHeading && !g.context.inTable) {
        const fence = codeFormFix(ctx, g, true);
        const before = ctx.text.slice(ctx.text.lastIndexOf('\n', g.start - 1) + 1, g.start);
        const lineEnd = ctx.text.indexOf('\n', g.end);
        const after = ctx.text.slice(g.end, lineEnd < 0 ? undefined : lineEnd);
        fixes.push({ title: 'Put the formula in a paragraph of its own', edits: [edit(g.start, g.end, `${before.trim() ? '\n\n' : ''}${ctx.text.slice(g.start, g.end)}${after.trim() ? '\n\n' : ''}`)], preferred: true });
        if (fence) fixes.push({ ...fence, preferred: false });
        // Text on the lines around inside the same paragraph: separate with blank lines.
        if (!before.trim() && !after.trim()) {
          fixes.length = 0;
          const ls = ctx.text.lastIndexOf('\n', g.start - 1) + 1;
          const le = lineEnd < 0 ? ctx.text.length : lineEnd;
          fixes.push({ title: 'Add blank lines around the formula', edits: [edit(ls, ls, '\n'), edit(le, le, '\n')], preferred: true });
        }
      }
      ctx.report({ start: n.start, end: n.end, message, specRules: [specRuleOf(n.cause)], fixes });
    }
  },
};

/** Why GitHub renders this `$$…$$` inline. */
function explain(n: NearMiss): string | undefined {
  if (n.cause.kind !== 'display-inline') return undefined;
  switch (n.cause.reason) {
    case 'list':
      return 'GitHub renders this `$$…$$` inline, not as a display block, because it is inside a list item. Move it out of the list or use a ```math fence outside the list.';
    case 'heading':
      return 'GitHub renders `$$…$$` in a heading inline-style.';
    case 'table':
      return 'GitHub renders `$$…$$` in a table cell inline-style.';
    case 'text-after':
      return 'GitHub renders this `$$…$$` inline, not as a display block, because text follows the closing `$$` on the same line. Put the formula in a paragraph of its own (blank lines before and after).';
    case 'shares-paragraph':
      return 'GitHub renders this `$$…$$` inline, not as a display block, because its paragraph also contains text. Put blank lines before and after the formula.';
  }
}
