// MW001 text-before-dollar: text touching the opening `$` (spec §3): owns the cause text-before-open; also a formula glued to a
// code span.
import { codeFormFix, describeChar, docsPath, edit, ownNearMisses } from './util';
import type { LintRule, RuleExample } from '../types';
import type { NearMiss } from '../../scan/types';

/** Documented on docs/rules/MW001.md (checked by rules-docs.test.ts). */
const EXAMPLES: readonly RuleExample[] = [
  {
    markdown: 'The update uses the step size,$\\eta$ found by line search.\n其中$w$是权重向量。\n',
    messages: [
      'GitHub shows this as plain text because `,` touches the opening `$`. Put a space before `$`.',
      'GitHub shows this as plain text because the CJK character `中` touches the opening `$`. Put a space before `$`.',
    ],
  },
];

export const textBeforeDollar: LintRule = {
  id: 'MW001', alias: 'text-before-dollar', target: 'github',
  description: 'A character other than a space or `(` touches the opening `$`, so GitHub leaves the formula as plain text.',
  tags: ['delimiters', 'cjk'], defaultSeverity: 'error', fixable: true, specRules: ['GH-IN-01'], docs: docsPath('MW001'),
  examples: EXAMPLES,
  explain,
  run(ctx) {
    for (const { miss: n, message } of ownNearMisses(ctx, explain)) {
      const fixes = [{ title: 'Insert a space before `$`', edits: [edit(n.start, n.start, ' ')], preferred: true }];
      // Spaces just inside the delimiters too (`当$ n $`, MW002): one fix repairs both, so it renders on its own.
      const v = n.vscode;
      const body = ctx.text.slice(v.bodyStart, v.bodyEnd);
      if (n.also?.some((c) => c.kind === 'space-after-open' || c.kind === 'space-before-close') && body.trim() !== '' && !body.includes('\n')) {
        fixes[0] = { title: 'Insert a space before `$` and remove the spaces inside', edits: [edit(n.start, n.start, ' '), edit(v.bodyStart, v.bodyEnd, body.trim())], preferred: true };
      }
      const alt = codeFormFix(ctx, n.vscode);
      if (alt) fixes.push({ title: `${alt.title}, after a space`, edits: [edit(n.start, n.end, ` ${alt.edits[0].newText}`)], preferred: false });
      ctx.report({ start: n.start, end: n.end, message, fixes });
    }
    // `$` right after a code span: both GitHub models accept it, but github/markup #1961 reports failures.
    const dollarAt = new Map<number, (typeof ctx.scan.math)[number]>();
    for (const m of ctx.scan.math) if (m.syntax === 'dollar') dollarAt.set(m.start, m);
    for (const t of ctx.scan.tokens) {
      if (t.type !== 'code_inline') continue;
      const g = dollarAt.get(t.end);
      if (g) {
        ctx.report({ start: g.start, end: g.end, specRules: ['GH-IN-01', 'GH-BT-01'], message: 'A formula glued to a code span may not render on GitHub (reported in 2025). Put a space between the code span and `$`.', fixes: [{ title: 'Insert a space before `$`', edits: [edit(g.start, g.start, ' ')], preferred: true }] });
      }
    }
  },
};

/** A character touches the opening `$`. */
function explain(n: NearMiss): string | undefined {
  if (n.cause.kind !== 'text-before-open') return undefined;
  return `GitHub shows this as plain text because ${describeChar(n.cause.char)} touches the opening \`$\`. Put a space before \`$\`.`;
}
