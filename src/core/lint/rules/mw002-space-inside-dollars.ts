// MW002 space-inside-dollars: whitespace just inside the delimiters, or a `$$` line that is not a paragraph of its own (spec
// §3, §6): owns space-after-open, space-before-close, display-not-alone, text-before-display.
import { docsPath, edit, ownNearMisses } from './util';
import { canPrecedeOpener, pairsTextDollars } from '../../scan/dollars';
import type { LintRule, RuleExample } from '../types';
import type { NearMiss } from '../../scan/types';

/** Documented on docs/rules/MW002.md (checked by rules-docs.test.ts). */
const EXAMPLES: readonly RuleExample[] = [
  {
    markdown: 'The minimiser $ w^{\\ast} $ satisfies the normal equations.\n',
    messages: [
      'GitHub shows this as plain text: a space right after the opening `$` stops it from opening a formula (VS Code accepts it). Remove the space: `$x$`, not `$ x $`.',
    ],
  },
];

export const spaceInsideDollars: LintRule = {
  id: 'MW002', alias: 'space-inside-dollars', target: 'github',
  description: 'Whitespace just inside `$…$` or `$$…$$`: GitHub does not open (or close) the formula, though VS Code renders it.',
  tags: ['delimiters', 'whitespace'], defaultSeverity: 'error', fixable: true, specRules: ['GH-IN-02', 'GH-IN-05', 'GH-DISP-04'], docs: docsPath('MW002'),
  examples: EXAMPLES,
  explain,
  run(ctx) {
    const trimFix = (start: number, end: number, d: number) => {
      const body = ctx.text.slice(start + d, end - d);
      const delim = '$'.repeat(d);
      return { title: `Remove the spaces inside the delimiters: ${delim}${body.trim()}${delim}`, edits: [edit(start + d, end - d, body.trim())], preferred: true };
    };
    const seen = new Set<number>();
    for (const { miss: n, message } of ownNearMisses(ctx, explain)) {
      const d = n.vscode.syntax === 'double-dollar' ? 2 : 1;
      seen.add(n.start);
      const body = ctx.text.slice(n.start + d, n.end - d);
      if (n.cause.kind === 'text-before-display') {
        ctx.report({ start: n.start, end: n.end, message, fixes: [{ title: 'Leave a blank line before `$$`', edits: [edit(n.start, n.start, '\n')], preferred: true }] });
        continue;
      }
      if (body.trim() === '' || body.includes('\n')) {
        ctx.report({ start: n.start, end: n.end, message });
        continue;
      }
      const fix = trimFix(n.start, n.end, d);
      // Text glued to the opening `$` too (`当$ n $`, MW001): one fix repairs both, so it renders on its own.
      if (n.cause.kind !== 'display-not-alone' && n.start > 0 && ctx.text[n.start - 1] !== '\n' && !canPrecedeOpener(ctx.text[n.start - 1]) && ctx.text[n.start - 1] !== '$') {
        fix.edits.unshift(edit(n.start, n.start, ' '));
        fix.title = `Insert a space before \`$\` and remove the spaces inside: ${'$'.repeat(d)}${body.trim()}${'$'.repeat(d)}`;
      }
      ctx.report({ start: n.start, end: n.end, message, fixes: [fix] });
    }
    // Rendered today, but padding is fragile on GitHub (measurements disagree): warn and trim.
    for (const g of ctx.scan.math) {
      if (seen.has(g.start) || (g.syntax !== 'dollar' && g.syntax !== 'double-dollar')) continue;
      if (g.syntax === 'dollar' && pairsTextDollars(ctx.text, g.start, g.end)) continue; // MW005: `$RANDOM gives … $`
      const d = g.syntax === 'double-dollar' ? 2 : 1;
      const body = ctx.text.slice(g.start + d, g.end - d);
      if (body.includes('\n') || body.trim() === '' || body === body.trim()) continue;
      ctx.report({ start: g.start, end: g.end, specRules: d === 2 ? ['GH-DISP-04'] : ['GH-IN-05'], message: `Spaces just inside \`${'$'.repeat(d)}\` delimiters: GitHub's handling of them is inconsistent (measurements disagree). Remove them.`, fixes: [trimFix(g.start, g.end, d)] });
    }
  },
};

/** Whitespace inside the delimiters, or a `$$` that is not a paragraph of its own. */
function explain(n: NearMiss): string | undefined {
  switch (n.cause.kind) {
    case 'space-after-open':
      return 'GitHub shows this as plain text: a space right after the opening `$` stops it from opening a formula (VS Code accepts it). Remove the space: `$x$`, not `$ x $`.';
    case 'space-before-close':
      return 'GitHub shows this as plain text: a space before the closing `$` followed by a space or line end is not a closing delimiter. Remove the space before the closing `$`.';
    case 'display-not-alone':
      return 'GitHub shows this as plain text: `$$` with a space inside the delimiters, or with text around it, does not pair. Write `$$x$$` without inner padding, on its own paragraph, or use a ```math fence.';
    case 'text-before-display':
      return 'GitHub shows this as plain text: the `$$` line follows a line of text without a blank line, so it joins that paragraph and does not open a formula. Leave a blank line before `$$`.';
    default:
      return undefined;
  }
}
