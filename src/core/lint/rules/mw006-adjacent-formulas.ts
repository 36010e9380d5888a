// MW006 adjacent-formulas: two formulas touching, `$a$$b$` (spec §3). Found on the written text; words adjacent-formulas.
import { docsPath, edit, inCode } from './util';
import type { LintRule } from '../types';
import type { NearMiss } from '../../scan/types';
import { canPrecedeOpener } from '../../scan/dollars';

export const adjacentFormulas: LintRule = {
  id: 'MW006', alias: 'adjacent-formulas', target: 'github',
  description: 'Two formulas touch (`$a$$b$`): the `$$` between them is read as a double delimiter.',
  tags: ['delimiters'], defaultSeverity: 'error', fixable: true, specRules: ['GH-IN-09'], docs: docsPath('MW006'),
  explain,
  run(ctx) {
    // Neither GitHub nor VS Code renders `$a$$b$`; find the written pair directly.
    const re = /\$([^\s$][^$\n]*?)\$\$([^\s$][^$\n]*?)\$/g;
    let m: RegExpExecArray | null;
    while ((m = re.exec(ctx.text))) {
      const start = m.index;
      const before = start > 0 ? ctx.text[start - 1] : undefined;
      const mid = start + 1 + m[1].length + 1;
      if (!canPrecedeOpener(before) || inCode(ctx, start) || /\\$/.test(m[1]) || ctx.scan.math.some((g) => g.start <= mid && mid < g.end)) {
        re.lastIndex = start + 1;
        continue;
      }
      ctx.report({ start, end: start + m[0].length, message: ADJACENT, fixes: [{ title: 'Insert a space between the formulas', edits: [edit(mid, mid, ' ')], preferred: true }] });
    }
  },
};

const ADJACENT = 'GitHub shows this as plain text: two formulas touch (`$…$$…$`) and the `$$` between them is read as a double delimiter. Put a space between the formulas or merge them.';

/** Two formulas touch (for hovers and the preview; the rule finds the written pair itself). */
function explain(n: NearMiss): string | undefined {
  return n.cause.kind === 'adjacent-formulas' ? ADJACENT : undefined;
}
