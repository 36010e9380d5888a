// MW040 pipe-in-table-math: `|` inside math in a table row splits the cell (spec §7). Found on the table rows.
import { docsPath, edit, macroText } from './util';
import { pairsTextDollars } from '../../scan/dollars';
import type { LintRule, RuleExample } from '../types';
import { portableFor } from '../../tex/portable';

/** Documented on docs/rules/MW040.md (checked by rules-docs.test.ts). */
const EXAMPLES: readonly RuleExample[] = [
  {
    markdown: '| Quantity | Formula |\n| --- | --- |\n| absolute error | $|\\hat{y} - y|$ |\n',
    messages: [
      'GitHub splits table cells at `|` before it looks for math (even inside code), so this formula breaks the row. Write `\\vert` for `|` and `\\Vert` for `\\|`.',
    ],
  },
];

export const pipeInTable: LintRule = {
  id: 'MW040', alias: 'pipe-in-table-math', target: 'github',
  description: 'A `|` inside math in a table row splits the cell (even in code), and `\\|` becomes a single bar.',
  tags: ['tables'], defaultSeverity: 'error', fixable: true, specRules: ['GH-CTX-01'], docs: docsPath('MW040'),
  examples: EXAMPLES,
  run(ctx) {
    const bar = portableFor('MW040', '|');
    const norm = portableFor('MW040', '\\|');
    // Rows of GFM tables: lines of the blocks whose context is a table cell.
    const rows = new Set<number>();
    for (const b of ctx.scan.blocks) if (b.kind === 'cell') rows.add(ctx.lines.positionAt(b.start).line);
    for (const line of rows) {
      const text = ctx.lines.lineText(line);
      const base = ctx.lines.lineStarts[line];
      const re = /(^|[\s(|])\$(`?)([^$\n]*?)\2\$/g;
      let m: RegExpExecArray | null;
      while ((m = re.exec(text))) {
        const body = m[3];
        if (!body.includes('|')) continue;
        // A shell variable or amount in one cell and a formula in the next (`| $SEED | e.g. $s$ |`): no formula holds the bar.
        if (!m[2] && pairsTextDollars(text, m.index + m[1].length, m.index + m[0].length)) continue;
        const bodyStart = base + m.index + m[1].length + 1 + m[2].length;
        const edits = [];
        for (let i = 0; i < body.length; i++) {
          if (body[i] !== '|') continue;
          const escaped = body[i - 1] === '\\';
          const at = bodyStart + i;
          const next = ctx.text[at + 1];
          edits.push(escaped ? edit(at - 1, at + 1, macroText(norm, next)) : edit(at, at + 1, macroText(bar, next)));
        }
        ctx.report({ start: base + m.index + m[1].length, end: bodyStart + body.length + m[2].length + 1, message: `GitHub splits table cells at \`|\` before it looks for math (even inside code), so this formula breaks the row. Write \`${bar}\` for \`|\` and \`${norm}\` for \`\\|\`.`, fixes: [{ title: `Write bars as ${bar} / ${norm}`, edits, preferred: true }] });
      }
    }
  },
};
